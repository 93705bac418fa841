// Pipeline text and JSON forms: parsing, canonical printing, round trips, equivalence, and errors with columns.

import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  parsePipelineJson,
  parsePipelineText,
  pipelineJsonSchema,
  pipelinesEqual,
  printPipelineJson,
  printPipelineText,
  TsFreezeError,
  type OptionExpr,
  type Pipeline,
  type PipelineElement,
} from '../../src/index.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';

const CANONICAL = [
  'a',
  'a,b',
  'dead-code-elimination',
  'a,b{opt=1,list=[x,y]},fixpoint{max=10}(c,d),when{option=optimizeNumerics}(e)',
  'freeze-attributes{preserve=version}',
  'p{s="has space",q="1",t="true",e=""}',
  'p{n=-1.5,big=1e+21,z=0,neg=-3}',
  'p{r=$preservedAttrs,l=[$a,1,x,"1 2"],nested=[[1,2],[]]}',
  'fixpoint(c,fixpoint{max=2}(d))',
  'when{option=optimizeNumerics,equals=false}(a,b)',
  'when{option=mode,equals=exact}()',
  'p{path=a/b.pt,k=conv-bn,ns=aten::add}',
  '',
];

function syntaxError(text: string): TsFreezeError & { column: number } {
  try {
    parsePipelineText(text);
  } catch (e) {
    expect(e).to.be.instanceOf(TsFreezeError);
    return e as TsFreezeError & { column: number };
  }
  throw new Error(`expected a syntax error for: ${text}`);
}

describe('pipeline text', () => {
  it('prints canonical text back unchanged', () => {
    for (const text of CANONICAL) expect(printPipelineText(parsePipelineText(text)), text).to.equal(text);
  });

  it('parses the issue example into the expected structure', () => {
    const p = parsePipelineText(
      'a,b{opt=1,list=[x,y]},fixpoint{max=10}(c,d),when{option=optimizeNumerics}(e)',
    );
    expect(p).to.deep.equal({
      elements: [
        { kind: 'pass', name: 'a', options: {} },
        { kind: 'pass', name: 'b', options: { opt: 1, list: ['x', 'y'] } },
        {
          kind: 'fixpoint',
          max: 10,
          body: [
            { kind: 'pass', name: 'c', options: {} },
            { kind: 'pass', name: 'd', options: {} },
          ],
        },
        { kind: 'when', option: 'optimizeNumerics', body: [{ kind: 'pass', name: 'e', options: {} }] },
      ],
    });
  });

  it('accepts whitespace and newlines anywhere between tokens, and prints them away', () => {
    const p = parsePipelineText(
      ' a ,\n b { opt = 1 , list = [ x , y ] } ,\n fixpoint { max = 3 } ( c , d ) ',
    );
    expect(printPipelineText(p)).to.equal('a,b{opt=1,list=[x,y]},fixpoint{max=3}(c,d)');
  });

  it('types values: numbers, booleans, barewords, quoted strings, lists and $references', () => {
    const p = parsePipelineText('p{a=1,b=2.5,c=true,d=false,e=word,f="1",g="true",h=[],i=$opt}');
    expect((p.elements[0] as { options: unknown }).options).to.deep.equal({
      a: 1,
      b: 2.5,
      c: true,
      d: false,
      e: 'word',
      f: '1',
      g: 'true',
      h: [],
      i: { ref: 'opt' },
    });
  });

  const BAD: [string, number, string][] = [
    ['a,,b', 3, 'expected a pass name'],
    ['a,', 3, 'found the end'],
    [',a', 1, 'expected a pass name'],
    ['a{opt}', 6, "expected '=' after option 'opt'"],
    ['a{opt=}', 7, 'expected a value'],
    ['a{opt=1', 8, "missing '}'"],
    ['a{opt=1;x=2}', 8, "expected ',' or '}'"],
    ['a{opt=[1,2}', 11, "expected ',' or ']'"],
    ['a{s="abc}', 5, 'unterminated string'],
    ['fixpoint(a', 11, "missing ')'"],
    ['fixpoint a', 10, "expected '(' after fixpoint"],
    ['a(b)', 2, "'a' is a pass, not a group"],
    ['a)', 2, "unmatched ')'"],
    ['a b', 3, "expected ',' or the end"],
    ['fixpoint{max=0}(a)', 14, 'positive integer'],
    ['fixpoint{min=1}(a)', 10, "not 'min'"],
    ['when(a)', 1, 'when needs {option=NAME}'],
    ['when{option=x,other=1}(a)', 15, "not 'other'"],
    ['when{option=x,equals=$y}(a)', 22, 'literal'],
    ['a{x=1,x=2}', 7, "option 'x' is given twice"],
    ['a{opt=1x}', 7, 'malformed number'],
    ['a{$x=1}', 3, 'expected an option name'],
    ['a{o=$}', 6, "pipeline option name after '$'"],
    ['%bad', 1, 'expected a pass name'],
  ];

  for (const [text, column, words] of BAD) {
    it(`rejects ${JSON.stringify(text)} at column ${column}`, () => {
      const e = syntaxError(text);
      expect(e.code).to.equal('PIPELINE_SYNTAX');
      expect(e.column).to.equal(column);
      expect(e.message).to.include(`column ${column}`);
      expect(e.message).to.include(words);
      // The line, then a caret under the column.
      const lines = e.message.split('\n');
      expect(lines[1]).to.equal(`  ${text}`);
      expect(lines[2]).to.equal(`  ${' '.repeat(column - 1)}^`);
    });
  }

  it('names line and column in multi-line text', () => {
    const e = syntaxError('a,\nb{x=}');
    expect(e.message).to.include('line 2, column 5');
  });
});

describe('pipeline JSON', () => {
  const TEXT =
    'a,b{opt=1,list=[x,y],r=$preservedAttrs},fixpoint{max=10}(c,d),when{option=optimizeNumerics}(e),when{option=mode,equals=exact}(f),fixpoint(g)';
  const JSON_FORM = {
    passes: [
      'a',
      { pass: 'b', options: { opt: 1, list: ['x', 'y'], r: { option: 'preservedAttrs' } } },
      { fixpoint: { max: 10 }, passes: ['c', 'd'] },
      { when: { option: 'optimizeNumerics' }, passes: ['e'] },
      { when: { option: 'mode', equals: 'exact' }, passes: ['f'] },
      { fixpoint: {}, passes: ['g'] },
    ],
  };

  it('the text and JSON forms of one pipeline parse to the same pipeline and print back identically', () => {
    const fromText = parsePipelineText(TEXT);
    const fromJson = parsePipelineJson(JSON.stringify(JSON_FORM)).pipeline;
    expect(pipelinesEqual(fromText, fromJson)).to.equal(true);
    expect(fromJson).to.deep.equal(fromText);
    expect(printPipelineText(fromJson)).to.equal(TEXT);
    expect(printPipelineText(fromText)).to.equal(TEXT);
    expect(JSON.parse(printPipelineJson(fromText))).to.deep.equal(JSON_FORM);
    expect(printPipelineJson(fromJson)).to.equal(printPipelineJson(fromText));
  });

  it('reads {"pass": name} the same as "name"', () => {
    const a = parsePipelineJson({ passes: [{ pass: 'a' }] }).pipeline;
    expect(printPipelineText(a)).to.equal('a');
  });

  it('keeps a definition: name, summary and typed pipeline options', () => {
    const def = {
      name: 'my-freeze',
      summary: 'demo',
      options: { optimizeNumerics: { type: 'boolean', default: true, description: 'fold numerics' } },
      passes: [{ when: { option: 'optimizeNumerics' }, passes: ['a'] }],
    };
    const parsed = parsePipelineJson(def);
    expect(parsed.name).to.equal('my-freeze');
    expect(parsed.options.optimizeNumerics.type).to.equal('boolean');
    expect(JSON.parse(printPipelineJson(parsed))).to.deep.equal(def);
  });

  const BAD_JSON: [unknown, string][] = [
    ['{ not json', 'invalid pipeline JSON'],
    [{}, 'passes'],
    [{ passes: [{ pas: 'x' }] }, 'passes[0]'],
    [{ passes: [{ fixpoint: { max: 0 }, passes: [] }] }, 'passes[0].fixpoint.max'],
    [
      { passes: [{ fixpoint: {}, passes: [{ pass: 'x', options: { o: {} } }] }] },
      'passes[0].passes[0].options.o',
    ],
    [{ passes: ['a'], extra: 1 }, 'extra'],
    [{ name: 'Bad Name', passes: [] }, 'kebab-case'],
    [{ passes: [], options: { x: { type: 'float', description: '' } } }, 'options.x.type'],
    [
      { passes: [], options: { x: { type: 'integer', default: 'no', description: '' } } },
      'default of option',
    ],
  ];
  for (const [input, words] of BAD_JSON) {
    it(`rejects ${JSON.stringify(input).slice(0, 60)} naming ${words}`, () => {
      let error: unknown;
      try {
        parsePipelineJson(typeof input === 'string' ? input : JSON.stringify(input));
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(TsFreezeError);
      expect((error as TsFreezeError).message).to.include(words);
    });
  }

  it('the JSON Schema in docs/pipeline.schema.json is the one zod generates', () => {
    const onDisk = JSON.parse(readFileSync(`${REPO_ROOT}docs/pipeline.schema.json`, 'utf8')) as unknown;
    expect(onDisk).to.deep.equal(pipelineJsonSchema());
  });
});

// Random pipelines: print -> parse -> print is stable in both forms, and the forms agree.
const name = fc.constantFrom('a', 'b', 'dead-code-elimination', 'x1', 'conv-bn');
const key = fc.constantFrom('opt', 'max_iter', 'list', 'preserve', 'o-2');
const scalar: fc.Arbitrary<OptionExpr> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
  fc.boolean(),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('word', 'a/b.pt', 'true', '1', '$x').map((s) => s),
  key.map((k) => ({ ref: k.replace('-', '_') })),
);
const value: fc.Arbitrary<OptionExpr> = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
const element: fc.Arbitrary<PipelineElement> = fc.letrec<{ el: PipelineElement }>((tie) => ({
  el: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('pass' as const),
      name,
      options: fc.dictionary(key, value, { maxKeys: 3 }),
    }),
    fc.record({
      kind: fc.constant('fixpoint' as const),
      max: fc.integer({ min: 1, max: 20 }),
      body: fc.array(tie('el'), { maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('when' as const),
      option: key.map((k) => k.replace('-', '_')),
      body: fc.array(tie('el'), { maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('when-changed' as const),
      pass: name,
      body: fc.array(tie('el'), { maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('anchor' as const),
      on: fc.constant('methods' as const),
      names: fc.uniqueArray(fc.constantFrom('forward', 'helper', '_m2'), { minLength: 1, maxLength: 3 }),
      body: fc.array(tie('el'), { maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('anchor' as const),
      on: fc.constant('submodules' as const),
      names: fc.uniqueArray(fc.constantFrom('layer1.0', '0', 'a_b.c.1', 'head'), {
        minLength: 1,
        maxLength: 3,
      }),
      body: fc.array(tie('el'), { maxLength: 3 }),
    }),
  ),
})).el;

describe('pipeline forms (property)', () => {
  it('print(parse(print(p))) == print(p), and JSON agrees with text', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 4 }), (elements) => {
        const p: Pipeline = { elements };
        const text = printPipelineText(p);
        const reparsed = parsePipelineText(text);
        expect(printPipelineText(reparsed)).to.equal(text);
        expect(pipelinesEqual(reparsed, p)).to.equal(true);
        const viaJson = parsePipelineJson(printPipelineJson(p)).pipeline;
        expect(printPipelineText(viaJson)).to.equal(text);
      }),
      { numRuns: 300 },
    );
  });
});
