// A crashed checker process must say why in the zoo table. r3d_18 (script) was once reported as
// "tsfreeze crashed (1): at async ModuleLoader.import ... Node.js v20": the last lines of stderr are only
// the ESM loader's frames, whatever was thrown. The summary keeps the error's own line.

import { expect } from 'chai';
import { crashSummary, runProcess } from './processes.js';

describe('zoo sweep: what a crashed child reports', () => {
  it('keeps the error line of a module that cannot be imported (a dist/ rebuilt mid-sweep looks like this)', async () => {
    const done = await runProcess(
      process.execPath,
      ['--input-type=module', '-e', "import { nope } from 'node:fs';"],
      60,
    );
    expect(done.code).to.equal(1);
    const summary = crashSummary(done.stderr);
    expect(summary).to.match(
      /^SyntaxError: The requested module 'node:fs' does not provide an export named 'nope'/,
    );
    expect(summary).to.include('Node.js v');
  });

  it('keeps the error line of an exception thrown at the top level of the entry module', async () => {
    const done = await runProcess(
      process.execPath,
      ['--input-type=module', '-e', "throw new RangeError('Maximum call stack size exceeded');"],
      60,
    );
    expect(crashSummary(done.stderr)).to.match(/^RangeError: Maximum call stack size exceeded/);
  });

  it('is the last lines when nothing looks like an error line', () => {
    expect(crashSummary('one\ntwo\nthree\nfour\nfive\n')).to.equal('two | three | four | five');
  });
});
