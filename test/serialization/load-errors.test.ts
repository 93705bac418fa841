// Bad archives fail with typed errors whose messages name the archive entry, quickly and without running
// anything: truncated, not a zip, no data.pkl, forbidden pickle globals, code with syntax or type errors,
// missing class code, unsupported versions, corrupt bytes, state that does not fit the class.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { withinCpuBudget } from '../support/cpu-budget.js';
import { IRParseError, SerializationError, TsFreezeError } from '../../src/errors.js';
import { loadModule, loadModuleAsync } from '../../src/serialization/index.js';
import { buildArchive, readArchive } from '../../src/serialization/zip/index.js';
import { startCrcCheck } from '../../src/serialization/load/parallel-crc.js';
import { pickle, type PickleValue } from '../../src/serialization/pickle/index.js';
import { FIXTURES } from './zip-test-helpers.js';

const SEED = join(FIXTURES, 'seed_simple_param', 'module.pt');
const encoder = new TextEncoder();

/** The seed archive's entries with some replaced (a string or bytes) or removed (null). */
function rebuilt(changes: Record<string, Uint8Array | string | null>, source = SEED): Uint8Array {
  const archive = readArchive(source);
  const names = archive.names();
  const entries = names
    .filter((n) => changes[n] !== null)
    .map((n) => ({ name: n, data: n in changes ? (changes[n] as Uint8Array | string) : archive.read(n) }));
  for (const [n, data] of Object.entries(changes))
    if (data !== null && !names.includes(n)) entries.push({ name: n, data });
  return buildArchive(entries, { folder: 'archive' });
}

/** Runs `fn`, which must throw a TsFreezeError of `type` with `code` mentioning every word, within 1 s. */
function expectLoadError(
  fn: () => unknown,
  type: abstract new (...args: never[]) => TsFreezeError,
  code: string,
  ...words: string[]
): TsFreezeError {
  let caught: unknown;
  withinCpuBudget(
    10_000,
    () => {
      try {
        fn();
      } catch (error) {
        caught = error;
      }
    },
    'failing',
  );
  expect(caught, 'throws').to.be.instanceOf(type);
  const error = caught as TsFreezeError;
  expect(error.code, error.message).to.equal(code);
  for (const w of words) expect(error.message).to.include(w);
  return error;
}

// A protocol-2 pickle calling os.system('echo pwned'): GLOBAL 'os system', a tuple, REDUCE.
const OS_SYSTEM = new Uint8Array([
  0x80,
  0x02,
  ...encoder.encode('cos\nsystem\n'),
  0x58,
  10,
  0,
  0,
  0,
  ...encoder.encode('echo pwned'),
  0x85,
  0x52,
  0x2e,
]);

// `__torch__.Missing` object with an empty state: GLOBAL, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, BUILD, STOP.
const MISSING_CLASS = new Uint8Array([
  0x80,
  0x02,
  ...encoder.encode('c__torch__\nMissing\n'),
  0x29,
  0x81,
  0x7d,
  0x62,
  0x2e,
]);

describe('load: bad archives give typed errors naming the entry', () => {
  const seed = readFileSync(SEED);

  it('loads the unmodified rebuilt archive (the harness itself is sound)', () => {
    const module = loadModule(rebuilt({}), { name: 'rebuilt.pt' });
    expect(module.namedParameters().map(([n]) => n)).to.deep.equal([
      'weight',
      'linear.weight',
      'linear.bias',
    ]);
  });

  it('a truncated file', () => {
    expectLoadError(
      () => loadModule(seed.subarray(0, seed.length >> 1), { name: 'half.pt' }),
      SerializationError,
      'TRUNCATED',
      'half.pt',
      'truncated',
    );
  });

  it('a file cut just before its end-of-directory record', () => {
    expectLoadError(
      () => loadModule(seed.subarray(0, seed.length - 10), { name: 'cut.pt' }),
      SerializationError,
      'TRUNCATED',
      'cut.pt',
      'end-of-central-directory',
    );
  });

  it('not a zip at all', () => {
    expectLoadError(
      () => loadModule(encoder.encode('def forward(self): pass\n'), { name: 'text.pt' }),
      SerializationError,
      'NOT_A_ZIP',
      'text.pt',
    );
  });

  it('a zip without data.pkl', () => {
    expectLoadError(
      () => loadModule(rebuilt({ 'data.pkl': null }), { name: 'nodata.pt' }),
      SerializationError,
      'MISSING_ENTRY',
      'nodata.pt',
      'data.pkl',
    );
  });

  it('a data.pkl naming os.system: refused before anything runs', () => {
    const error = expectLoadError(
      () => loadModule(rebuilt({ 'data.pkl': OS_SYSTEM }), { name: 'evil.pt' }),
      SerializationError,
      'FORBIDDEN_GLOBAL',
      'evil.pt',
      'data.pkl',
      'os.system',
    );
    expect(error.message).to.not.include('pwned');
  });

  it('a constants.pkl naming os.system', () => {
    expectLoadError(
      () => loadModule(rebuilt({ 'constants.pkl': OS_SYSTEM }), { name: 'evil.pt' }),
      SerializationError,
      'FORBIDDEN_GLOBAL',
      'constants.pkl',
      'os.system',
    );
  });

  it('a code file with a syntax error: file:line:col of the entry and a caret', () => {
    const broken =
      'class MyModule(Module):\n  __parameters__ = ["weight", ]\n  def forward(self, x: Tensor) -> Tensor:\n    return torch.add(x, \n';
    const error = expectLoadError(
      () => loadModule(rebuilt({ 'code/__torch__.py': broken }), { name: 'syntax.pt' }),
      IRParseError,
      'TS_SYNTAX',
      'syntax.pt:code/__torch__.py:',
    );
    expect((error as IRParseError).location.file).to.equal('syntax.pt:code/__torch__.py');
    expect(error.message).to.include('^');
  });

  it('a method calling an operator that does not exist: TS_COMPILE at the call', () => {
    const text = readArchive(SEED).readText('code/__torch__.py').replace('torch.mm(', 'torch.no_such_op(');
    const error = expectLoadError(
      () => loadModule(rebuilt({ 'code/__torch__.py': text }), { name: 'op.pt' }),
      IRParseError,
      'TS_COMPILE',
      'op.pt:code/__torch__.py',
      'aten::no_such_op',
    );
    expect((error as IRParseError).location.line).to.be.greaterThan(1);
  });

  it('arguments no overload accepts: the variants are listed', () => {
    const text = readArchive(SEED)
      .readText('code/__torch__.py')
      .replace('torch.mm(weight, input)', 'torch.mm(weight, "input")');
    expectLoadError(
      () => loadModule(rebuilt({ 'code/__torch__.py': text }), { name: 'args.pt' }),
      IRParseError,
      'TS_COMPILE',
      'aten::mm',
      'str',
    );
  });

  it('a class whose code file is missing: the unknown type is named', () => {
    expectLoadError(
      () => loadModule(rebuilt({ 'code/__torch__/torch/nn/modules/linear.py': null }), { name: 'nocode.pt' }),
      IRParseError,
      'TS_COMPILE',
      '__torch__.torch.nn.modules.linear.Linear',
      'code/__torch__/torch/nn/modules/linear.py',
    );
  });

  it('a data.pkl object of a class the archive has no code for', () => {
    expectLoadError(
      () => loadModule(rebuilt({ 'data.pkl': MISSING_CLASS }), { name: 'missing.pt' }),
      SerializationError,
      'MISSING_CODE',
      'missing.pt',
      '__torch__.Missing',
    );
  });

  it('a torch.save checkpoint (a pickled dict, no code) is named for what it is', () => {
    const state = pickle(new Map<PickleValue, PickleValue>([['weight', 1]])).bytes;
    const bytes = buildArchive([
      { name: 'data.pkl', data: state },
      { name: 'version', data: '3\n' },
    ]);
    expectLoadError(
      () => loadModule(bytes, { name: 'state_dict.pt' }),
      SerializationError,
      'UNSUPPORTED_ARCHIVE',
      'state_dict.pt',
      'torch.save checkpoint',
    );
  });

  it('an archive without a version record', () => {
    expectLoadError(
      () => loadModule(rebuilt({ version: null }), { name: 'old.pt' }),
      SerializationError,
      'UNSUPPORTED_ARCHIVE',
      'old.pt',
      'version',
    );
  });

  it('an archive format version torch.jit.load 1.13 does not read', () => {
    expectLoadError(
      () => loadModule(rebuilt({ version: '99\n' }), { name: 'future.pt' }),
      SerializationError,
      'UNSUPPORTED_VERSION',
      'future.pt',
      "'version'",
      '99',
    );
  });

  it('verifyChecksums: a flipped byte in a tensor record is a CRC mismatch naming the record', () => {
    const bytes = Uint8Array.from(seed);
    const archive = readArchive(bytes, { name: 'flip.pt' });
    const entry = archive.entry('data/1');
    bytes[entry.dataOffset + 3] ^= 0x40;
    expectLoadError(
      () => loadModule(bytes, { name: 'flip.pt', verifyChecksums: true }),
      SerializationError,
      'CORRUPT_ENTRY',
      'flip.pt',
      'data/1',
    );
  });

  it('verifyChecksums: a flipped byte in a tensor record of a file is found, naming the record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-load-'));
    try {
      const bytes = Uint8Array.from(seed);
      bytes[readArchive(bytes).entry('data/2').dataOffset + 1] ^= 0x08;
      const path = join(dir, 'flipped.pt');
      writeFileSync(path, bytes);
      expectLoadError(
        () => loadModule(path, { verifyChecksums: true }),
        SerializationError,
        'CORRUPT_ENTRY',
        'flipped.pt',
        'data/2',
        'CRC-32',
      );
      writeFileSync(path, seed);
      expect(loadModule(path).namedParameters()).to.have.lengthOf(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verifyChecksums: a flipped byte in a record no tensor uses is found too, naming the record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-load-'));
    try {
      // An extra 6 MB record nothing in data.pkl refers to.
      const big = new Uint8Array(6 << 20).map((_, i) => (i * 31) & 0xff);
      const bytes = rebuilt({ 'data/99': big });
      const path = join(dir, 'big.pt');
      writeFileSync(path, bytes);
      expect(loadModule(path).namedParameters()).to.have.lengthOf(3);
      bytes[readArchive(bytes).entry('data/99').dataOffset + 12345] ^= 0x01;
      writeFileSync(path, bytes);
      expectLoadError(
        () => loadModule(path, { verifyChecksums: true }),
        SerializationError,
        'CORRUPT_ENTRY',
        'big.pt',
        'data/99',
        'CRC-32',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the worker-thread check (archives over BACKGROUND_MIN_BYTES) reports a flipped byte, naming the record', () => {
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 0xff);
    // The worker reads the archive's bytes in place: they must be shared memory, as readFileShared gives.
    const bytes = new Uint8Array(new SharedArrayBuffer(rebuilt({ 'data/99': big }).length));
    bytes.set(rebuilt({ 'data/99': big }));
    const records = ['data/0', 'data/1', 'data/2', 'data/99'];
    expect(() => startCrcCheck(readArchive(bytes, { name: 'big.pt' }), records, 0)?.wait()).not.to.throw();
    bytes[readArchive(bytes).entry('data/99').dataOffset + 4321] ^= 0x10;
    const pending = startCrcCheck(readArchive(bytes, { name: 'big.pt' }), records, 0);
    expect(pending, 'the worker started').to.not.equal(undefined);
    expectLoadError(
      () => pending?.wait(),
      SerializationError,
      'CORRUPT_ENTRY',
      'big.pt',
      'data/99',
      'CRC-32',
    );
  });

  for (const options of [{}, { verifyChecksums: false }]) {
    it(`${JSON.stringify(options)}: tensor records are read unchecked, as torch.jit.load does; code and pickles are still checked`, () => {
      const bytes = Uint8Array.from(seed);
      const archive = readArchive(bytes, { name: 'flip.pt' });
      bytes[archive.entry('data/1').dataOffset + 3] ^= 0x40;
      const module = loadModule(bytes, { name: 'flip.pt', ...options });
      expect(module.namedParameters()).to.have.lengthOf(3);
      for (const record of ['code/__torch__.py', 'data.pkl']) {
        const code = Uint8Array.from(seed);
        code[readArchive(code).entry(record).dataOffset + 5] ^= 0x40;
        let caught: unknown;
        try {
          loadModule(code, { name: 'code.pt', ...options });
        } catch (error) {
          caught = error;
        }
        expect((caught as TsFreezeError).code, record).to.equal('CORRUPT_ENTRY');
        expect((caught as TsFreezeError).message, record).to.include(record);
      }
    });
  }

  it('a pickled state missing an attribute the class declares', () => {
    const text = readArchive(SEED)
      .readText('code/__torch__.py')
      .replace('  training : bool\n', '  training : bool\n  extra : int\n');
    expectLoadError(
      () => loadModule(rebuilt({ 'code/__torch__.py': text }), { name: 'state.pt' }),
      SerializationError,
      'BAD_OBJECT',
      'state.pt',
      'data.pkl',
      'extra',
    );
  });

  it('a pickled value that does not fit the declared attribute type', () => {
    const text = readArchive(SEED)
      .readText('code/__torch__.py')
      .replace('  training : bool\n', '  training : str\n');
    expectLoadError(
      () => loadModule(rebuilt({ 'code/__torch__.py': text }), { name: 'type.pt' }),
      SerializationError,
      'BAD_OBJECT',
      "'training'",
      'expected a str',
    );
  });

  it('the async loader reports a missing file the same way', async () => {
    let caught: unknown;
    try {
      await loadModuleAsync(join(FIXTURES, 'no-such-case', 'module.pt'));
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(SerializationError);
    expect((caught as TsFreezeError).code).to.equal('FILE_NOT_FOUND');
  });

  it('the async loader loads a fixture', async () => {
    const module = await loadModuleAsync(SEED);
    expect(module.type.qualifiedName).to.equal('__torch__.MyModule');
  });
});
