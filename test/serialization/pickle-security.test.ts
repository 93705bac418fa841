// Hostile and broken pickles: forbidden globals are refused before anything runs, absurd lengths, deep
// nesting, cycles, truncation and unknown opcodes each give their typed error quickly; fuzzing never escapes.

import { join } from 'node:path';
import { expect } from 'chai';
import { cpuMillisSince } from '../support/cpu-budget.js';
import fc from 'fast-check';
import { SerializationError } from '../../src/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { loadPickle, OP, unpickle, type PickleValue } from '../../src/serialization/pickle/index.js';
import { archiveStorageLoader, buildArchive, readArchive } from '../../src/serialization/zip/index.js';
import { bytesOf, le } from './pickle-test-helpers.js';
import { expectCode, FIXTURES } from './zip-test-helpers.js';

const PROTO2 = [OP.PROTO, 2];
const utf8 = (text: string): number[] => [...new TextEncoder().encode(text)];
const binunicode = (text: string): number[] => [OP.BINUNICODE, ...le(utf8(text).length, 4), ...utf8(text)];
const SEED_PKL = readArchive(join(FIXTURES, 'seed_simple_param', 'module.pt')).read('data.pkl');

/** A persistent_load that records whether the machine ever got past the refused global. */
function spy(): { calls: number; load: (pid: PickleValue) => PickleValue } {
  const state = { calls: 0, load: (): PickleValue => (state.calls++, null) };
  return state;
}

describe('pickle security: forbidden globals', () => {
  const cases: [string, string][] = [
    ['os', 'system'],
    ['posix', 'system'],
    ['nt', 'system'],
    ['subprocess', 'Popen'],
    ['builtins', 'eval'],
    ['builtins', 'exec'],
    ['builtins', 'getattr'],
    ['builtins', '__import__'],
    ['__builtin__', 'eval'],
    ['torch', 'load'],
    ['torch.serialization', 'load'],
    ['numpy.core.multiarray', '_reconstruct'],
    ['__torch__evil', 'X'],
    ['collections', 'namedtuple'],
  ];
  for (const [module, name] of cases) {
    it(`GLOBAL ${module}.${name} is refused at its own byte, before any later opcode runs`, () => {
      const probe = spy();
      const stream = bytesOf(
        PROTO2,
        binunicode('x'),
        OP.BINPERSID,
        OP.GLOBAL,
        `${module}\n${name}\n`,
        binunicode('id'),
        OP.TUPLE1,
        OP.REDUCE,
        OP.STOP,
      );
      const at = 2 + 6 + 1; // PROTO, BINUNICODE 'x', BINPERSID
      expectCode(
        () => unpickle(stream, { name: 'evil.pkl', persistentLoad: probe.load }),
        'FORBIDDEN_GLOBAL',
        `evil.pkl at byte ${at}`,
        `'${module}.${name}'`,
      );
      expect(probe.calls).to.equal(1); // only the BINPERSID before the GLOBAL ran
    });
  }

  it('STACK_GLOBAL os.system is refused the same way', () => {
    const short = (text: string): number[] => [OP.SHORT_BINUNICODE, text.length, ...utf8(text)];
    const stream = bytesOf(
      [OP.PROTO, 4],
      short('os'),
      short('system'),
      OP.STACK_GLOBAL,
      short('echo pwned'),
      OP.TUPLE1,
      OP.REDUCE,
      OP.STOP,
    );
    expectCode(() => unpickle(stream), 'FORBIDDEN_GLOBAL', "'os.system'", 'byte 14');
  });

  it('INST and a protocol-0 GLOBAL naming builtins.eval are refused', () => {
    expectCode(
      () => unpickle(bytesOf(OP.MARK, 'Vprint(1)\n', OP.INST, 'builtins\neval\n', OP.STOP)),
      'FORBIDDEN_GLOBAL',
      "'builtins.eval'",
    );
    expectCode(() => unpickle(bytesOf('cposix\nsystem\n(Vls\ntR.')), 'FORBIDDEN_GLOBAL', "'posix.system'");
  });

  it('names with control characters or odd syntax never resolve, and the message cannot be forged', () => {
    const error = expectCode(
      () => unpickle(bytesOf(OP.GLOBAL, '__torch__ x\rFAKE\nA\n', OP.STOP)),
      'FORBIDDEN_GLOBAL',
    );
    expect(error.message).to.contain('\\x0d').and.not.contain('\r');
    expectCode(() => unpickle(bytesOf(OP.GLOBAL, '__torch__\nA.B\n', OP.STOP)), 'FORBIDDEN_GLOBAL');
    expectCode(() => unpickle(bytesOf(OP.GLOBAL, '__torch__..x\nA\n', OP.STOP)), 'FORBIDDEN_GLOBAL');
  });

  it('known but unsupported PyTorch rebuilders say what they are', () => {
    expectCode(
      () => unpickle(bytesOf(PROTO2, OP.GLOBAL, 'torch._utils\n_rebuild_qtensor\n', OP.STOP)),
      'UNSUPPORTED_PICKLE',
      'quantized',
    );
  });

  it('an allowed global that is not callable is not called', () => {
    expectCode(
      () => unpickle(bytesOf(PROTO2, OP.GLOBAL, 'torch\nFloatStorage\n', OP.EMPTY_TUPLE, OP.REDUCE, OP.STOP)),
      'BAD_PICKLE',
      'cannot be called',
    );
    expectCode(
      () => unpickle(bytesOf(PROTO2, binunicode('os.system'), OP.EMPTY_TUPLE, OP.REDUCE, OP.STOP)),
      'BAD_PICKLE',
      'cannot call a str',
    );
  });
});

describe('pickle security: sizes, depth, cycles', () => {
  const huge: [string, number[]][] = [
    ['BINUNICODE', [OP.BINUNICODE, ...le(0xffffffff, 4)]],
    ['BINBYTES', [OP.BINBYTES, ...le(0x7fffffff, 4)]],
    ['BINUNICODE8', [OP.BINUNICODE8, ...le(2n ** 62n, 8)]],
    ['BINBYTES8', [OP.BINBYTES8, ...le(2n ** 64n - 1n, 8)]],
    ['BYTEARRAY8', [OP.BYTEARRAY8, ...le(1e12, 8)]],
    ['LONG4', [OP.LONG4, ...le(0x7fffffff, 4)]],
    ['BINSTRING', [OP.BINSTRING, ...le(0x80000000, 4)]],
    ['FRAME', [OP.FRAME, ...le(2n ** 40n, 8)]],
  ];
  for (const [name, prefix] of huge) {
    it(`${name} declaring more bytes than remain is BAD_LENGTH, without allocating`, () => {
      const start = process.cpuUsage();
      expectCode(
        () => unpickle(bytesOf([OP.PROTO, 4], prefix, 'abc', OP.STOP), { name: 'big.pkl' }),
        'BAD_LENGTH',
        'big.pkl at byte 2',
        name,
        'remain',
      );
      expect(cpuMillisSince(start), 'CPU ms').to.be.below(2000);
    });
  }

  it('100k nested lists exceed maxPickleDepth, quickly', () => {
    const n = 100_000;
    const stream = new Uint8Array(2 + n + (n - 1) + 1);
    stream.set(PROTO2);
    stream.fill(OP.EMPTY_LIST, 2, 2 + n);
    stream.fill(OP.APPEND, 2 + n, 2 + n + n - 1);
    stream[stream.length - 1] = OP.STOP;
    const start = process.cpuUsage();
    expectCode(() => unpickle(stream), 'LIMIT_EXCEEDED', 'maxPickleDepth limit (5000');
    expect(cpuMillisSince(start), 'CPU ms').to.be.below(5000);
  });

  it('nesting built out of order through the memo is caught too', () => {
    // Make lists L0..L(n-1), memoized, then append L(i+1) into L(i): depth n, though each APPEND looks shallow.
    const n = 5500;
    const parts: number[] = [...PROTO2, OP.MARK];
    for (let i = 0; i < n; i++) parts.push(OP.EMPTY_LIST, OP.LONG_BINPUT, ...le(i, 4));
    parts.push(OP.POP_MARK);
    for (let i = 0; i + 1 < n; i++)
      parts.push(OP.LONG_BINGET, ...le(i, 4), OP.LONG_BINGET, ...le(i + 1, 4), OP.APPEND, OP.POP);
    parts.push(OP.LONG_BINGET, ...le(0, 4), OP.STOP);
    expectCode(() => unpickle(new Uint8Array(parts)), 'LIMIT_EXCEEDED', 'maxPickleDepth');
    expect(() => unpickle(new Uint8Array(parts), { maxDepth: n + 1 })).not.to.throw();
  });

  it('heavily shared values (2^60 paths) are checked in linear time', () => {
    const parts: number[] = [...PROTO2, OP.EMPTY_LIST];
    for (let i = 0; i < 60; i++) parts.push(OP.BINPUT, 0, OP.BINGET, 0, OP.TUPLE2);
    parts.push(OP.STOP);
    const start = process.cpuUsage();
    unpickle(new Uint8Array(parts));
    expect(cpuMillisSince(start), 'CPU ms').to.be.below(2000);
    expectCode(
      () => unpickle(new Uint8Array(parts), { maxDepth: 30 }),
      'LIMIT_EXCEEDED',
      'more than 30 levels',
    );
  });

  it('a list appended into itself, or an object holding itself, is CYCLIC_PICKLE', () => {
    expectCode(
      () => unpickle(bytesOf(PROTO2, OP.EMPTY_LIST, OP.BINPUT, 0, OP.BINGET, 0, OP.APPEND, OP.STOP)),
      'CYCLIC_PICKLE',
    );
    const object = bytesOf(
      PROTO2,
      OP.GLOBAL,
      '__torch__\nM\n',
      OP.EMPTY_TUPLE,
      OP.NEWOBJ,
      OP.BINPUT,
      0,
      OP.EMPTY_DICT,
      binunicode('me'),
      OP.BINGET,
      0,
      OP.SETITEM,
      OP.BUILD,
      OP.STOP,
    );
    expectCode(() => unpickle(object), 'CYCLIC_PICKLE', 'contains itself');
  });
});

describe('pickle security: broken streams', () => {
  it('every proper prefix of a real data.pkl is TRUNCATED or BAD_LENGTH', () => {
    for (let length = 0; length < SEED_PKL.length; length++) {
      let caught: unknown;
      try {
        unpickle(SEED_PKL.subarray(0, length), { name: 'cut.pkl' });
      } catch (error) {
        caught = error;
      }
      expect(caught, `prefix ${length}`).to.be.instanceOf(SerializationError);
      expect(['TRUNCATED', 'BAD_LENGTH'], `prefix ${length}`).to.include((caught as SerializationError).code);
    }
    expectCode(() => unpickle(SEED_PKL.subarray(0, 100), { name: 'cut.pkl' }), 'TRUNCATED', 'cut.pkl');
    expectCode(() => unpickle(new Uint8Array(0)), 'TRUNCATED', 'without STOP');
  });

  it('an unknown opcode is named with its byte offset', () => {
    expectCode(
      () => unpickle(bytesOf(PROTO2, OP.NONE, 0xff, OP.STOP), { name: 'odd.pkl' }),
      'UNKNOWN_OPCODE',
      'odd.pkl at byte 3',
      '0xff',
    );
    expectCode(() => unpickle(bytesOf(PROTO2, 'z')), 'UNKNOWN_OPCODE', "'z'", 'byte 2');
  });

  it('structural mistakes are BAD_PICKLE with the offset', () => {
    expectCode(
      () => unpickle(bytesOf(PROTO2, OP.REDUCE, OP.STOP)),
      'BAD_PICKLE',
      'REDUCE on an empty stack',
      'byte 2',
    );
    expectCode(() => unpickle(bytesOf(PROTO2, OP.BINGET, 5, OP.STOP)), 'BAD_PICKLE', 'memo entry 5');
    expectCode(() => unpickle(bytesOf(PROTO2, OP.TUPLE, OP.STOP)), 'BAD_PICKLE', 'without a MARK');
    expectCode(
      () => unpickle(bytesOf(PROTO2, OP.NONE, OP.NONE, OP.APPEND, OP.STOP)),
      'BAD_PICKLE',
      'APPEND to a None',
    );
    expectCode(
      () => unpickle(bytesOf(PROTO2, OP.EMPTY_DICT, OP.MARK, OP.NONE, OP.SETITEMS, OP.STOP)),
      'BAD_PICKLE',
      'odd',
    );
    expectCode(
      () => unpickle(bytesOf(PROTO2, OP.MARK, OP.POP, OP.POP, OP.STOP)),
      'BAD_PICKLE',
      'POP without a MARK',
    );
    expectCode(
      () => unpickle(bytesOf(PROTO2, OP.NONE, OP.MARK, OP.STOP)),
      'BAD_PICKLE',
      'STOP on an empty stack',
    );
    expectCode(
      () => unpickle(bytesOf(PROTO2, OP.NONE, OP.NONE, OP.BUILD, OP.STOP)),
      'BAD_PICKLE',
      'BUILD on a None',
    );
    expectCode(() => unpickle(bytesOf(OP.INT, 'x1\n', OP.STOP)), 'BAD_PICKLE', 'malformed INT');
  });

  it('unsupported features are UNSUPPORTED_PICKLE', () => {
    expectCode(() => unpickle(bytesOf(OP.PROTO, 6, OP.STOP)), 'UNSUPPORTED_PICKLE', 'protocol 6');
    expectCode(() => unpickle(bytesOf([OP.PROTO, 4], OP.EMPTY_SET, OP.STOP)), 'UNSUPPORTED_PICKLE', 'sets');
    expectCode(
      () => unpickle(bytesOf([OP.PROTO, 5], OP.NEXT_BUFFER, OP.STOP)),
      'UNSUPPORTED_PICKLE',
      'out-of-band',
    );
    expectCode(() => unpickle(bytesOf(PROTO2, OP.EXT1, 1, OP.STOP)), 'UNSUPPORTED_PICKLE', 'extension');
  });

  it('bad persistent ids and out-of-bounds tensor views are refused', () => {
    const pid = (type: string, numel: number): number[] => [
      OP.MARK,
      ...binunicode('storage'),
      OP.GLOBAL,
      ...utf8(`torch\n${type}\n`),
      ...binunicode('0'),
      ...binunicode('cpu'),
      OP.BININT1,
      numel,
      OP.TUPLE,
      OP.BINPERSID,
    ];
    expectCode(
      () => unpickle(bytesOf(PROTO2, pid('device', 4), OP.STOP)),
      'BAD_PERSISTENT_ID',
      'storage type torch.device',
    );
    expectCode(
      () => unpickle(bytesOf(PROTO2, binunicode('0'), OP.BINPERSID, OP.STOP)),
      'BAD_PERSISTENT_ID',
      'a str',
    );
    const tensor = (numel: number, size: number): Uint8Array =>
      bytesOf(
        PROTO2,
        OP.GLOBAL,
        'torch._utils\n_rebuild_tensor_v2\n',
        OP.MARK,
        pid('FloatStorage', numel),
        OP.BININT1,
        1,
        OP.BININT1,
        size,
        OP.TUPLE1,
        OP.BININT1,
        1,
        OP.TUPLE1,
        OP.NEWFALSE,
        OP.NONE,
        OP.TUPLE,
        OP.REDUCE,
        OP.STOP,
      );
    expect(() => unpickle(tensor(4, 3))).not.to.throw();
    const outOfBounds = tensor(4, 4);
    const reduceAt = outOfBounds.length - 2;
    expectCode(
      () => unpickle(outOfBounds, { name: 't.pkl' }),
      'BAD_TENSOR',
      `t.pkl at byte ${reduceAt}`,
      'reaches element 4 of a 4-element storage',
    );
  });

  it('a storage record shorter than its numel is CORRUPT_ENTRY naming the record', () => {
    const bytes = buildArchive([
      { name: 'data.pkl', data: SEED_PKL },
      { name: 'data/0', data: new Uint8Array(24) },
      { name: 'data/1', data: new Uint8Array(8) },
      { name: 'data/2', data: new Uint8Array(12) },
    ]);
    const archive = readArchive(bytes, { name: 'short.pt' });
    expectCode(
      () => loadPickle(archive.read('data.pkl'), { loadStorage: archiveStorageLoader(archive) }),
      'CORRUPT_ENTRY',
      'short.pt',
      "'data/1'",
      'needs 24',
    );
  });

  it('a loader returning the wrong dtype or size is BAD_PERSISTENT_ID', () => {
    expectCode(
      () => loadPickle(SEED_PKL, { loadStorage: () => Tensor.zeros('float64', [6]).storage }),
      'BAD_PERSISTENT_ID',
      'expected 6 float32',
    );
  });

  it('random bytes and mutated real pickles never escape as anything but SerializationError', () => {
    const start = process.cpuUsage();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        try {
          unpickle(bytesOf(PROTO2, tail));
        } catch (error) {
          if (!(error instanceof SerializationError)) throw error;
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SEED_PKL.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (at, byte) => {
          const bad = SEED_PKL.slice();
          bad[at] = byte;
          try {
            unpickle(bad);
          } catch (error) {
            if (!(error instanceof SerializationError)) throw error;
          }
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
    expect(cpuMillisSince(start), 'CPU ms').to.be.below(30_000);
  });

  it('work is linear in the input: 2 MB of opcodes without STOP fail in well under a second', () => {
    const big = new Uint8Array(2_000_000).fill(OP.NONE);
    const start = process.cpuUsage();
    expectCode(() => unpickle(big), 'TRUNCATED', 'without STOP');
    expect(cpuMillisSince(start), 'CPU ms').to.be.below(10_000);
  });
});
