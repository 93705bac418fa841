// summarizeClass: the class layout torch writes (parameters, buffers, declarations, constants, methods),
// on every fixture class and on the older `__annotations__` form, with layout errors at their position.
import { expect } from 'chai';
import { IRParseError } from '../../src/errors.js';
import {
  parseSource,
  printType,
  summarizeClass,
  type ClassDef,
} from '../../src/serialization/torchscript/index.js';
import { fixtureCodeFiles } from './torchscript-test-helpers.js';

function firstClass(text: string): ClassDef {
  const item = parseSource(text, 'c.py').body.find((i) => i.kind === 'ClassDef');
  if (item?.kind !== 'ClassDef') throw new Error('class expected');
  return item;
}

describe('torchscript source: class summaries', function () {
  it('summarizes a module class', function () {
    const summary = summarizeClass(
      firstClass(
        [
          'class Linear(Module):',
          '  __parameters__ = ["weight", "bias", ]',
          '  __buffers__ = ["running", ]',
          '  weight : Tensor',
          '  bias : Optional[Tensor]',
          '  running : Tensor',
          '  training : bool',
          '  out_features : Final[int] = 3',
          '  def forward(self: __torch__.Linear, x: Tensor) -> Tensor:',
          '    return x',
        ].join('\n'),
      ),
    );
    expect(summary.flavor).to.equal('module');
    expect(summary.parameters).to.deep.equal(['weight', 'bias']);
    expect(summary.buffers).to.deep.equal(['running']);
    expect(summary.attributes.map((a) => `${a.name}:${printType(a.type)}`)).to.deep.equal([
      'weight:Tensor',
      'bias:Optional[Tensor]',
      'running:Tensor',
      'training:bool',
    ]);
    expect(
      summary.constants.map((c) => `${c.name}:${c.type ? printType(c.type) : '-'}=${c.value.kind}`),
    ).to.deep.equal(['out_features:Final[int]=Int']);
    expect(summary.methods.map((m) => m.name)).to.deep.equal(['forward']);
  });

  it('reads the older __annotations__ / __constants__ layout and Enum members', function () {
    const old = summarizeClass(
      firstClass(
        [
          'class M(Module):',
          '  __parameters__ = ["w", ]',
          '  __annotations__ = []',
          '  __annotations__["w"] = Tensor',
          '  __annotations__["sub"] = __torch__.Sub',
          '  __constants__ = ["eps", ]',
          '  eps : Final[float] = 1e-05',
        ].join('\n'),
      ),
    );
    expect(old.attributes.map((a) => `${a.name}:${printType(a.type)}`)).to.deep.equal([
      'w:Tensor',
      'sub:__torch__.Sub',
    ]);
    expect(old.constantNames).to.deep.equal(['eps']);
    const color = summarizeClass(firstClass('class Color(Enum):\n  RED = 1\n  GREEN = 2\n'));
    expect(color.flavor).to.equal('enum');
    expect(color.constants.map((c) => `${c.name}:${c.type}`)).to.deep.equal(['RED:null', 'GREEN:null']);
  });

  it('reports malformed layouts with TS_CLASS_LAYOUT at the offending position', function () {
    const cases: [string, number, number, string, string][] = [
      [
        'class M(Module):\n  __parameters__ = "w"\n',
        2,
        20,
        '__parameters__ must be a list',
        'TS_CLASS_LAYOUT',
      ],
      [
        'class M(Module):\n  __buffers__ = ["a", 1]\n',
        2,
        23,
        '__buffers__ must be a list',
        'TS_CLASS_LAYOUT',
      ],
      ['class M(Module):\n  w : Tensor\n  w : int\n', 3, 3, "'w' is declared twice", 'TS_CLASS_LAYOUT'],
      [
        'class M(Module):\n  __annotations__[0] = int\n',
        2,
        3,
        'indexed by one attribute name',
        'TS_CLASS_LAYOUT',
      ],
      ['class M(Module):\n  __annotations__["x"] = 1\n', 2, 26, 'expected a type', 'TS_SYNTAX'],
    ];
    for (const [text, line, column, words, code] of cases) {
      let caught: unknown;
      try {
        const module = parseSource(text, 'c.py');
        summarizeClass(module.body[0] as ClassDef, module.text);
      } catch (error) {
        caught = error;
      }
      expect(caught, text).to.be.instanceOf(IRParseError);
      const error = caught as IRParseError;
      expect(error.code, text).to.equal(code);
      expect(error.location, text).to.deep.equal({ file: 'c.py', line, column });
      expect(error.message).to.include(words);
      expect(error.message).to.include('\n');
    }
  });

  it('summarizes every class of every fixture, with parameters and buffers all declared', function () {
    const flavors = new Map<string, number>();
    for (const file of fixtureCodeFiles()) {
      const module = parseSource(file.text, file.name);
      for (const item of module.body) {
        if (item.kind !== 'ClassDef') continue;
        const summary = summarizeClass(item, module.text);
        flavors.set(summary.flavor, (flavors.get(summary.flavor) ?? 0) + 1);
        const declared = new Set(summary.attributes.map((a) => a.name));
        for (const name of [...summary.parameters, ...summary.buffers])
          expect(declared.has(name), `${file.name} ${item.name}.${name}`).to.equal(true);
        if (summary.flavor === 'module')
          expect(summary.methods.length + summary.attributes.length, item.name).to.be.greaterThan(0);
      }
    }
    expect(flavors.get('module')).to.be.greaterThan(200);
    expect(flavors.get('namedtuple')).to.be.greaterThan(0);
    expect(flavors.get('module-interface')).to.be.greaterThan(0);
  });
});
