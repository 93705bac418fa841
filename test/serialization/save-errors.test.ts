// Failed saves: an unwritable destination or a module holding something a .pt file cannot express throws
// a SerializationError with a stable code and the reason, and leaves no file (and no temporary file)
// behind; an existing file stays as it was. The same failures through `tsfreeze freeze -o` exit 1.

import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { SerializationError } from '../../src/errors.js';
import { FunctionRef } from '../../src/ir/ivalue.js';
import { FunctionType, IntType, TensorTensor } from '../../src/ir/types.js';
import { moduleBuilder } from '../../src/module/builder.js';
import type { ScriptModule } from '../../src/module/script-module.js';
import { loadModule } from '../../src/serialization/index.js';
import { buildModuleArchive, saveModule } from '../../src/serialization/save/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { seedSimpleParam } from '../support/seed-modules.js';
import { FIXTURES } from './save-helpers.js';

const IDENTITY = `graph(%self : __torch__.M, %x.1 : Tensor):
  return (%x.1)
`;

function saveError(run: () => unknown, code: string, ...words: string[]): SerializationError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a ${code} error`).to.be.instanceOf(SerializationError);
  const error = caught as SerializationError;
  expect(error.code, error.message).to.equal(code);
  for (const word of words) expect(error.message).to.contain(word);
  return error;
}

describe('archive writer: failures leave no output', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-save-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a folder that does not exist: WRITE_FAILED naming the path, nothing written', () => {
    const path = join(dir, 'missing', 'out.pt');
    saveError(() => saveModule(seedSimpleParam(), path), 'WRITE_FAILED', path, 'not changed');
    expect(existsSync(join(dir, 'missing'))).to.equal(false);
  });

  it('a "folder" that is a file: WRITE_FAILED, no file and no temporary file left', () => {
    writeFileSync(join(dir, 'plain'), 'not a folder');
    const path = join(dir, 'plain', 'out.pt');
    saveError(() => saveModule(seedSimpleParam(), path), 'WRITE_FAILED', path);
    expect(readdirSync(dir)).to.deep.equal(['plain']);
  });

  it('an attribute holding a function: UNSERIALIZABLE naming the attribute; the existing file is untouched', () => {
    const module = moduleBuilder('M')
      .training(false)
      .attribute('callback', new FunctionRef('__torch__.helper'), FunctionType)
      .method('forward', IDENTITY)
      .build();
    const path = join(dir, 'out.pt');
    writeFileSync(path, 'previous contents');
    saveError(() => saveModule(module, path), 'UNSERIALIZABLE', path, 'M.callback', 'function');
    expect(readFileSync(path, 'utf8')).to.equal('previous contents');
    expect(readdirSync(dir)).to.deep.equal(['out.pt']);
  });

  it('an attribute declared but never set: UNSERIALIZABLE, nothing written', () => {
    const module = moduleBuilder('M').training(false).method('forward', IDENTITY).build();
    module.type.addAttribute('scale', IntType);
    const path = join(dir, 'out.pt');
    saveError(() => saveModule(module, path), 'UNSERIALIZABLE', 'M.scale', 'no value');
    expect(existsSync(path)).to.equal(false);
  });

  it('a Python call left in a graph: UNSERIALIZABLE (the code cannot be read back), nothing written', () => {
    const module = moduleBuilder('M').training(false).method('forward', IDENTITY).build();
    const graph = module.getMethod('forward').graph;
    const op = graph.create('prim::PythonOp', [graph.inputs[1]], [TensorTensor]);
    graph.block.prependNode(op);
    graph.block.returnNode.replaceInput(0, op.output());
    const path = join(dir, 'out.pt');
    saveError(() => saveModule(module, path), 'UNSERIALIZABLE', 'Python function');
    expect(existsSync(path)).to.equal(false);
  });

  it('a loop mixing a trip count and a condition: UNSERIALIZABLE, as PyTorch refuses to print it', () => {
    const module = moduleBuilder('M')
      .training(false)
      .method(
        'forward',
        `graph(%self : __torch__.M, %x.1 : Tensor, %n.1 : int, %go.1 : bool):
  %y : Tensor = prim::Loop(%n.1, %go.1, %x.1)
    block0(%i : int, %y.3 : Tensor):
      %y.5 : Tensor = aten::neg(%y.3)
      %c : bool = aten::gt(%i, %n.1)
      -> (%c, %y.5)
  return (%y)
`,
      )
      .build();
    saveError(() => buildModuleArchive(module), 'UNSERIALIZABLE', 'prim::Loop');
  });

  it('writes a module it can serialize, and buildModuleArchive never touches the disk', () => {
    const module: ScriptModule = seedSimpleParam();
    const bytes = buildModuleArchive(module, { folder: 'seed' });
    expect(readdirSync(dir)).to.deep.equal([]);
    const path = join(dir, 'seed.pt');
    saveModule(module, path);
    // Same bytes on disk as in memory: the output is deterministic (no timestamps), zip folder = file stem.
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(bytes))).to.equal(true);
    const input = Tensor.fromArray('float32', [1, 2, 3, 4, 5, 6], [3, 2]);
    const reloaded = loadModule(path);
    expect((reloaded.forward(input) as Tensor).toArray()).to.deep.equal(
      (module.forward(input) as Tensor).toArray(),
    );
    expect(readdirSync(dir)).to.deep.equal(['seed.pt']);
  });
});

describe('cli: tsfreeze freeze -o', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-cli-save-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
    return { code, out, err };
  }
  const model = join(FIXTURES, 'seed_simple_param', 'module.pt');

  it('writes the frozen model, which tsfreeze loads back with no parameters', async () => {
    const out = join(dir, 'frozen.pt');
    const r = await cli('freeze', model, '-o', out);
    expect(r.code, r.err).to.equal(0);
    const frozen = loadModule(out);
    expect(frozen.namedParameters()).to.deep.equal([]);
    expect(frozen.code).to.contain('torch.mm(CONSTANTS.c0, input)');
  });

  it('an unwritable destination: exit 1 with the reason, no file', async () => {
    const out = join(dir, 'no-such-folder', 'frozen.pt');
    const r = await cli('freeze', model, '--output', out);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('cannot write the archive').and.to.contain(out);
    expect(existsSync(join(dir, 'no-such-folder'))).to.equal(false);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('a model that cannot be frozen: exit 1 and no output file', async () => {
    const out = join(dir, 'frozen.pt');
    const r = await cli('freeze', join(FIXTURES, 'error_training_mode', 'module.pt'), '-o', out);
    expect(r.code).to.equal(1);
    expect(existsSync(out)).to.equal(false);
  });
});
