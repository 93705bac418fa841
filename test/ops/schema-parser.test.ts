// Schema parser and printer: every PyTorch 1.13 schema round-trips; structure of alias annotations,
// defaults, keyword-only and varargs; PyTorch's canonical printing of hand-written schemas; errors.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  AnyClassType,
  formatSchemaFloat,
  parseSchema,
  parseSchemaType,
  SchemaParseError,
  SymIntType,
  TORCH_SCHEMAS,
} from '../../src/ops/index.js';
import {
  BoolType,
  DictType,
  FloatType,
  IntType,
  ListType,
  NoneType,
  NumberType,
  OptionalType,
  ScalarTypeType,
  StringType,
  TensorTensor,
  TupleType,
  VarType,
} from '../../src/ir/index.js';

// dist/test/ops -> repo root.
const schemasTxt = fileURLToPath(new URL('../../../src/ops/data/schemas.txt', import.meta.url));

function parseError(text: string): SchemaParseError {
  try {
    parseSchema(text);
  } catch (e) {
    expect(e).to.be.instanceOf(SchemaParseError);
    return e as SchemaParseError;
  }
  throw new Error(`expected a parse error for ${text}`);
}

describe('ops/schema-parser', () => {
  describe('round trip of PyTorch 1.13 schemas', () => {
    const lines = readFileSync(schemasTxt, 'utf8').split('\n').filter(Boolean);

    it('schemas.txt and the TypeScript table hold the same ~3.7k strings', () => {
      expect(lines.length).to.be.greaterThan(3000);
      expect(TORCH_SCHEMAS).to.deep.equal(lines);
    });

    it('every line of schemas.txt parses and prints back byte-identically', () => {
      const bad: string[] = [];
      for (const line of lines) {
        const printed = parseSchema(line).toString();
        if (printed !== line) bad.push(`${line}\n  printed: ${printed}`);
      }
      expect(bad.slice(0, 5)).to.deep.equal([]);
    });
  });

  describe('structure', () => {
    it('add_.Tensor: overload name, written self, keyword-only alpha with an int default', () => {
      const s = parseSchema(
        'aten::add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)',
      );
      expect(s.name).to.equal('aten::add_');
      expect(s.overloadName).to.equal('Tensor');
      expect(s.key).to.equal('aten::add_.Tensor');
      expect(s.arguments.map((a) => a.name)).to.deep.equal(['self', 'other', 'alpha']);
      const [self, other, alpha] = s.arguments;
      expect(self.alias?.beforeSets).to.deep.equal(['a']);
      expect(self.alias?.isWrite).to.equal(true);
      expect(other.alias).to.equal(null);
      expect(alias(alpha)).to.deep.equal({ kwargOnly: true, value: 1, type: 'int', hasDefault: true });
      expect(alpha.type).to.equal(NumberType);
      expect(s.isMutable).to.equal(true);
      expect(s.mutatedArgIndices).to.deep.equal([0]);
      expect(s.aliasOf(0)).to.deep.equal([0]);
      expect(s.returns[0].alias?.isWrite).to.equal(true);
    });

    it('chunk: (a -> *) goes to the wildcard, its list output aliases self through its elements', () => {
      const s = parseSchema('aten::chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[]');
      const self = s.arguments[0].alias!;
      expect(self.beforeSets).to.deep.equal(['a']);
      expect(self.afterSets).to.deep.equal(['*']);
      expect(self.isWildcardAfter).to.equal(true);
      const out = s.returns[0];
      expect(out.type).to.be.instanceOf(ListType);
      expect(out.alias?.beforeSets).to.deep.equal([]);
      expect(out.alias?.contained[0].beforeSets).to.deep.equal(['a']);
      expect(s.aliasOf(0)).to.deep.equal([0]);
      expect(s.isMutable).to.equal(false);
    });

    it('list alias forms: t[](a!) is the list, Tensor(a!)[] its elements, t(*) the wildcard', () => {
      const s = parseSchema('aten::append.t(t[](a!) self, t(c -> *) el) -> t[](a!)');
      expect(s.arguments[0].alias?.isWrite).to.equal(true);
      expect(s.arguments[0].alias?.contained).to.deep.equal([]);
      expect(s.arguments[0].type).to.deep.equal(new ListType(new VarType('t')));
      const f = parseSchema('aten::_foreach_add_.Scalar(Tensor(a!)[] self, Scalar scalar) -> ()');
      expect(f.arguments[0].alias?.isWrite).to.equal(false);
      expect(f.arguments[0].alias?.contained[0].isWrite).to.equal(true);
      expect(f.mutatedArgIndices).to.deep.equal([0]);
      expect(f.returns).to.deep.equal([]);
      const g = parseSchema('aten::__getitem__.t(t[](a) list, int idx) -> t(*)');
      expect(g.returnsWildcard(0)).to.equal(true);
      expect(g.aliasOf(0)).to.deep.equal([]);
    });

    it('may-alias sets (b|a) and optional aliases t(a)?', () => {
      const s = parseSchema(
        'aten::to.prim_dtype(Tensor(a) self, int? dtype=None, bool non_blocking=False, bool copy=False) -> Tensor(b|a)',
      );
      expect(s.returns[0].alias?.beforeSets).to.deep.equal(['b', 'a']);
      expect(s.aliasOf(0)).to.deep.equal([0]);
      const u = parseSchema('aten::_unwrap_optional(t(a)? optional) -> t(a)');
      expect(u.arguments[0].type).to.deep.equal(new OptionalType(new VarType('t')));
      expect(u.arguments[0].alias?.beforeSets).to.deep.equal(['a']);
    });

    it('defaults: None, bools, floats, strings, broadcast int[N], lists, symbolic names', () => {
      const s = parseSchema(
        'x::f(Tensor? bias=None, bool b=True, float eps=1.0000000000000001e-05, str padding="valid", int[2] stride=1, ' +
          'int[1] dim=[-2, -1], ScalarType? dtype=None, MemoryFormat m=contiguous_format, int reduction=Mean, float g=1, Scalar s=2.) -> Tensor',
      );
      const d = Object.fromEntries(s.arguments.map((a) => [a.name, a.defaultValue]));
      expect(d).to.deep.equal({
        bias: null,
        b: true,
        eps: 1e-5,
        padding: 'valid',
        stride: [1, 1],
        dim: [-2, -1],
        dtype: null,
        m: 0,
        reduction: 1,
        g: 1,
        s: 2,
      });
      const byName = (n: string) => s.arguments[s.argumentIndex(n)];
      expect(byName('stride').N).to.equal(2);
      expect(byName('dim').N).to.equal(1);
      expect(byName('g').defaultType).to.equal(FloatType);
      expect(byName('s').defaultType).to.equal(FloatType);
      expect(byName('dtype').type).to.deep.equal(new OptionalType(IntType));
      expect(byName('dtype').realType).to.deep.equal(new OptionalType(ScalarTypeType));
      expect(byName('bias').hasDefault).to.equal(true);
      expect(s.arguments.every((a) => !a.kwargOnly)).to.equal(true);
    });

    it('ints beyond 2^53 are bigints; SymInt matches as int but prints as SymInt', () => {
      const s = parseSchema('x::g(int big=9223372036854775807, SymInt[] size, SymInt? n=None) -> SymInt');
      expect(s.arguments[0].defaultValue).to.equal(9223372036854775807n);
      expect(s.arguments[1].type).to.deep.equal(new ListType(IntType));
      expect(s.arguments[1].realType).to.deep.equal(new ListType(SymIntType));
      expect(s.returns[0].type).to.equal(IntType);
      expect(s.toString()).to.equal(
        'x::g(int big=9223372036854775807, SymInt[] size, SymInt? n=None) -> SymInt',
      );
    });

    it('varargs, varret, empty and named returns, tuple-typed single return', () => {
      const f = parseSchema('aten::format(str self, ...) -> str');
      expect(f.isVararg).to.equal(true);
      expect(f.arguments).to.have.length(1);
      const p = parseSchema('prim::Print(...) -> ()');
      expect([p.isVararg, p.isVarret, p.returns.length]).to.deep.equal([true, false, 0]);
      const v = parseSchema('prim::TupleUnpack(Any tup) -> ...');
      expect(v.isVarret).to.equal(true);
      const m = parseSchema(
        'aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)',
      );
      expect(m.returns.map((r) => r.name)).to.deep.equal(['values', 'indices']);
      const items = parseSchema('aten::items.str(Dict(str, t) self) -> ((str, t)[])');
      expect(items.returns).to.have.length(1);
      expect(items.returns[0].type).to.deep.equal(
        new ListType(new TupleType([StringType, new VarType('t')])),
      );
      expect(items.arguments[0].type).to.deep.equal(new DictType(StringType, new VarType('t')));
    });

    it('types: Tensor?[], int[1]?, Future(t), AnyClassType?, class names, Any[]', () => {
      expect(parseSchemaType('Tensor?[]')).to.deep.equal(new ListType(new OptionalType(TensorTensor)));
      expect(parseSchemaType('int[]?')).to.deep.equal(new OptionalType(new ListType(IntType)));
      expect(parseSchemaType('AnyClassType?')).to.deep.equal(new OptionalType(AnyClassType));
      expect(parseSchemaType('(bool, float)').str()).to.equal('(bool, float)');
      expect(parseSchemaType('Dict(int, t)')).to.deep.equal(new DictType(IntType, new VarType('t')));
      expect(parseSchemaType('NoneType')).to.equal(NoneType);
      const s = parseSchema(
        'x::h(int[1]? s=None, Future(t) f, __torch__.torch.classes.rnn.CellParamsBase[] p, Any[] a, bool[3] m) -> ()',
      );
      expect(s.arguments[0].N).to.equal(1);
      expect(s.arguments[1].type.kind).to.equal('Future');
      expect(s.arguments[2].type.str()).to.equal('__torch__.torch.classes.rnn.CellParamsBase[]');
      expect(s.arguments[4].type).to.deep.equal(new ListType(BoolType));
    });
  });

  describe("printing matches PyTorch's own str(parse_schema(...))", () => {
    // Expected strings were produced by torch._C.parse_schema on PyTorch 1.13.
    const cases: [string, string][] = [
      [
        'a::b(MemoryFormat? m=contiguous_format, int r=Mean, ScalarType d=float, Layout l=strided, ScalarType e=long, float f=1e-5, float g=1, int[2] s=[1, 1], int[2] t=[1, 2], float[2] u=[1., 1.], str x="a\\"b") -> Tensor',
        'a::b(MemoryFormat? m=0, int r=1, ScalarType d=6, Layout l=0, ScalarType e=4, float f=1.0000000000000001e-05, float g=1., int[2] s=1, int[2] t=[1, 2], float[2] u=[1., 1.], str x="a\\"b") -> Tensor',
      ],
      [
        'a::h(float w=1e20, float v=123456789012345678.0, float u=0.1, int bb=9223372036854775807, float q=-0.0, float e=1e-300, float h=1e16, float h2=1e17, float h3=12345.678) -> int',
        'a::h(float w=1e+20, float v=123456789012345680., float u=0.10000000000000001, int bb=9223372036854775807, float q=0., float e=1e-300, float h=10000000000000000., float h2=100000000000000000., float h3=12345.678) -> int',
      ],
      [
        'a::x(float a=0.5, float b=-2.5e-10, float c=1.5e300, Scalar d=2., Scalar e=-3, float f=0.001, float g=0.0001, float h=0.00001) -> ()',
        'a::x(float a=0.5, float b=-2.5000000000000002e-10, float c=1.5000000000000001e+300, Scalar d=2., Scalar e=-3, float f=0.001, float g=0.0001, float h=1.0000000000000001e-05) -> ()',
      ],
      [
        'a::z(int[3] k=[2, 2, 2], int[] l=[3, 3], SymInt[2] m=[4, 4], int[2]? n=None, bool[2] o=[True, True]) -> ()',
        // PyTorch prints `int[] l=3` here, which its parser rejects: we keep an unsized list a list.
        'a::z(int[3] k=2, int[] l=[3, 3], SymInt[2] m=[4, 4], int[2]? n=None, bool[2] o=[True, True]) -> ()',
      ],
      ['a::s(int x) -> (int)', 'a::s(int x) -> int'],
      ['a::u(Tensor self) -> Tensor[] self_out', 'a::u(Tensor self) -> Tensor[] self_out'],
      [
        'a::v(Tensor(a! -> a|b) self, ...) -> (Tensor, ...)',
        'a::v(Tensor(a! -> a|b) self, ...) -> (Tensor, ...)',
      ],
      ['a::r(Dict(str, t) self) -> ((str, t)[])', 'a::r(Dict(str, t) self) -> ((str, t)[])'],
      [
        'a::y(str a=" \\n\\t\\f\\v", str b="\\"\\\'\\\\", str c=\'single\') -> str',
        'a::y(str a=" \\n\\t\\f\\v", str b="\\"\\\'\\\\", str c="single") -> str',
      ],
      ['a::e(...) -> ...', 'a::e(...) -> ...'],
      [
        '  a::k( Dict(str, Tensor) d,(int, str) t )->Tensor[](a)',
        'a::k(Dict(str, Tensor) d, (int, str) t) -> Tensor[](a)',
      ],
    ];
    for (const [input, expected] of cases) {
      it(input.slice(0, 60), () => {
        const printed = parseSchema(input).toString();
        expect(printed).to.equal(expected);
        expect(parseSchema(printed).toString()).to.equal(expected);
      });
    }

    it('formatFloat follows C++ stream output at 17 digits', () => {
      expect(
        [1, 0, -0, 10, 0.5, 1e-8, 1 / 3, 9.9999999999999995e-7, 2 ** 63].map(formatSchemaFloat),
      ).to.deep.equal([
        '1.',
        '0.',
        '0.',
        '10.',
        '0.5',
        '1e-08',
        '0.33333333333333331',
        '9.9999999999999995e-07',
        '9.2233720368547758e+18',
      ]);
    });
  });

  describe('errors: SCHEMA_PARSE with the column of the problem', () => {
    const cases: [string, number, string][] = [
      ['aten::add(Tensor self, Tensor other -> Tensor', 37, "expected ','"],
      ['add(Tensor self) -> Tensor', 4, "expected '::'"],
      ['aten::f(Tensor) -> Tensor', 15, 'expected an argument name'],
      ['aten::f(Tnsor x) -> Tensor', 9, "unknown type 'Tnsor'"],
      ['aten::f(Tensor(a x) -> Tensor', 18, "expected ')'"],
      ['aten::f(int x=1.5) -> int', 15, 'expected an int default'],
      ['aten::f(int x=None) -> int', 15, 'None is not a valid default for type int'],
      ['aten::f(int[] x=1) -> int', 17, 'expected a list default'],
      ['aten::f(str s="abc) -> int', 15, 'unterminated string'],
      ['aten::f(Tensor x, *, *, int y) -> int', 22, "a second '*'"],
      ['aten::f(..., Tensor x) -> int', 12, "'...' must be the last argument"],
      ['aten::f(Tensor x, Tensor x) -> int', 19, "duplicate argument name 'x'"],
      ['aten::f(Tensor x) -> Tensor junk junk', 34, "unexpected 'junk'"],
      ['aten::f(Tensor? (a) x) -> int', 17, "alias annotation must come before '?'"],
      ['aten::f(Dict(str) d) -> int', 13, 'Dict takes 2 type arguments'],
      ['aten::f(int x=0x10) -> int', 15, 'malformed number'],
      ['aten::f(Tensor x) $ int', 19, "unexpected character '$'"],
      ['aten::f(Tensor x)', 18, "expected '->'"],
      ['aten::f(int x=Foo) -> int', 15, "unknown default value 'Foo'"],
      ['aten::f(int[2][3] x) -> int', 15, 'fixed list size is only allowed on the outermost list'],
    ];
    for (const [text, column, words] of cases) {
      it(`${text} -> column ${column}`, () => {
        const e = parseError(text);
        expect(e.code).to.equal('SCHEMA_PARSE');
        expect(e.column, e.message).to.equal(column);
        expect(e.message).to.contain(words);
        expect(e.message).to.contain(`\n  ${text}\n  ${' '.repeat(column - 1)}^`);
      });
    }
  });
});

function alias(a: {
  kwargOnly: boolean;
  defaultValue: unknown;
  defaultType?: { str(): string };
  hasDefault: boolean;
}) {
  return {
    kwargOnly: a.kwargOnly,
    value: a.defaultValue,
    type: a.defaultType?.str(),
    hasDefault: a.hasDefault,
  };
}
