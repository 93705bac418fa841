// Type rules of schema matching: subtyping, type variables, unification, and matchSchema's modes
// (IR nodes vs calls, conversions only in the second round).

import { expect } from 'chai';
import {
  BoolType,
  DictType,
  FloatType,
  IntType,
  ListType,
  NamedClassType,
  NoneType,
  NumberType,
  OptionalType,
  StringType,
  TensorTensor,
  TensorType,
  TupleType,
  VarType,
  type Type,
} from '../../src/ir/index.js';
import {
  AnyClassType,
  isMatch,
  isSchemaSubtype,
  matchSchema,
  matchTypeVariables,
  parseSchema,
  parseSchemaType,
  substituteTypeVariables,
  unifyTypes,
  type TypeEnv,
} from '../../src/ops/index.js';

const T = TensorTensor;
const floatTensor = new TensorType({ dtype: 'float32', sizes: [2, 3] });

describe('ops/type matching', () => {
  it('subtyping: refined tensors, Optional, Scalar; int is not float; lists are invariant', () => {
    expect(isSchemaSubtype(floatTensor, T)).to.equal(true);
    expect(isSchemaSubtype(NoneType, new OptionalType(T))).to.equal(true);
    expect(isSchemaSubtype(T, new OptionalType(T))).to.equal(true);
    expect(isSchemaSubtype(new OptionalType(T), T)).to.equal(false);
    expect(isSchemaSubtype(IntType, NumberType)).to.equal(true);
    expect(isSchemaSubtype(BoolType, NumberType)).to.equal(false);
    expect(isSchemaSubtype(IntType, FloatType)).to.equal(false);
    expect(isSchemaSubtype(new ListType(floatTensor), new ListType(T))).to.equal(true);
    expect(isSchemaSubtype(new ListType(IntType), new ListType(NumberType))).to.equal(false);
    expect(isSchemaSubtype(new ListType(IntType), new ListType(new OptionalType(IntType)))).to.equal(false);
    expect(isSchemaSubtype(new TupleType([IntType, T]), new TupleType([NumberType, T]))).to.equal(true);
    expect(isSchemaSubtype(new NamedClassType('__torch__.M'), AnyClassType)).to.equal(true);
    expect(isSchemaSubtype(IntType, AnyClassType)).to.equal(false);
    expect(isSchemaSubtype(new NamedClassType('__torch__.M'), new NamedClassType('__torch__.N'))).to.equal(
      false,
    );
  });

  it('unification: None with T gives T?, two tensor types give Tensor, int with str gives nothing', () => {
    expect(unifyTypes(NoneType, IntType)).to.deep.equal(new OptionalType(IntType));
    expect(unifyTypes(IntType, new OptionalType(IntType))).to.deep.equal(new OptionalType(IntType));
    expect(unifyTypes(floatTensor, new TensorType({ dtype: 'int64' }))).to.equal(T);
    expect(unifyTypes(IntType, StringType)).to.equal(undefined);
    expect(unifyTypes(new TupleType([NoneType]), new TupleType([IntType]))?.str()).to.equal('(int?)');
  });

  it('type variables bind once and must agree across arguments', () => {
    const env: TypeEnv = new Map();
    const t = new VarType('t');
    expect(matchTypeVariables(new ListType(t), new ListType(IntType), env)).to.equal(undefined);
    expect(env.get('t')).to.equal(IntType);
    expect(matchTypeVariables(t, StringType, env)).to.contain(
      "type variable 't' was bound to int but got str",
    );
    expect(matchTypeVariables(new DictType(StringType, t), IntType, new Map())).to.contain('expected a dict');
    const dict = new Map<string, Type>();
    matchTypeVariables(parseSchemaType('Dict(str, t)'), new DictType(StringType, T), dict);
    expect(substituteTypeVariables(parseSchemaType('t[]'), dict)).to.deep.equal(new ListType(T));
    expect(substituteTypeVariables(new VarType('u'), dict)).to.deep.equal(new VarType('u'));
  });

  it('aten::eq.t-style schemas bind t from both lists: int[] with str[] fails', () => {
    const s = parseSchema('aten::eq.t(t[] a, t[] b) -> bool');
    expect(isMatch(matchSchema(s, [new ListType(IntType), new ListType(IntType)]))).to.equal(true);
    const m = matchSchema(s, [new ListType(IntType), new ListType(StringType)]);
    expect(isMatch(m)).to.equal(false);
    if (!isMatch(m)) expect(m.reason).to.contain("argument 'b'");
  });

  it('a return type variable that no argument binds is a failure', () => {
    const s = parseSchema('aten::_unwrap_optional(t(a)? optional) -> t(a)');
    const none = matchSchema(s, [NoneType]);
    expect(isMatch(none)).to.equal(false);
    if (!isMatch(none)) expect(none.reason).to.contain('cannot infer');
    const some = matchSchema(s, [new OptionalType(T)]);
    expect(isMatch(some) && some.returnTypes[0]).to.equal(T);
  });

  it('node mode: keyword-only arguments are positional, no defaults, no broadcasting', () => {
    const s = parseSchema('aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor');
    expect(isMatch(matchSchema(s, [T, T, IntType], [], { node: true }))).to.equal(true);
    expect(isMatch(matchSchema(s, [T, T], [], { node: true }))).to.equal(false);
    expect(isMatch(matchSchema(s, [T, T, IntType]))).to.equal(false);
    const conv = parseSchema(
      'aten::max_pool1d(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, int[1] dilation=1, bool ceil_mode=False) -> Tensor',
    );
    expect(isMatch(matchSchema(conv, [T, IntType]))).to.equal(true);
    expect(
      isMatch(
        matchSchema(
          conv,
          [T, IntType, new ListType(IntType), new ListType(IntType), new ListType(IntType), BoolType],
          [],
          { node: true },
        ),
      ),
    ).to.equal(false);
  });

  it('implicit conversions only when allowed: Tensor for int, Scalar for float, bool for int', () => {
    const s = parseSchema('aten::__range_length(int lo, int hi, int step) -> int');
    expect(isMatch(matchSchema(s, [T, IntType, IntType]))).to.equal(false);
    const m = matchSchema(s, [T, NumberType, BoolType], [], { allowConversions: true });
    expect(isMatch(m) && m.args.map((a) => ('conversion' in a ? a.conversion : undefined))).to.deep.equal([
      'aten::IntImplicit',
      'aten::Int',
      'aten::Int',
    ]);
    const f = parseSchema('aten::sqrt.float(float a) -> float');
    expect(isMatch(matchSchema(f, [IntType], [], { allowConversions: true }))).to.equal(false);
  });
});
