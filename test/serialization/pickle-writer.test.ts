// The pickler: PyTorch's encodings (ints, floats, tagged lists, tensors over persistent storages), memoization of
// shared values, typed refusals; and python / torch.jit.load reading what it writes.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Tensor, type Storage } from '../../src/tensor/tensor.js';
import {
  loadPickle,
  OP,
  pickle,
  PickledObject,
  PickleDevice,
  PickleFloat,
  PickleGlobal,
  PickleTuple,
  setTypeTag,
  StorageRef,
  storageRecords,
  TensorRef,
  typeTagOf,
  unpickle,
  type PickleDict,
  type PickleValue,
} from '../../src/serialization/pickle/index.js';
import {
  archiveStorageLoader,
  readArchive,
  writeArchiveAtomic,
  type ArchiveEntry,
} from '../../src/serialization/zip/index.js';
import { encodeValue } from './pickle-test-helpers.js';
import { expectCode, FIXTURES, pythonHasTorch, runPython } from './zip-test-helpers.js';

/** pickle then unpickle. */
function roundTrip(value: PickleValue): PickleValue {
  return unpickle(pickle(value).bytes);
}

function count(bytes: Uint8Array, opcode: number): number {
  return bytes.filter((b) => b === opcode).length;
}

describe('pickle: writing values', () => {
  it('writes ints as PyTorch does and reads every width back exactly', () => {
    const ints = [
      0,
      255,
      256,
      65535,
      65536,
      -1,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      2 ** 53 - 1,
      -(2 ** 53) + 1,
    ];
    const bigs = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n, -(2n ** 64n) - 1n, 2n ** 2100n, -(2n ** 4000n)];
    const back = roundTrip([...ints, ...bigs]) as PickleValue[];
    expect(back).to.deep.equal([...ints, ...bigs]);
    // int64s outside int32 take PyTorch's fixed 8-byte LONG1.
    expect([...pickle(2 ** 40).bytes]).to.deep.equal([
      OP.PROTO,
      2,
      OP.LONG1,
      8,
      0,
      0,
      0,
      0,
      0,
      1,
      0,
      0,
      OP.STOP,
    ]);
    expect([...pickle(300).bytes]).to.deep.equal([OP.PROTO, 2, OP.BININT2, 44, 1, OP.STOP]);
  });

  it('keeps floats floats (1.0 stays 1.0), including -0, inf and nan; plain non-integers are floats', () => {
    const back = roundTrip([
      new PickleFloat(1),
      new PickleFloat(-0),
      new PickleFloat(Infinity),
      new PickleFloat(NaN),
      0.5,
    ]) as PickleFloat[];
    expect(back.every((v) => v instanceof PickleFloat)).to.equal(true);
    expect(back.map((v) => v.value)).to.deep.equal([1, -0, Infinity, NaN, 0.5]);
    expect(Object.is(back[1].value, -0)).to.equal(true);
    expect(String(new PickleFloat(2))).to.equal('2.0');
  });

  it('writes None, bools, strings, bytes, tuples of every size, dicts with int keys, devices and globals', () => {
    const dict: PickleDict = new Map<PickleValue, PickleValue>([
      [1, 'one'],
      [-(2n ** 70n), 'big'],
      ['k', null],
    ]);
    const value = new PickleTuple([
      null,
      true,
      false,
      '',
      'ünï ☃ \u{1f600}',
      new Uint8Array([0, 1, 255]),
      new Uint8Array(0),
      new PickleTuple([]),
      new PickleTuple([1]),
      new PickleTuple([1, 2]),
      new PickleTuple([1, 2, 3]),
      new PickleTuple([1, 2, 3, 4]),
      dict,
      new PickleDevice('cpu'),
      new PickleDevice('cuda', 0),
    ]);
    expect(encodeValue(roundTrip(value))).to.deep.equal(encodeValue(value));
  });

  it('memoizes strings by value, and containers only when shared (identity survives)', () => {
    const inner = [1, 2];
    const shared = pickle(['name', 'name', inner, inner]);
    expect(count(shared.bytes, OP.BINUNICODE)).to.equal(1);
    const back = unpickle(shared.bytes) as PickleValue[];
    expect(back[2]).to.equal(back[3]);
    const unshared = pickle([[1], [1]]).bytes;
    expect(count(unshared, OP.BINPUT)).to.equal(0);
    const object = new PickledObject('__torch__.M', new Map([['x', 1]]));
    const twice = unpickle(pickle([object, object]).bytes) as PickledObject[];
    expect(twice[0]).to.equal(twice[1]);
  });

  it("writes tagged lists and dicts in torch.jit._pickle's forms, and reads the tags back", () => {
    const value = [
      setTypeTag([1, 2], 'List[int]'),
      setTypeTag([new PickleFloat(0.5)], 'List[float]'),
      setTypeTag([true], 'List[bool]'),
      setTypeTag([], 'List[Tensor]'),
      setTypeTag(['a'], 'List[str]'),
      setTypeTag(new Map<PickleValue, PickleValue>([['a', new PickleFloat(1)]]), 'Dict[str, float]'),
    ];
    const { bytes } = pickle(value);
    const text = Buffer.from(bytes).toString('latin1');
    for (const name of [
      'build_intlist',
      'build_doublelist',
      'build_boollist',
      'build_tensorlist',
      'restore_type_tag',
    ]) {
      expect(text).to.contain(`torch.jit._pickle\n${name}\n`);
    }
    const back = unpickle(bytes) as PickleValue[];
    expect(back.map((item) => typeTagOf(item))).to.deep.equal([
      'List[int]',
      'List[float]',
      'List[bool]',
      'List[Tensor]',
      'List[str]',
      'Dict[str, float]',
    ]);
  });

  it('writes each storage once, numbered by first use, and tensors over it as views', () => {
    const base = Tensor.fromArray('float32', [0, 1, 2, 3, 4, 5], [2, 3]);
    const view = new Tensor(base.storage, [3], [1], 3);
    view.requiresGrad = true;
    const other = Tensor.fromArray('int64', [5n, -(2n ** 63n)], [2]);
    const result = pickle(
      new Map<PickleValue, PickleValue>([
        ['a', base],
        ['b', view],
        ['c', other],
        ['a2', base],
      ]),
    );
    expect(result.storages.map((s) => [s.key, s.dtype, s.numel])).to.deep.equal([
      ['0', 'float32', 6],
      ['1', 'int64', 2],
    ]);
    expect(result.storages[0].storage).to.equal(base.storage);
    const storages = new Map<string, Storage>(result.storages.map((s) => [s.key, s.storage as Storage]));
    const back = loadPickle(result.bytes, { loadStorage: (key) => storages.get(key) as Storage }) as Map<
      PickleValue,
      PickleValue
    >;
    const [a, b, c, a2] = ['a', 'b', 'c', 'a2'].map((key) => back.get(key) as Tensor);
    expect(a).to.equal(a2);
    expect(b.storage).to.equal(a.storage);
    expect([b.offset, b.requiresGrad, b.toArray()]).to.deep.equal([3, true, [3, 4, 5]]);
    expect(c.toArray()).to.deep.equal([5n, -(2n ** 63n)]);
  });

  it('uses the caller persistentId, and keeps StorageRefs naming one record as one storage', () => {
    const ref = new StorageRef('7', 'float32', 'cpu', 4);
    const sameRecord = new StorageRef('7', 'float32', 'cpu', 4);
    const value = [new TensorRef(ref, 0, [2], [1], false), new TensorRef(sameRecord, 2, [2], [1], false)];
    const result = pickle(value, { persistentId: (storage) => `s${(storage as StorageRef).key}` });
    expect(result.storages.map((s) => s.key)).to.deep.equal(['s7']);
    const back = unpickle(result.bytes) as TensorRef[];
    expect(back[0].storage).to.equal(back[1].storage);
    expect(back[0].storage.key).to.equal('s7');
  });

  it('lays out storage records: exact bytes of each storage, references read through readRef', () => {
    const tensor = Tensor.fromArray('float16', [1, -2], [2]);
    const ref = new TensorRef(new StorageRef('9', 'int32', 'cpu', 1), 0, [1], [1], false);
    const written = pickle([tensor, ref]);
    const records = storageRecords(written.storages, 'constants', () => new Uint8Array([7, 0, 0, 0, 99]));
    expect(records.map((r) => [r.name, [...r.data]])).to.deep.equal([
      ['constants/0', [0x00, 0x3c, 0x00, 0xc0]],
      ['constants/1', [7, 0, 0, 0]],
    ]);
    expectCode(() => storageRecords(written.storages, 'data'), 'UNPICKLABLE', 'readRef');
  });

  it('refuses what it cannot write with typed errors', () => {
    expectCode(() => pickle(undefined as unknown as PickleValue), 'UNPICKLABLE', 'cannot pickle');
    expectCode(() => pickle(new Date() as unknown as PickleValue), 'UNPICKLABLE');
    expectCode(() => pickle(new PickledObject('NoModule')), 'UNPICKLABLE', 'module part');
    const loop: PickleValue[] = [];
    loop.push(loop);
    expectCode(() => pickle(loop), 'CYCLIC_PICKLE');
    let deep: PickleValue = [];
    for (let i = 0; i < 6000; i++) deep = [deep];
    expectCode(() => pickle(deep), 'LIMIT_EXCEEDED', 'maxPickleDepth');
    expect(
      pickle(new PickleGlobal('torch', 'FloatStorage', { kind: 'storage', dtype: 'float32' })).bytes.length,
    ).to.be.greaterThan(0);
  });
});

describe('pickle: python and torch read what we write', function () {
  let dir: string;
  before(function () {
    if (!pythonHasTorch()) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-pickle-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("python's pickle.loads decodes our values to the same Python objects", () => {
    const value = new Map<PickleValue, PickleValue>([
      ['ints', [0, -1, 70000, -(2 ** 40), 2n ** 70n, -(2n ** 63n)]],
      ['floats', [new PickleFloat(1), new PickleFloat(-2.5), new PickleFloat(1e300)]],
      ['text', 'ünï ☃'],
      ['bytes', new Uint8Array([0, 255, 10])],
      ['tuple', new PickleTuple([1, new PickleTuple([2, 3, 4, 5]), null, true])],
      [7, false],
    ]);
    writeArchiveAtomic(join(dir, 'holder.pt'), [{ name: 'data.pkl', data: pickle(value).bytes }]);
    const report = runPython(
      [
        'import pickle, sys, zipfile',
        'data = zipfile.ZipFile(sys.argv[1]).read("holder/data.pkl")',
        'print(repr(pickle.loads(data)))',
      ].join('\n'),
      [join(dir, 'holder.pt')],
    );
    expect(report.trim()).to.equal(
      "{'ints': [0, -1, 70000, -1099511627776, 1180591620717411303424, -9223372036854775808], 'floats': [1.0, -2.5, 1e+300], " +
        "'text': 'ünï ☃', 'bytes': b'\\x00\\xff\\n', 'tuple': (1, (2, 3, 4, 5), None, True), 7: False}",
    );
  });

  for (const [caseName, file, mode] of [
    ['nested_submodules', 'module.pt', 'tensors'],
    ['tv_resnet18_w8', 'frozen.pt', 'tensors'],
    ['aliasing_two_attrs', 'module.pt', 'tensors'],
    ['buffers_params', 'module.pt', 'tensor refs'],
  ]) {
    it(`torch.jit.load runs ${caseName}/${file} rebuilt from our pickles and storages (${mode}), with identical results`, () => {
      const original = join(FIXTURES, caseName, file);
      const archive = readArchive(original);
      const entries: ArchiveEntry[] = [];
      for (const [pkl, folder] of [
        ['data.pkl', 'data'],
        ['constants.pkl', 'constants'],
      ]) {
        const loadStorage = mode === 'tensors' ? archiveStorageLoader(archive, folder) : undefined;
        const written = pickle(loadPickle(archive.read(pkl), { loadStorage }));
        entries.push(
          ...storageRecords(written.storages, folder, (ref) => archive.read(`${folder}/${ref.key}`)),
        );
        entries.push({ name: pkl, data: written.bytes });
      }
      for (const name of archive.names()) {
        if (name.startsWith('code/') || name === 'version') entries.push({ name, data: archive.read(name) });
      }
      const rebuilt = join(dir, `${caseName}-${file}`);
      writeArchiveAtomic(rebuilt, entries);
      const report = runPython(
        [
          'import json, sys, torch',
          'a = torch.jit.load(sys.argv[1]); b = torch.jit.load(sys.argv[2])',
          'case = json.load(open(sys.argv[3] + "/case.json"))',
          'dt = {"float32": torch.float32, "int64": torch.int64}',
          'args = [torch.frombuffer(bytearray(open(sys.argv[3] + "/" + i["file"], "rb").read()), dtype=dt[i["dtype"]]).reshape(i["shape"]) for i in case["calls"][0]["inputs"]]',
          'sa, sb = a.state_dict(), b.state_dict()',
          'assert list(sa) == list(sb) and all(torch.equal(sa[k], sb[k]) for k in sa)',
          'oa, ob = a(*args), b(*args)',
          'assert torch.equal(oa, ob)',
          'print(len(sa), tuple(oa.shape))',
        ].join('\n'),
        [original, rebuilt, join(FIXTURES, caseName)],
      );
      expect(report.trim()).to.match(/^\d+ \(/);
    });
  }
});
