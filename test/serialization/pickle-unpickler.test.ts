// The unpickler on inputs Python wrote itself: one pickle per protocol 0-5, a torch.save archive, and hand-made
// streams for opcodes neither uses (exact LONG values, memo forms, OBJ/INST, torch.device, _rebuild_tensor).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Tensor } from '../../src/tensor/tensor.js';
import {
  GlobalRegistry,
  loadPickle,
  OP,
  PickledObject,
  PickleDevice,
  PickleFloat,
  PickleTuple,
  StorageRef,
  TensorRef,
  typeTagOf,
  unpickle,
  type PickleValue,
} from '../../src/serialization/pickle/index.js';
import { archiveStorageLoader, readArchive } from '../../src/serialization/zip/index.js';
import {
  bytesOf,
  encodeValue,
  EXPECTED,
  expectSameJson,
  le,
  readExpected,
  type StorageKeys,
} from './pickle-test-helpers.js';

const utf8 = (text: string): number[] => [...new TextEncoder().encode(text)];
const binunicode = (text: string): number[] => [OP.BINUNICODE, ...le(utf8(text).length, 4), ...utf8(text)];
const PROTO2 = [OP.PROTO, 2];

describe('pickle: protocols 0 to 5 as python writes them', () => {
  const expected = readExpected('protocols.json');
  for (let protocol = 0; protocol <= 5; protocol++) {
    it(`protocol ${protocol}: same values as python, memo sharing kept`, () => {
      const value = unpickle(readFileSync(join(EXPECTED, `protocol${protocol}.pkl`)), {
        name: `protocol${protocol}.pkl`,
      });
      expectSameJson(encodeValue(value), expected);
      const dict = value as Map<PickleValue, PickleValue>;
      const shared = dict.get('shared') as PickleValue[][];
      expect(shared[0]).to.equal(shared[1]);
      const ints = dict.get('ints') as PickleValue[];
      expect(ints)
        .to.include(2n ** 64n)
        .and.include(-(2n ** 100n))
        .and.include(65536);
    });
  }
});

describe('pickle: torch.save archives', () => {
  const archive = readArchive(join(EXPECTED, 'torch_save.pt'));
  const keys: StorageKeys = new Map();
  const loader = archiveStorageLoader(archive, 'data');
  const value = loadPickle(archive.read('data.pkl'), {
    name: 'torch_save.pt:data.pkl',
    loadStorage: (key, dtype, numel) => {
      const storage = loader(key, dtype, numel);
      keys.set(storage, key);
      return storage;
    },
  }) as Map<PickleValue, PickleValue>;

  it('decodes to what python reports (state dict, parameter, views, int64 extremes, halfs, bools, 0-dim, empty)', () => {
    expect(archive.folder).to.equal('torch_save');
    expectSameJson(encodeValue(value, keys), readExpected('torch_save.json')['data.pkl']);
  });

  it('keeps views of one storage on one Storage object, with their strides and offsets', () => {
    const a = value.get('view_a') as Tensor;
    const b = value.get('view_b') as Tensor;
    expect(a.storage).to.equal(b.storage);
    expect(a.offset).to.equal(2);
    expect(b.strides).to.deep.equal([1, 4]);
    expect(b.toArray().slice(0, 4)).to.deep.equal([0, 4, 8, 1]);
  });

  it('restores requires_grad through _rebuild_parameter and int64 values exactly', () => {
    expect((value.get('param') as Tensor).requiresGrad).to.equal(true);
    expect((value.get('ints') as Tensor).toArray()).to.deep.equal([-(2n ** 63n), -1n, 0n, 2n ** 62n]);
    expect(value.get('device')).to.be.instanceOf(PickleDevice);
    expect(value.get('raw')).to.deep.equal(new Uint8Array([0x61, 0x62, 0, 0xff]));
  });
});

describe('pickle: opcodes by hand', () => {
  it('decodes LONG1 exactly: negative, int64 edges and wider than 64 bits', () => {
    const long1 = (value: bigint, width: number): number[] => [
      OP.LONG1,
      width,
      ...le(BigInt.asUintN(width * 8, value), width),
    ];
    const stream = bytesOf(
      PROTO2,
      OP.MARK,
      long1(-1n, 1),
      long1(-(2n ** 63n), 8),
      long1(2n ** 63n - 1n, 8),
      long1(2n ** 70n + 5n, 9),
      long1(-(2n ** 70n), 9),
      long1(2n ** 53n - 1n, 8),
      [OP.LONG1, 0],
      OP.TUPLE,
      OP.STOP,
    );
    const tuple = unpickle(stream) as PickleTuple;
    expect(tuple.items).to.deep.equal([
      -1,
      -(2n ** 63n),
      2n ** 63n - 1n,
      2n ** 70n + 5n,
      -(2n ** 70n),
      2 ** 53 - 1,
      0,
    ]);
  });

  it('decodes LONG4, BININT sign, BINFLOAT as PickleFloat (1.0 is not 1)', () => {
    const big = 2n ** 2000n;
    const width = 252;
    const stream = bytesOf(
      PROTO2,
      OP.MARK,
      [OP.LONG4, ...le(width, 4), ...le(big, width)],
      [OP.BININT, ...le(0xfffffffe, 4)],
      [OP.BINFLOAT, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0],
      [OP.BININT1, 1],
      OP.TUPLE,
      OP.STOP,
    );
    const [long4, binint, float, int] = (unpickle(stream) as PickleTuple).items;
    expect(long4).to.equal(big);
    expect(binint).to.equal(-2);
    expect(float).to.be.instanceOf(PickleFloat);
    expect((float as PickleFloat).value).to.equal(1);
    expect(int).to.equal(1);
  });

  it('handles the protocol 4 forms: FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL, NEWOBJ_EX', () => {
    const short = (text: string): number[] => [OP.SHORT_BINUNICODE, utf8(text).length, ...utf8(text)];
    const body = bytesOf(
      short('__torch__.m'),
      OP.MEMOIZE,
      short('Thing'),
      OP.MEMOIZE,
      OP.STACK_GLOBAL,
      OP.EMPTY_TUPLE,
      OP.EMPTY_DICT,
      OP.NEWOBJ_EX,
      OP.EMPTY_DICT,
      short('x'),
      [OP.BINGET, 0],
      OP.SETITEM,
      OP.BUILD,
      OP.STOP,
    );
    const stream = bytesOf([OP.PROTO, 4, OP.FRAME, ...le(body.length, 8)], body);
    const object = unpickle(stream) as PickledObject;
    expect(object.className).to.equal('__torch__.m.Thing');
    expect((object.state as Map<PickleValue, PickleValue>).get('x')).to.equal('__torch__.m');
  });

  it('handles INST, OBJ, DUP, POP, POP_MARK and text memo forms', () => {
    const stream = bytesOf(
      OP.MARK,
      OP.INST,
      '__torch__\nA\n',
      'p7\n',
      OP.POP,
      OP.MARK,
      OP.GLOBAL,
      '__torch__\nB\n',
      [OP.BININT1, 3],
      OP.OBJ,
      OP.DUP,
      OP.POP,
      OP.MARK,
      OP.NONE,
      OP.POP_MARK,
      'g7\n',
      OP.TUPLE2,
      OP.STOP,
    );
    const [b, a] = (unpickle(stream) as PickleTuple).items as PickledObject[];
    expect(a.className).to.equal('__torch__.A');
    expect(b.className).to.equal('__torch__.B');
    expect(b.args.items).to.deep.equal([3]);
  });

  it('builds torch.device and the restored type tags of lists and dicts', () => {
    const stream = bytesOf(
      PROTO2,
      OP.GLOBAL,
      'torch\ndevice\n',
      binunicode('cuda:1'),
      OP.TUPLE1,
      OP.REDUCE,
      OP.GLOBAL,
      'torch.jit._pickle\nrestore_type_tag\n',
      OP.EMPTY_LIST,
      binunicode('a'),
      OP.APPEND,
      binunicode('List[str]'),
      OP.TUPLE2,
      OP.REDUCE,
      OP.GLOBAL,
      'torch.jit._pickle\nbuild_boollist\n',
      OP.MARK,
      OP.EMPTY_LIST,
      OP.NEWTRUE,
      OP.APPEND,
      OP.TUPLE,
      OP.REDUCE,
      OP.TUPLE3,
      OP.STOP,
    );
    const [device, strings, bools] = (unpickle(stream) as PickleTuple).items;
    expect(device).to.deep.equal(new PickleDevice('cuda', 1));
    expect(String(device)).to.equal('cuda:1');
    expect(typeTagOf(strings)).to.equal('List[str]');
    expect(typeTagOf(bools)).to.equal('List[bool]');
    expect(bools).to.deep.equal([true]);
  });

  it('rebuilds legacy _rebuild_tensor as a TensorRef, then as a Tensor sharing one Storage with a loader', () => {
    const pid = [
      OP.MARK,
      ...binunicode('storage'),
      OP.GLOBAL,
      ...utf8('torch\nDoubleStorage\n'),
      ...binunicode('k'),
      ...binunicode('cpu'),
      OP.BININT1,
      4,
      OP.TUPLE,
      OP.BINPERSID,
    ];
    const tensorAt = (offset: number): number[] => [
      OP.GLOBAL,
      ...utf8('torch._utils\n_rebuild_tensor\n'),
      OP.MARK,
      ...pid,
      OP.BININT1,
      offset,
      OP.BININT1,
      2,
      OP.TUPLE1,
      OP.BININT1,
      1,
      OP.TUPLE1,
      OP.TUPLE,
      OP.REDUCE,
    ];
    const stream = bytesOf(PROTO2, tensorAt(0), tensorAt(2), OP.TUPLE2, OP.STOP);
    const [refA] = (unpickle(stream) as PickleTuple).items as TensorRef[];
    expect(refA).to.be.instanceOf(TensorRef);
    expect(refA.storage).to.deep.equal(new StorageRef('k', 'float64', 'cpu', 4));
    let loads = 0;
    const [a, b] = (
      loadPickle(stream, {
        loadStorage: (_key, dtype, numel) => {
          loads++;
          return Tensor.fromArray(dtype, [1, 2, 3, 4], [numel]).storage;
        },
      }) as PickleTuple
    ).items as Tensor[];
    expect(loads).to.equal(1);
    expect(a.storage).to.equal(b.storage);
    expect(b.toArray()).to.deep.equal([3, 4]);
  });

  it('accepts a caller-extended registry and a custom persistent_load', () => {
    const registry = new GlobalRegistry().register('mine', 'make', {
      kind: 'function',
      call: (args) => `made:${String(args[0])}`,
    });
    const stream = bytesOf(
      PROTO2,
      OP.GLOBAL,
      'mine\nmake\n',
      binunicode('x'),
      OP.TUPLE1,
      OP.REDUCE,
      binunicode('id'),
      OP.BINPERSID,
      OP.TUPLE2,
      OP.STOP,
    );
    const result = unpickle(stream, {
      globals: registry,
      persistentLoad: (pid) => `pid:${String(pid)}`,
    }) as PickleTuple;
    expect(result.items).to.deep.equal(['made:x', 'pid:id']);
  });
});
