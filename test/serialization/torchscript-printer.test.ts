// The AST printer: parentheses from precedence for built (not parsed) trees, literal formatting, torch's
// layout, and a property test that printing any generated expression parses back to the same tree.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  formatFloat,
  printExpr,
  printModuleSource,
  quoteString,
  tokenize,
  type BinaryOperator,
  type CompareOperator,
  type Expr,
  type SourceModule,
  type SourceRange,
} from '../../src/serialization/torchscript/index.js';
import { parseExpr, sexpr } from './torchscript-test-helpers.js';

/** Multiplies the property's run count (TSFREEZE_FUZZ_SCALE=50 for a long local campaign). */
const SCALE = Math.max(1, Number(process.env['TSFREEZE_FUZZ_SCALE'] ?? '1') || 1);

const R: SourceRange = { file: 'built', line: 1, column: 1, endLine: 1, endColumn: 1 };
const name = (id: string): Expr => ({ kind: 'Name', id, range: R });
const bin = (op: BinaryOperator, left: Expr, right: Expr): Expr => ({
  kind: 'BinaryOp',
  op,
  left,
  right,
  range: R,
});

describe('torchscript source: printer', function () {
  it('adds the parentheses a built tree needs, and only those', function () {
    expect(printExpr(bin('*', bin('+', name('a'), name('b')), name('c')))).to.equal('(a + b) * c');
    expect(printExpr(bin('-', name('a'), bin('-', name('b'), name('c'))))).to.equal('a - (b - c)');
    expect(printExpr(bin('-', bin('-', name('a'), name('b')), name('c')))).to.equal('a - b - c');
    expect(printExpr(bin('**', bin('**', name('a'), name('b')), name('c')))).to.equal('(a ** b) ** c');
    expect(printExpr(bin('**', name('a'), bin('**', name('b'), name('c'))))).to.equal('a ** b ** c');
    const neg: Expr = { kind: 'UnaryOp', op: '-', operand: name('a'), range: R };
    expect(printExpr(bin('**', neg, name('b')))).to.equal('(-a) ** b');
    expect(
      printExpr({ kind: 'Attribute', value: bin('+', name('a'), name('b')), attr: 'c', range: R }),
    ).to.equal('(a + b).c');
    expect(
      printExpr({ kind: 'Attribute', value: { kind: 'Int', value: 1n, range: R }, attr: 'c', range: R }),
    ).to.equal('(1).c');
    const pair: Expr = { kind: 'Tuple', elements: [name('a'), name('b')], range: R };
    expect(printExpr(pair)).to.equal('a, b');
    expect(printExpr({ kind: 'List', elements: [pair], range: R })).to.equal('[(a, b)]');
    expect(printExpr({ kind: 'Tuple', elements: [], range: R })).to.equal('()');
    expect(printExpr({ kind: 'Tuple', elements: [name('a')], range: R }, 1)).to.equal('(a,)');
  });

  it('formats floats so they lex back as floats with the same value', function () {
    expect(
      [100, 1e-5, 0.1, 1.5e300, 5e-324, 1e21, 0, 1e16, 1e15, 0.0001, 123.456].map(formatFloat),
    ).to.deep.equal([
      '100.',
      '1e-05',
      '0.1',
      '1.5e+300',
      '5e-324',
      '1e+21',
      '0.',
      '1e+16',
      '1000000000000000.',
      '0.0001',
      '123.456',
    ]);
    expect(formatFloat(-2.5)).to.equal('-2.5');
    expect([Infinity, -Infinity, NaN].map(formatFloat)).to.deep.equal(['inf', '-inf', 'nan']);
    for (const value of [
      100,
      1e-5,
      0.1,
      1.5e300,
      5e-324,
      1e21,
      0,
      123456789.123,
      2 ** 70,
      1e16,
      0.00012345,
      9007199254740993,
    ]) {
      const token = tokenize(formatFloat(value), 't.py')[0];
      expect(token?.kind).to.equal('float');
      expect(Number(token?.text)).to.equal(value);
    }
  });

  it('quotes strings the way torch does and they decode back', function () {
    expect(quoteString(`key's "x"\n\t\\`)).to.equal(`"key\\'s \\"x\\"\\n\\t\\\\"`);
    const nasty = 'a\u0000b\u0007\u007f\r\f\v\b é \u{1F600}';
    const token = tokenize(quoteString(nasty), 't.py')[0];
    expect(token?.value).to.equal(nasty);
  });

  it('prints a built module in torch layout', function () {
    const module: SourceModule = {
      kind: 'Module',
      file: 'built.py',
      text: '',
      range: R,
      body: [
        {
          kind: 'FunctionDef',
          name: 'f',
          decorators: [],
          range: R,
          params: [
            {
              name: 'x',
              annotation: { kind: 'TypeName', name: 'Tensor', range: R },
              default: null,
              range: R,
            },
            {
              name: 'n',
              annotation: { kind: 'TypeName', name: 'int', range: R },
              default: { kind: 'Int', value: -3n, range: R },
              range: R,
            },
          ],
          returns: { kind: 'TypeApply', name: 'Tuple', args: [], range: R },
          body: [
            {
              kind: 'If',
              test: name('n'),
              body: [{ kind: 'Return', value: { kind: 'Tuple', elements: [], range: R }, range: R }],
              orelse: [],
              range: R,
            },
            {
              kind: 'Assign',
              target: name('y'),
              value: { kind: 'String', value: "it's", range: R },
              annotation: null,
              range: R,
            },
            { kind: 'While', test: name('y'), body: [], range: R },
            { kind: 'Return', value: { kind: 'Tuple', elements: [], range: R }, range: R },
          ],
        },
      ],
    };
    expect(printModuleSource(module)).to.equal(
      [
        'def f(x: Tensor,',
        '    n: int=-3) -> Tuple[()]:',
        '  if n:',
        '    return ()',
        '  y = "it\\\'s"',
        '  while y:',
        '    pass',
        '  return ()',
        '',
      ].join('\n'),
    );
  });

  it('prints any generated expression so that it parses back to the same tree', function () {
    const leaf: fc.Arbitrary<Expr> = fc.oneof(
      fc.constantFrom('a', 'b', 'self', 'torch', 'inf', 'x_1').map(name),
      fc.bigInt({ min: 0n, max: 2n ** 70n }).map((value): Expr => ({ kind: 'Int', value, range: R })),
      fc
        .double({ min: 0, noNaN: true, noDefaultInfinity: true })
        .map((value): Expr => ({ kind: 'Float', value, range: R })),
      fc.string({ unit: 'binary', maxLength: 6 }).map((value): Expr => ({ kind: 'String', value, range: R })),
      fc.constantFrom<Expr>(
        { kind: 'None', range: R },
        { kind: 'Bool', value: true, range: R },
        { kind: 'Ellipsis', range: R },
      ),
    );
    const binaryOps: BinaryOperator[] = ['+', '-', '*', '/', '//', '%', '**', '@', '&', '|', '^', '<<', '>>'];
    const compareOps: CompareOperator[] = ['<', '<=', '>', '>=', '==', '!=', 'is', 'is not', 'in', 'not in'];
    const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
      const sub = tie('expr');
      const list = fc.array(sub, { maxLength: 3 });
      return {
        expr: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          leaf,
          fc
            .tuple(fc.constantFrom('-', '+', '~', 'not' as const), sub)
            .map(([op, operand]): Expr => ({ kind: 'UnaryOp', op, operand, range: R })),
          fc.tuple(fc.constantFrom(...binaryOps), sub, sub).map(([op, left, right]) => bin(op, left, right)),
          fc
            .tuple(fc.constantFrom('and', 'or' as const), sub, sub)
            .map(([op, left, right]): Expr => ({ kind: 'BoolOp', op, left, right, range: R })),
          fc
            .tuple(
              sub,
              fc.array(fc.tuple(fc.constantFrom(...compareOps), sub), { minLength: 1, maxLength: 3 }),
            )
            .map(([left, links]): Expr => ({
              kind: 'Compare',
              left,
              comparisons: links.map(([op, right]) => ({ op, right })),
              range: R,
            })),
          fc.tuple(sub, sub, sub).map(([condition, whenTrue, whenFalse]): Expr => ({
            kind: 'Ternary',
            condition,
            whenTrue,
            whenFalse,
            range: R,
          })),
          fc.tuple(sub, list, fc.option(sub)).map(([func, args, kw]): Expr => ({
            kind: 'Call',
            func,
            args,
            keywords: kw === null ? [] : [{ name: 'dim', value: kw, range: R }],
            range: R,
          })),
          fc
            .tuple(sub, fc.constantFrom('forward', 'c0'))
            .map(([value, attr]): Expr => ({ kind: 'Attribute', value, attr, range: R })),
          fc.tuple(sub, sub, fc.option(sub)).map(([value, index, upper]): Expr => ({
            kind: 'Subscript',
            value,
            range: R,
            indices:
              upper === null
                ? [index]
                : [index, { kind: 'Slice', lower: null, upper, step: index, range: R }],
          })),
          list.map((elements): Expr => ({ kind: 'List', elements, range: R })),
          list.map((elements): Expr => ({ kind: 'Tuple', elements, range: R })),
          fc.array(fc.tuple(sub, sub), { maxLength: 2 }).map((pairs): Expr => ({
            kind: 'Dict',
            entries: pairs.map(([key, value]) => ({ key, value, range: R })),
            range: R,
          })),
        ),
      };
    });
    fc.assert(
      fc.property(expr, (e) => {
        const text = printExpr(e);
        const back = parseExpr(text);
        expect(sexpr(back), text).to.equal(sexpr(e));
        expect(printExpr(back)).to.equal(text);
      }),
      { numRuns: 1500 * SCALE },
    );
  });
});
