// Pieces of the IR text format: types as PyTorch prints them, doubles (`1.`, %.17g), quoted strings with
// PyTorch's escapes, tensor constants (tables, `{x}`, `<Tensor>` placeholders, the lossless form), and
// the printing API (printNode, Graph.toString, parseIRFile).

import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  constantValue,
  decodeBase64,
  encodeBase64,
  formatDouble,
  Graph,
  insertConstant,
  InterfaceType,
  isPlaceholder,
  NamedClassType,
  parseDouble,
  parseIR,
  parseIRFile,
  parseType,
  printGraph,
  printNode,
  quoteString,
  TensorType,
} from '../../src/ir/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { DTYPE_LIST } from './text-arbitraries.js';

describe('IR text: types', () => {
  const printed = [
    'Tensor',
    'Float(2, 3, strides=[3, 1], requires_grad=0, device=cpu)',
    'Long(requires_grad=0, device=cpu)',
    'Float(8, 3, 3, 3, strides=[27, 9, 3, 1], requires_grad=0, device=cpu)',
    'FloatTensor',
    'FloatTensor(requires_grad=1)',
    'Tensor(2, *)',
    'Long(2, 3)',
    'Tensor()',
    'Tensor(device=cuda:1)',
    'int',
    'float',
    'bool',
    'str',
    'NoneType',
    'Device',
    'Scalar',
    'complex',
    'Any',
    'Function',
    'Generator',
    'Storage',
    'Stream',
    'int?',
    'int[]',
    'int[]?',
    'Tensor?[]',
    '(Tensor, Tensor)?',
    'Dict(str, Tensor)',
    'Dict(str, float)',
    '(Tensor, int)',
    '()',
    '(int)',
    '(Tensor, (Tensor, Tensor))',
    'NamedTuple(data : Tensor, batch_sizes : Tensor, sorted_indices : Tensor?, unsorted_indices : Tensor?)',
    '__torch__.M',
    '__torch__.torch.nn.modules.conv.___torch_mangle_3.Conv2d',
    'InterfaceType<OneTensorIface>',
    'Union(int, str)',
    'Future[int]',
    '(int, float)[]',
  ];
  for (const text of printed) {
    it(`reads and prints back ${text}`, () => {
      expect(parseType(text).str()).to.equal(text);
    });
  }

  it('reads refined tensor types into their parts', () => {
    const t = parseType('Float(2, *, strides=[3, 1], requires_grad=0, device=cpu)');
    expect(t).to.be.instanceOf(TensorType);
    expect((t as TensorType).info).to.deep.equal({
      dtype: 'float32',
      sizes: [2, null],
      strides: [3, 1],
      requiresGrad: false,
      device: 'cpu',
    });
    expect((parseType('FloatTensor') as TensorType).info).to.deep.equal({ dtype: 'float32' });
    expect((parseType('Long(requires_grad=0, device=cpu)') as TensorType).info.sizes).to.deep.equal([]);
  });

  it('accepts Future(T) as the schema parser writes it, printing Future[T]', () => {
    expect(parseType('Future(Tensor)').str()).to.equal('Future[Tensor]');
  });

  it('maps class names through resolveClass, once per name', () => {
    const mine = new NamedClassType('__torch__.Mine');
    const seen: string[] = [];
    const g = parseIR(
      'graph(%a : __torch__.Mine,\n      %b : __torch__.Mine,\n      %c : InterfaceType<I>):\n  return (%a)\n',
      {
        resolveClass: (name, kind) => {
          seen.push(`${kind}:${name}`);
          return name === '__torch__.Mine' ? mine : undefined;
        },
      },
    );
    expect(g.inputs[0].type).to.equal(mine);
    expect(g.inputs[1].type).to.equal(mine);
    expect(g.inputs[2].type).to.be.instanceOf(InterfaceType);
    expect(seen).to.deep.equal(['class:__torch__.Mine', 'interface:I']);
  });

  it('names the bad part of a type', () => {
    expect(() => parseType('Dict(str Tensor)')).to.throw(
      /1:10: expected ',' between the key and value types of Dict/,
    );
    expect(() => parseType('int extra')).to.throw(/unexpected text after the type/);
    expect(() => parseType('Float(2, requires_grad=2)')).to.throw(/requires_grad must be 0 or 1/);
  });
});

describe('IR text: doubles', () => {
  const cases: [number, string][] = [
    [1, '1.'],
    [100, '100.'],
    [-0, '-0.'],
    [0, '0.'],
    [0.1, '0.10000000000000001'],
    [1e-5, '1.0000000000000001e-05'],
    [1e20, '1e+20'],
    [1e10, '10000000000'],
    [9999999999, '9999999999.'],
    [123456789, '123456789.'],
    [2.5e-300, '2.5e-300'],
    [5e-324, '4.9406564584124654e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    [2 ** -26, '1.4901161193847656e-08'], // an exact tie at 17 digits: rounds to even, as printf does
    [-2.25, '-2.25'],
  ];
  for (const [v, text] of cases) {
    it(`prints ${v} as ${text} and reads it back exactly`, () => {
      expect(formatDouble(v)).to.equal(text);
      expect(Object.is(parseDouble(text), v)).to.equal(true);
    });
  }
});

describe('IR text: strings', () => {
  const cases: [string, string][] = [
    ['plain', '"plain"'],
    ["don't", `"don\\'t"`],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['\t\n\r\x07\b\f\v', '"\\t\\n\\r\\a\\b\\f\\v"'],
    ['\x00\x01\x7f', '"\\000\\001\\177"'],
    ['é', '"\\0)+\\/.)"'], // PyTorch octal-escapes UTF-8 bytes as signed chars
    ['€😀', undefined as unknown as string],
  ];
  for (const [s, text] of cases) {
    it(`quotes ${JSON.stringify(s)} as PyTorch does and reads it back`, () => {
      const quoted = quoteString(s);
      if (text !== undefined) expect(quoted).to.equal(text);
      const g = parseIR(`graph():\n  %s : str = prim::Constant[value=${quoted}]()\n  return (%s)\n`);
      expect(constantValue(g.outputs[0].node)).to.equal(s);
    });
  }

  it('reads raw non-ASCII text and \\xHH escapes, printing them as PyTorch would', () => {
    const g = parseIR('graph():\n  %s : str = prim::Constant[value="é\\x41"]()\n  return (%s)\n');
    expect(constantValue(g.outputs[0].node)).to.equal('éA');
    expect(printGraph(g)).to.include('value="\\0)+\\/.)A"');
  });
});

describe('IR text: tensor constants', () => {
  const one = (line: string): Graph => parseIR(`graph():\n${line}\n  return (%t)\n`);
  const tensorOf = (g: Graph): Tensor => g.outputs[0].node.t('value');

  it("reads PyTorch's table into a real tensor shaped by its footer", () => {
    const g = one(
      '  %t : Float(4, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1.5410 -0.2934 -2.1788  0.5684 [ CPUFloatType{4} ]]()',
    );
    const t = tensorOf(g);
    expect(t.dtype).to.equal('float32');
    expect(t.shape).to.deep.equal([4]);
    expect(t.toArray().map((x) => Number((x as number).toFixed(4)))).to.deep.equal([
      1.541, -0.2934, -2.1788, 0.5684,
    ]);
    expect(isPlaceholder(t)).to.equal(false);
  });

  it('reads scaled, column-split and sliced tables', () => {
    const scaled = tensorOf(
      one('  %t : Tensor = prim::Constant[value=1e-05 *  1.0000  2.0000  3.0000 [ CPUFloatType{3} ]]()'),
    );
    expect(scaled.toArray().map((x) => Math.round((x as number) * 1e6))).to.deep.equal([10, 20, 30]);
    const split = tensorOf(
      one(
        '  %t : Tensor = prim::Constant[value=Columns 1 to 8  1.5000  -2.2500   3.0000   4.0000   5.0000   6.0000   7.0000   8.0000  Columns 9 to 10  9.0000  10.5000 [ CPUFloatType{1,10} ]]()',
      ),
    );
    expect(split.shape).to.deep.equal([1, 10]);
    expect(split.toArray()).to.deep.equal([1.5, -2.25, 3, 4, 5, 6, 7, 8, 9, 10.5]);
    const sliced = tensorOf(
      one(
        '  %t : Tensor = prim::Constant[value=(1,1,.,.) =    0  0  0  (2,1,.,.) =    0  0  1 [ CPULongType{2,1,1,3} ]]()',
      ),
    );
    expect(sliced.dtype).to.equal('int64');
    expect(sliced.toArray()).to.deep.equal([0n, 0n, 0n, 0n, 0n, 1n]);
  });

  it('reads {x} with the shape and dtype of the output type', () => {
    const t = tensorOf(
      one('  %t : Float(1, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value={0.680097}]()'),
    );
    expect(t.shape).to.deep.equal([1]);
    expect(t.dtype).to.equal('float32');
    const untyped = tensorOf(one('  %t : Tensor = prim::Constant[value={0}]()'));
    expect(untyped.shape).to.deep.equal([]);
    expect(untyped.dtype).to.equal('int64');
  });

  it('reads <Tensor> as a zero placeholder shaped by the complete output type, printed back as <Tensor>', () => {
    const g = one(
      '  %t : Float(2, 3, strides=[3, 1], requires_grad=0, device=cpu) = prim::Constant[value=<Tensor>]()',
    );
    const t = tensorOf(g);
    expect(isPlaceholder(t)).to.equal(true);
    expect(t.shape).to.deep.equal([2, 3]);
    expect(t.toArray()).to.deep.equal([0, 0, 0, 0, 0, 0]);
    expect(printGraph(g, { tensorStyle: 'lossless' })).to.include('value=<Tensor>');
    const loose = tensorOf(one('  %t : Tensor = prim::Constant[value=<Tensor>]()'));
    expect(loose.shape).to.deep.equal([]);
  });

  it('prints a tensor with changed values by the formatter, not the text it was read from', () => {
    const g = one(
      '  %t : Float(2, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 0.5000  0.2500 [ CPUFloatType{2} ]]()',
    );
    tensorOf(g).setFlat(0, 100);
    expect(printGraph(g)).to.include('value= 100.0000    0.2500 [ CPUFloatType{2} ]');
  });

  it('prints small tensors as PyTorch does: {x} for one element, the table up to 10, <Tensor> beyond', () => {
    const g = new Graph();
    insertConstant(g, Tensor.fromArray('float32', [1.5], []));
    insertConstant(g, Tensor.fromArray('float32', [1.5, -2.25]));
    insertConstant(g, Tensor.zeros('float32', [11]));
    const text = printGraph(g);
    expect(text).to.include('%0 : Float(requires_grad=0, device=cpu) = prim::Constant[value={1.5}]()');
    expect(text).to.include(
      '%1 : Float(2, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1.5000 -2.2500 [ CPUFloatType{2} ]]()',
    );
    expect(text).to.include(
      '%2 : Float(11, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=<Tensor>]()',
    );
  });

  it('round-trips every dtype bit for bit in the lossless form', () => {
    for (const dtype of DTYPE_LIST) {
      const g = new Graph();
      const t = Tensor.zeros(dtype, [2, 3]);
      const bytes = new Uint8Array(t.storage.data.buffer);
      for (let i = 0; i < bytes.length; i++) bytes[i] = dtype === 'bool' ? i % 2 : (i * 37 + 11) & 255;
      g.registerOutput(insertConstant(g, t));
      const text = printGraph(g, { tensorStyle: 'lossless' });
      expect(text).to.match(/value=tensor<\w+\(2, 3\)>"[A-Za-z0-9+/=]+"/);
      const back = parseIR(text, { tensorStyle: 'lossless' }).outputs[0].node.t('value');
      expect(back.dtype).to.equal(dtype);
      expect([...new Uint8Array(back.storage.data.buffer)]).to.deep.equal([...bytes]);
    }
  });

  it('keeps requires_grad and device in the lossless form', () => {
    const t = Tensor.fromArray('float32', [1, 2]);
    t.requiresGrad = true;
    t.device = 'cuda:0';
    const g = new Graph();
    g.registerOutput(insertConstant(g, t, new TensorType()));
    const text = printGraph(g, { tensorStyle: 'lossless' });
    expect(text).to.include('tensor<Float(2, requires_grad=1, device=cuda:0)>');
    const back = parseIR(text).outputs[0].node.t('value');
    expect(back.requiresGrad).to.equal(true);
    expect(back.device).to.equal('cuda:0');
  });

  it('encodes base64 like the standard alphabet', () => {
    for (const s of ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar']) {
      const bytes = new TextEncoder().encode(s);
      expect(encodeBase64(bytes)).to.equal(Buffer.from(s).toString('base64'));
      expect(new TextDecoder().decode(decodeBase64(encodeBase64(bytes)))).to.equal(s);
    }
    expect(decodeBase64('abc')).to.equal(undefined);
    expect(decodeBase64('a$c=')).to.equal(undefined);
  });
});

describe('IR text: printing API', () => {
  const TEXT = [
    'graph(%x.1 : Tensor,',
    '      %flag.1 : bool):',
    '  %y : Tensor = prim::If(%flag.1) # generate.py:436:8',
    '    block0():',
    '      %y1.1 : Tensor = aten::neg(%x.1) # generate.py:437:16',
    '      -> (%y1.1)',
    '    block1():',
    '      -> (%x.1)',
    '  return (%y)',
    '',
  ].join('\n');

  it('printNode prints a node with its blocks, unindented, without the final newline', () => {
    const g = parseIR(TEXT);
    const node = g.outputs[0].node;
    expect(printNode(node)).to.equal(
      TEXT.split('\n')
        .slice(2, 8)
        .map((l) => l.slice(2))
        .join('\n'),
    );
    expect(node.toString()).to.equal(printNode(node));
    expect(String(g)).to.equal(TEXT);
  });

  it('can leave out source comments', () => {
    expect(printGraph(parseIR(TEXT), { sourceRanges: false })).to.not.include('#');
  });

  it('normalises whitespace, blank lines and comment lines', () => {
    const messy = [
      '# a comment line',
      'graph(%x.1 : Tensor, %flag.1 : bool):',
      '',
      '    %y : Tensor = prim::If( %flag.1 )   #   generate.py:436:8   ',
      '        block0( ):',
      '            %y1.1:Tensor=aten::neg(%x.1) # generate.py:437:16',
      '            -> ( %y1.1 )',
      '        block1():',
      '            -> (%x.1)',
      '    return (%y)',
      '',
      '',
    ].join('\r\n');
    expect(printGraph(parseIR(messy))).to.equal(TEXT);
  });

  it('parseIRFile names errors with the path, and missing files with FILE_NOT_FOUND', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-ir-'));
    const good = join(dir, 'good.ir');
    const bad = join(dir, 'bad.ir');
    writeFileSync(good, TEXT);
    writeFileSync(bad, 'graph(%x : Tensor):\n  %y : Tensor = aten::relu(%z)\n  return (%y)\n');
    expect(printGraph(parseIRFile(good))).to.equal(TEXT);
    expect(() => parseIRFile(bad)).to.throw(`${bad}:2:28: undefined value %z`);
    expect(() => parseIRFile(join(dir, 'none.ir')))
      .to.throw()
      .with.property('code', 'FILE_NOT_FOUND');
  });
});
