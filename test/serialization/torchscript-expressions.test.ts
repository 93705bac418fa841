// Expressions and types of TorchScript source: literals, precedence, calls, subscripts, containers,
// comprehensions, the type forms of annotations, and exprToType for annotate/unchecked_cast/isinstance.
import { expect } from 'chai';
import {
  exprToType,
  dottedName,
  printType,
  parseSource,
  type ClassDef,
} from '../../src/serialization/torchscript/index.js';
import { parseExpr, sexpr } from './torchscript-test-helpers.js';

const show = (text: string): string => sexpr(parseExpr(text));

describe('torchscript source: expressions', function () {
  it('keeps integers exact as bigint, whatever their size or base', function () {
    const big = parseExpr('9223372036854775807');
    expect(big.kind === 'Int' && big.value).to.equal(9223372036854775807n);
    const bigger = parseExpr('18446744073709551616');
    expect(bigger.kind === 'Int' && bigger.value).to.equal(18446744073709551616n);
    expect(show('-9223372036854775808')).to.equal('(- 9223372036854775808)');
    expect(show('[0x10, 0o17, 0b101, 1_000]')).to.equal('[16 15 5 1000]');
  });

  it('reads floats torch writes and keeps their spelling', function () {
    expect(show('[1e-05, 100., .5, 0.10000000000000001, 1E5, 1.0000000000000001e+300]')).to.equal(
      '[f0.00001 f100 f0.5 f0.1 f100000 f1e+300]',
    );
    const f = parseExpr('100.');
    expect(f.kind === 'Float' && f.raw).to.equal('100.');
    // inf/nan are names torch resolves (there is no literal for them).
    expect(show('[inf, -inf, nan]')).to.equal('[inf (- inf) nan]');
  });

  it('reads strings: both quotes, escapes, implicit concatenation', function () {
    expect(show(`["key\\'s", 'a"b', "x" 'y' "z", "\\n\\t\\\\"]`)).to.equal(
      `["key's" "a\\"b" "xyz" "\\n\\t\\\\"]`,
    );
    expect(show('"AssertionError: "')).to.equal('"AssertionError: "');
  });

  it('reads None, True, False and ...', function () {
    expect(show('[None, True, False, ...]')).to.equal('[None True False ...]');
  });

  it('reads attributes, calls with keywords, torch.* / ops.prim.* / ops.aten.* and CONSTANTS', function () {
    expect(show('torch.zeros([1, b, 6], dtype=_2, layout=None, device=_3)')).to.equal(
      '(call (. torch zeros) [1 b 6] dtype=_2 layout=None device=_3)',
    );
    expect(show('ops.prim.RaiseException(_45, "builtins.RuntimeError")')).to.equal(
      '(call (. (. ops prim) RaiseException) _45 "builtins.RuntimeError")',
    );
    expect(show('ops.aten.add(a, b)')).to.equal('(call (. (. ops aten) add) a b)');
    expect(show('torch.linear(x, CONSTANTS.c1, CONSTANTS.c2)')).to.equal(
      '(call (. torch linear) x (. CONSTANTS c1) (. CONSTANTS c2))',
    );
  });

  it('marks parenthesized method receivers and trailing commas of torch calls', function () {
    const call = parseExpr('(lin).forward(x, )');
    expect(sexpr(call)).to.equal('(call (. lin forward) x)');
    expect(call.kind === 'Call' && call.trailingComma).to.equal(true);
    expect(call.kind === 'Call' && call.func.kind === 'Attribute' && call.func.value.parens).to.equal(true);
    expect(call.kind === 'Call' && dottedName(call.func)).to.equal(null);
    expect(dottedName(parseExpr('__torch__.torch.nn.functional.relu'))).to.equal(
      '__torch__.torch.nn.functional.relu',
    );
  });

  it('reads subscripts and slices', function () {
    expect(show('x[0]')).to.equal('([] x 0)');
    expect(show('x[:, 1]')).to.equal('([] x (: _ _ _) 1)');
    expect(show('x[1:-1:2]')).to.equal('([] x (: 1 (- 1) 2))');
    expect(show('x[..., None]')).to.equal('([] x ... None)');
    expect(show('x[::2, a:]')).to.equal('([] x (: _ _ 2) (: a _ _))');
    expect(show('(torch.size(k2))[0]')).to.equal('([] (call (. torch size) k2) 0)');
    expect(show('names[-1]')).to.equal('([] names (- 1))');
  });

  it('reads lists, tuples and dicts, empty and with trailing commas', function () {
    expect(show('[]')).to.equal('[]');
    expect(show('["weight", "bias", ]')).to.equal('["weight" "bias"]');
    expect(show('()')).to.equal('(tuple)');
    expect(show('(x,)')).to.equal('(tuple x)');
    expect(show('(a, b, )')).to.equal('(tuple a b)');
    expect(show('{}')).to.equal('{}');
    expect(show('{"a": 1, "b": 2,}')).to.equal('{"a":1 "b":2}');
    const single = parseExpr('(x,)');
    expect(single.kind === 'Tuple' && single.trailingComma && single.parens).to.equal(true);
    expect(parseExpr('(x)').kind).to.equal('Name');
  });

  it('applies Python precedence and associativity', function () {
    expect(show('a + b * c - d')).to.equal('(- (+ a (* b c)) d)');
    expect(show('a // b % c @ d')).to.equal('(@ (% (// a b) c) d)');
    expect(show('a | b ^ c & d << e >> f')).to.equal('(| a (^ b (& c (>> (<< d e) f))))');
    expect(show('-a ** -b ** c')).to.equal('(- (** a (- (** b c))))');
    expect(show('~x + +y')).to.equal('(+ (~ x) (+ y))');
    expect(show('not a and b or c and not d')).to.equal('(or (and (not a) b) (and c (not d)))');
    expect(show('a or b or c')).to.equal('(or (or a b) c)');
    expect(show('(a + b) * c')).to.equal('(* (+ a b) c)');
  });

  it('reads comparisons and chains, including is / is not / in / not in', function () {
    expect(show('a < b < c')).to.equal('(a < b < c)');
    expect(show('a is not None')).to.equal('(a is not None)');
    expect(show('x is None')).to.equal('(x is None)');
    expect(show('k in d')).to.equal('(k in d)');
    expect(show('k not in d == e')).to.equal('(k not in d == e)');
    expect(show('a + 1 >= b and c != d')).to.equal('(and ((+ a 1) >= b) (c != d))');
  });

  it('reads conditional expressions (right-nested)', function () {
    expect(show('a if c else b')).to.equal('(if c a b)');
    expect(show('a if c else b if d else e')).to.equal('(if c a (if d b e))');
    expect(show('x[1:] if n > 0 else x')).to.equal('(if (n > 0) ([] x (: 1 _ _)) x)');
  });

  it('reads list and dict comprehensions', function () {
    expect(show('[a * 2 for a in xs]')).to.equal('(listcomp (* a 2) (for a xs))');
    expect(show('[k for k, v in d.items() if v]')).to.equal(
      '(listcomp k (for (tuple k v) (call (. d items)) v))',
    );
    expect(show('{k: v for k, v in zip(a, b)}')).to.equal('(dictcomp k:v (for (tuple k v) (call zip a b)))');
  });

  it('reads annotate / unchecked_cast / isinstance / uninitialized calls and converts their type arguments', function () {
    const annotate = parseExpr('annotate(List[int], [])');
    expect(sexpr(annotate)).to.equal('(call annotate ([] List int) [])');
    if (annotate.kind !== 'Call' || annotate.args[0] === undefined) throw new Error('call expected');
    expect(printType(exprToType(annotate.args[0]))).to.equal('List[int]');
    const cast = parseExpr('unchecked_cast(Dict[str, __torch__.foo.___torch_mangle_3.Bar], x)');
    if (cast.kind !== 'Call' || cast.args[0] === undefined) throw new Error('call expected');
    expect(exprToType(cast.args[0])).to.deep.include({ kind: 'TypeApply', name: 'Dict' });
    expect(printType(exprToType(cast.args[0]))).to.equal('Dict[str, __torch__.foo.___torch_mangle_3.Bar]');
    const inst = parseExpr('isinstance(y0, Tensor)');
    if (inst.kind !== 'Call' || inst.args[1] === undefined) throw new Error('call expected');
    expect(exprToType(inst.args[1])).to.deep.include({ kind: 'TypeName', name: 'Tensor' });
    const empty = parseExpr('uninitialized(Tuple[()])');
    if (empty.kind !== 'Call' || empty.args[0] === undefined) throw new Error('call expected');
    expect(exprToType(empty.args[0])).to.deep.include({ kind: 'TypeApply', name: 'Tuple', args: [] });
    expect(exprToType(parseExpr('None')).kind).to.equal('TypeNone');
  });

  it('refuses to turn a non-type expression into a type, at its position', function () {
    const text = 'def f():\n  annotate(1 + 2, x)\n';
    const body = parseSource(text, 'e.py').body[0];
    const call =
      body?.kind === 'FunctionDef' && body.body[0]?.kind === 'ExprStmt' ? body.body[0].value : undefined;
    if (call?.kind !== 'Call' || call.args[0] === undefined) throw new Error('call expected');
    const arg = call.args[0];
    expect(() => exprToType(arg, text)).to.throw(/e\.py:2:12: expected a type/);
    const sliced = parseExpr('List[1:2]');
    expect(() => exprToType(sliced)).to.throw(/expected a type, found a slice/);
  });
});

describe('torchscript source: types', function () {
  const typesOf = (annotations: string[]): string[] => {
    const text = `class A(Module):\n${annotations.map((t, i) => `  a${i} : ${t}\n`).join('')}`;
    const cls = parseSource(text, 't.py').body[0] as ClassDef;
    return cls.body.map((item) => (item.kind === 'AttributeDecl' ? printType(item.annotation) : '?'));
  };

  it('parses every annotation form torch writes', function () {
    const forms = [
      'Tensor',
      'Optional[Tensor]',
      'List[int]',
      'Dict[str, Tensor]',
      'Tuple[Tensor, Tensor]',
      'Tuple[()]',
      '__torch__.torch.nn.modules.conv.___torch_mangle_3.Conv2d',
      'Final[int]',
      'NoneType',
      'Any',
      'number',
      'Optional[List[Tuple[int, Optional[Tensor]]]]',
      'Union[int, float]',
      'Future[Tensor]',
      'Device',
      'None',
    ];
    expect(typesOf(forms)).to.deep.equal(forms);
  });

  it('records the type structure', function () {
    const cls = parseSource('class A(Module):\n  x : Dict[str, Optional[Tensor]]\n', 't.py')
      .body[0] as ClassDef;
    const decl = cls.body[0];
    if (decl?.kind !== 'AttributeDecl') throw new Error('declaration expected');
    expect(decl.annotation.kind).to.equal('TypeApply');
    const [key, value] = decl.annotation.kind === 'TypeApply' ? decl.annotation.args : [];
    expect(key).to.deep.include({ kind: 'TypeName', name: 'str' });
    expect(value?.kind === 'TypeApply' && value.name).to.equal('Optional');
    expect(decl.annotation.range).to.deep.equal({
      file: 't.py',
      line: 2,
      column: 7,
      endLine: 2,
      endColumn: 34,
    });
  });

  it('reads `-> None` as TypeNone and `-> NoneType` as a name', function () {
    const module = parseSource('def f() -> None:\n  pass\ndef g() -> NoneType:\n  pass\n', 't.py');
    const [f, g] = module.body;
    expect(f?.kind === 'FunctionDef' && f.returns?.kind).to.equal('TypeNone');
    expect(g?.kind === 'FunctionDef' && g.returns).to.deep.include({ kind: 'TypeName', name: 'NoneType' });
  });
});
