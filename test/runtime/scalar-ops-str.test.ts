// TorchScript's str() and str.format() (aten::str, aten::format): floats, containers and tensors print
// as c10::IValue's operator<< does. Every expected string was printed by torch 1.13.1 (Debian's
// /usr/bin/python3) from a scripted function, e.g. torch.jit.script(lambda x: str(x)).

import { expect } from 'chai';
import {
  DictType,
  FloatType,
  IntType,
  ListType,
  OptionalType,
  RuntimeError,
  StringType,
  Tensor,
  TensorTensor,
  Tuple,
  TupleType,
  parseIR,
  type IValue,
  type Type,
} from '../../src/index.js';
import { formatStrFloat } from '../../src/runtime/ivalue-str.js';
import { runGraph } from '../../src/runtime/runtime.js';
import { SCALAR_OPS, pyStr } from '../../src/runtime/scalar-ops.js';

/** Calls a scalar op as the interpreter does. */
function callOp(kind: string, args: IValue[], argTypes: Type[]): IValue {
  return SCALAR_OPS[kind]({ args, argTypes, resultType: StringType, overload: '' });
}

describe('TorchScript str() (aten::str) as torch 1.13.1 prints it', () => {
  it('floats: integral values as `1.`, others with 17 significant digits', () => {
    const cases: [number, string][] = [
      [1.0, '1.'],
      [-0.0, '0.'],
      [0.0, '0.'],
      [1.2, '1.2'],
      [1.1, '1.1000000000000001'],
      [0.1, '0.10000000000000001'],
      [-2.5, '-2.5'],
      [3.2, '3.2000000000000002'],
      [1e-5, '1.0000000000000001e-05'],
      [1e10, '10000000000.'],
      [-1e10, '-10000000000.'],
      [123456789012.0, '123456789012.'],
      [1e15, '1000000000000000.'],
      [1.5e16, '15000000000000000.'],
      [1e17, '100000000000000000.'],
      [9007199254740993.0, '9007199254740992.'],
      [1e20, '1e+20'],
      [1e22, '1e+22'],
      [1e300, '1.0000000000000001e+300'],
      [5e-324, '4.9406564584124654e-324'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
      [NaN, 'nan'],
    ];
    for (const [v, want] of cases) {
      expect(formatStrFloat(v), String(v)).to.equal(want);
      expect(callOp('aten::str', [v], [FloatType]), `aten::str(${v})`).to.equal(want);
    }
  });

  it('ints, bools, None and strings print plainly; an int-typed integral number has no dot', () => {
    expect(pyStr(1, IntType)).to.equal('1');
    expect(pyStr(-7)).to.equal('-7');
    expect(pyStr(2n ** 62n, IntType)).to.equal('4611686018427387904');
    expect(pyStr(true)).to.equal('True');
    expect(pyStr(null, new OptionalType(IntType))).to.equal('None');
    expect(pyStr('hi\u00a1')).to.equal('hi\u00a1');
    // A float held in an Optional[float] is still a float.
    expect(pyStr(2, new OptionalType(FloatType))).to.equal('2.');
  });

  it('lists, tuples and dicts: elements printed by str() too, so strings stay unquoted', () => {
    expect(pyStr([1.0, 1.1], new ListType(FloatType))).to.equal('[1., 1.1000000000000001]');
    expect(pyStr([1, 1], new ListType(IntType))).to.equal('[1, 1]');
    expect(pyStr(['hello', 'world'], new ListType(StringType))).to.equal('[hello, world]');
    expect(pyStr([true, false])).to.equal('[True, False]');
    expect(pyStr([], new ListType(IntType))).to.equal('[]');
    expect(pyStr([[1, 2], [3]], new ListType(new ListType(IntType)))).to.equal('[[1, 2], [3]]');
    expect(pyStr(new Tuple([1]), new TupleType([IntType]))).to.equal('(1,)');
    expect(pyStr(new Tuple([]), new TupleType([]))).to.equal('()');
    const nested = new TupleType([
      StringType,
      new TupleType([StringType, FloatType]),
      new ListType(new OptionalType(IntType)),
    ]);
    expect(pyStr(new Tuple(['a', new Tuple(['b', 1.0]), [null]]), nested)).to.equal('(a, (b, 1.), [None])');
    const d = new Map<string, IValue>([
      ['a', 1.0],
      ["b'c", 2.5],
    ]);
    expect(pyStr(d, new DictType(StringType, FloatType))).to.equal("{a: 1., b'c: 2.5}");
    const di = new Map<number, IValue>([
      [1, 'x'],
      [2, "it's"],
    ]);
    expect(pyStr(di, new DictType(IntType, StringType))).to.equal("{1: x, 2: it's}");
    expect(pyStr(new Map(), new DictType(StringType, IntType))).to.equal('{}');
  });

  it("tensors in ATen's C++ form: values, then `[ CPUFloatType{sizes} ]`", () => {
    const cases: [Tensor, string][] = [
      [Tensor.fromArray('float32', [5.5], []), '5.5\n[ CPUFloatType{} ]'],
      [Tensor.fromArray('float32', [2], []), '2\n[ CPUFloatType{} ]'],
      [Tensor.fromArray('float32', [1e-7], []), '1e-07\n[ CPUFloatType{} ]'],
      [Tensor.fromArray('float32', [123456789], []), '1.23457e+08\n[ CPUFloatType{} ]'],
      [Tensor.fromArray('float32', [NaN], []), 'nan\n[ CPUFloatType{} ]'],
      [Tensor.fromArray('float32', [-0], []), '-0\n[ CPUFloatType{} ]'],
      [Tensor.fromArray('int64', [3n], []), '3\n[ CPULongType{} ]'],
      [Tensor.fromArray('int64', [12345678n], []), '1.23457e+07\n[ CPULongType{} ]'],
      [Tensor.fromArray('int8', [-3], []), '-3\n[ CPUCharType{} ]'],
      [Tensor.fromArray('bool', [true], []), '1\n[ CPUBoolType{} ]'],
      [Tensor.fromArray('float16', [1.5], []), '1.5\n[ CPUHalfType{} ]'],
      [Tensor.fromArray('float32', [5.5], [1]), ' 5.5000\n[ CPUFloatType{1} ]'],
      [Tensor.fromArray('float32', [1.2, 2.4], [2]), ' 1.2000\n 2.4000\n[ CPUFloatType{2} ]'],
      [Tensor.fromArray('float64', [1.5], [1]), ' 1.5000\n[ CPUDoubleType{1} ]'],
      [Tensor.fromArray('int64', [1n, 2n], [2]), ' 1\n 2\n[ CPULongType{2} ]'],
      [Tensor.fromArray('bool', [true, false], [2]), ' 1\n 0\n[ CPUBoolType{2} ]'],
      [Tensor.fromArray('float32', [1e-8, 1], [2]), ' 1.0000e-08\n 1.0000e+00\n[ CPUFloatType{2} ]'],
      [Tensor.fromArray('float32', [Infinity, 1], [2]), 'inf\n 1\n[ CPUFloatType{2} ]'],
      [
        Tensor.fromArray('float32', [1.5, 2, 3, 4.25], [2, 2]),
        ' 1.5000  2.0000\n 3.0000  4.2500\n[ CPUFloatType{2,2} ]',
      ],
      [Tensor.zeros('float32', [0]), '[ CPUFloatType{0} ]'],
      [Tensor.zeros('float32', [0, 3]), '[ CPUFloatType{0,3} ]'],
      [
        Tensor.fromArray('float32', [1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2]),
        '(1,.,.) = \n  1  1\n  1  1\n\n(2,.,.) = \n  1  1\n  1  1\n[ CPUFloatType{2,2,2} ]',
      ],
    ];
    for (const [t, want] of cases) {
      expect(callOp('aten::str', [t], [TensorTensor]), `${t.dtype}[${t.shape}]`).to.equal(want);
    }
    // Inside containers, tensors keep the same form.
    const list = [Tensor.fromArray('float32', [3.3, 2.3], [2]), null];
    expect(pyStr([list], new ListType(new ListType(new OptionalType(TensorTensor))))).to.equal(
      '[[ 3.3000\n 2.3000\n[ CPUFloatType{2} ], None]]',
    );
  });

  it("runs through the interpreter with the graph's static types (a float list constant)", () => {
    const g = parseIR(`graph():
  %l : float[] = prim::Constant[value=[1., 1.1]]()
  %s : str = aten::str(%l)
  return (%s)
`);
    expect(runGraph(g, [])).to.deep.equal(['[1., 1.1000000000000001]']);
  });
});

describe('TorchScript str.format() (aten::format) as torch 1.13.1 prints it', () => {
  it('fills each {} with str() of the next argument and ignores extra arguments', () => {
    const fmt = (f: string, args: IValue[], types: Type[]): IValue =>
      callOp('aten::format', [f, ...args], [StringType, ...types]);
    expect(fmt('{} and {}', [1.0, [1.5, 2.0]], [FloatType, new ListType(FloatType)])).to.equal(
      '1. and [1.5, 2.]',
    );
    expect(fmt('{}', ['x', 2], [StringType, IntType])).to.equal('x');
    expect(
      fmt(
        '{} {}',
        [Tensor.fromArray('float32', [1], [1]), new Tuple([1, 'a'])],
        [TensorTensor, new TupleType([IntType, StringType])],
      ),
    ).to.equal(' 1\n[ CPUFloatType{1} ] (1, a)');
  });

  it("too few arguments is a RuntimeError with PyTorch's message", () => {
    let err: unknown;
    try {
      callOp('aten::format', ['{} {}', 1], [StringType, IntType]);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(RuntimeError);
    expect((err as RuntimeError).code).to.equal('FORMAT_ARGS');
    expect((err as RuntimeError).message).to.include('Too few arguments for format string: {} {}');
  });
});
