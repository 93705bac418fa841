// Printing whole archives and the printer's building blocks: a torch-written archive with a TorchScript
// class, a NamedTuple, a free function with defaults and Final constants re-saves to the same source;
// literals, local names, trailing defaults and type names follow PyTorch's rules.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/index.js';
import { Device, FunctionRef, Tuple } from '../../src/ir/ivalue.js';
import { parseIR } from '../../src/ir/text/index.js';
import {
  DictType,
  FloatType,
  IntType,
  ListType,
  OptionalType,
  StringType,
  TensorTensor,
  TupleType,
} from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';
import { createConstant } from '../../src/ir/constants.js';
import { Graph } from '../../src/ir/graph.js';
import { classBuilder, moduleBuilder } from '../../src/module/builder.js';
import { ClassType } from '../../src/module/class-type.js';
import type { ScriptModule } from '../../src/module/script-module.js';
import { CompilationUnit } from '../../src/module/compilation-unit.js';
import { OperatorRegistry } from '../../src/ops/registry.js';
import { loadModule } from '../../src/serialization/index.js';
import {
  ConstantTable,
  formatConstant,
  printArchiveCode,
  qualifierPath,
  TypeNames,
} from '../../src/serialization/printer/index.js';
import { NameGenerator } from '../../src/serialization/printer/names.js';
import { necessaryArgs } from '../../src/serialization/printer/necessary-args.js';
import { moduleArchiveEntries, saveModule } from '../../src/serialization/save/index.js';
import { readArchive } from '../../src/serialization/zip/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { pythonHasTorch } from './save-helpers.js';

/*
 * torch.jit.save(torch.jit.script(Extra().eval()), 'extra.pt') with torch 1.13, where
 *   class Pair(NamedTuple): lo: Tensor; hi: Tensor
 *   @torch.jit.script class Counter: __init__(self, start: int); bump(self, by: int) -> int
 *   def clamp_scale(x, lo: float = -1.0, hi: float = 1.0, scale: float = 2.0)
 *   class Extra(nn.Module): greeting: Final[str] = "hello"; dims: Final[Tuple[int, int]] = (2, 3);
 *     counter = Counter(1); names: List[str]; table: Dict[str, float]; maybe: Optional[Tensor] = None;
 *     w = Parameter(arange(6).reshape(2, 3)); forward(x) -> Pair
 */
const EXTRA_PT_BASE64 = [
  'UEsDBAAACAgAAAAAAAAAAAAAAAAAAAAAAAAMABYAZXh0cmEvZGF0YS8wRkISAFpaWlpaWlpaWlpaWlpaWlpaWgAAAAAAAIA/AAAA',
  'QAAAQEAAAIBAAACgQFBLBwgXkOeRGAAAABgAAABQSwMEAAAICAAAAAAAAAAAAAAAAAAAAAAAAA4ALABleHRyYS9kYXRhLnBrbEZC',
  'KABaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpagAJjX190b3JjaF9fCkV4dHJhCnEAKYF9KFgBAAAAd3EB',
  'Y3RvcmNoLl91dGlscwpfcmVidWlsZF90ZW5zb3JfdjIKcQIoKFgHAAAAc3RvcmFnZXEDY3RvcmNoCkZsb2F0U3RvcmFnZQpxBFgB',
  'AAAAMHEFWAMAAABjcHVxBksGdFFxB0sAKEsCSwN0KEsDSwF0iGNjb2xsZWN0aW9ucwpPcmRlcmVkRGljdApxCClSdFJxCVgIAAAA',
  'dHJhaW5pbmdxColYFgAAAF9pc19mdWxsX2JhY2t3YXJkX2hvb2txC05YBwAAAGNvdW50ZXJxDGNfX3RvcmNoX18KQ291bnRlcgpx',
  'DSmBfShYBQAAAGNvdW50cQ5LAXViWAUAAABuYW1lc3EPY3RvcmNoLmppdC5fcGlja2xlCnJlc3RvcmVfdHlwZV90YWcKcRBdKFgB',
  'AAAAYXERWAEAAABicRJlWAkAAABMaXN0W3N0cl1xE4ZSWAUAAAB0YWJsZXEUaBB9KFgBAAAAeHEVRz/wAAAAAAAAdVgQAAAARGlj',
  'dFtzdHIsIGZsb2F0XXEWhlJYBQAAAG1heWJlcRdOdWJxGC5QSwcImr2Bb7sBAAC7AQAAUEsDBBQACAgIAAAAAAAAAAAAAAAAAAAA',
  'AAAXAEAAZXh0cmEvY29kZS9fX3RvcmNoX18ucHlGQjwAWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa',
  'WlpaWlpaWlpaWlpaWlpaWlpafVTLjtsgFN3nK1BWWGKsPNQuIqWbPlbttIvZRRHCNp6gYIgAK/Hf93LBsd1Ks5nJPee+Ode1Ft6T',
  '74/gBP1lm17L4rAihPObcKKTQTrPOTmS0/q+ZuSMVNW37ROP0J0cyJs03jowIJMyyrwDVlmrY4TyvO215pWor3fhGn6x9gr8qzXy',
  'bbhJ8Kltb6AYgJwH6+oL5+XXhAFroBUP3E/lw8kHF4sGUWkJ2DdVI8ZIq60IkerEUEXq9y0oa4Q+peYi1aguJvqhEO5vWp6UCYzA',
  'n/MZ5qE7RvYFOL47KUMaIznHsuCwvkit7Tqmki1prYsDUS91O28dF8rAiZDHuJuCvHyZufwRyh3QY5z9SGKasn6ODYPHljJQlFXf',
  '3eiWkQI5vgFyyldr0d24r4WW9MHIy7ZkZFN+YmRXjhH3scQdzQFMjC5F01C+Ydnqek3TL9939F4wYoqUIC02J0EDYdXmSA5PbWzg',
  'nCLJ8IWLNGWOjk33pr7I+iobXgsfaFoPS3yRnYfNorsh05vES+3lYe45pHWhTnJ/aCB8XaT6PM6ppaHolKfj26ef7ys6wEKuiUla',
  'y3nRSAG7xQvEF6V8y+Ztx6VG/9P6sT7nOk6G3hmIXtV4fVnnh/EMQHIgx6wwWKlRcaP/SixHJZH5IFzAMFTZeFhpRZOq4gjRc95G',
  '9M21UF8f1qmGqQj8n+l3od7/y04rQYRBpsUyZrFpKbjMV3idBq8URaTt/ENzUZMVu18cwMiktrU9pK/DMZ4FQhc1QiOCkSO4K3HG',
  'lAS/iPvnFNN9YMl4bdoyyAiXgkniZOMj71d/AVBLBwhJH+fkYgIAAGMFAABQSwMEFAAICAgAAAAAAAAAAAAAAAAAAAAAACEADwBl',
  'eHRyYS9jb2RlL19fdG9yY2hfXy5weS5kZWJ1Z19wa2xGQgsAWlpaWlpaWlpaWlptUs+LFEcU7p5fu9v7e/2R1WAoB0N61tl2NSSY',
  'wV3YQBKXZ61hM8GGsDQ9sz1OZ3u6p7pr4g4E4invnhwD+QMCuejBm3j25MWDIIKIB8+KeLSqe8apBpsZur/6vve99+q92wV7VdO0',
  '76/v0e2mc2OnedX5qbm3s/uD09z+9tp3TDNtQWtMtzfEi4jnwOuQThTfcuMDM/GCTp0cNQiP4nbXanphEsU1sr5FfnT9uGGwgn12',
  'FCafkGwSGWK1o0HIvdhqDXp982LNYEX7a0U3FLp24Pb6TtJ2A888qpOuv7lhfVUj5zODW1Yy6Jk1skZCg5XsT5XgnjtseeNEKTBY',
  '2f5MUfidkchPSBhxshuFnqi1Yp9WROM6hiLlyGXKJoogGee4GXse98ObQlg9WzXYtP25IjsUssALzUTWnn7ImNDteYnoe+bDtcon',
  '9vggDtO7M4dknRzW0/RpBHdbgfdL9ai6L8IMe1mEXeC9/gXvSP557Fr9IZu1zylTchw/9LnjjMaUcDfmDeKHvCa6nctd2mQqsisp',
  'NNh8ziwdVWbUGmYucs7iLcwW7FMfNzu/KdQGW8xd7ajNicxgS7YvBDJPbu75xaqTIGqQThC5ssr1i9aG3IvJSXqQRk7OLlkbaZ2q',
  'jyh42V4bFTQqJuPT5HLdgkhay/1K/Qy2wtkxE7R2pvvV55bT99uHgmoN/OBA3DQP/ER0ctzcNz2+BxpoyE6kL/Gj/+hdyYAOBShC',
  'CcpQgSmYhhnQpNqAM8hOwhWgCDrSO3r3JOzCdYQC0rsSjJl7EuxDF6GI9IHenWR4rDJPVOapyjyTIIIYoYT0ucq8UGNeqswrlXmX',
  'MX8ilJEuFAT4TYIK0tUM3EaYQnpOZcyCErNWUNy2JfMfPEGYRnpVgv/hPsIMUkeVtVXmQI3pqLK/VeZfCR5JYIgbVZmHasxzwdCK',
  'Ts/oCLNIX6vcmzz3VsJFna4IOIe0Usyx0xJ+qdPLAs4jrRYVo28kZ+n0kuAWkP4sYUOn1wRcFN1JuJXBJaS+hDs6FfOGZaRBnu3l',
  'Y8O8c1/NWihlSzcLc+M1M5B9ItZvC2FFNFBSxN2ReB4WYHEsn0O2CnW4gnAM6e+q/ItyJl+C5bF4Cdkp4PAXwnGkl8tdCf5AOIF0',
  'NwMZc6M8seHsNFrvAVBLBwh0ABmNYgMAAIQGAABQSwMEAAAICAAAAAAAAAAAAAAAAAAAAAAAABMAHQBleHRyYS9jb25zdGFudHMu',
  'cGtsRkIZAFpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlqAAikuUEsHCG0vCVcEAAAABAAAAFBLAwQAAAgIAAAAAAAAAAAAAAAAAAAA',
  'AAAADQBBAGV4dHJhL3ZlcnNpb25GQj0AWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa',
  'WlpaWlpaWlpaWjMKUEsHCNGeZ1UCAAAAAgAAAFBLAQIAAAAACAgAAAAAAAAXkOeRGAAAABgAAAAMAAAAAAAAAAAAAAAAAAAAAABl',
  'eHRyYS9kYXRhLzBQSwECAAAAAAgIAAAAAAAAmr2Bb7sBAAC7AQAADgAAAAAAAAAAAAAAAABoAAAAZXh0cmEvZGF0YS5wa2xQSwEC',
  'AAAUAAgICAAAAAAASR/n5GICAABjBQAAFwAAAAAAAAAAAAAAAACLAgAAZXh0cmEvY29kZS9fX3RvcmNoX18ucHlQSwECAAAUAAgI',
  'CAAAAAAAdAAZjWIDAACEBgAAIQAAAAAAAAAAAAAAAAByBQAAZXh0cmEvY29kZS9fX3RvcmNoX18ucHkuZGVidWdfcGtsUEsBAgAA',
  'AAAICAAAAAAAAG0vCVcEAAAABAAAABMAAAAAAAAAAAAAAAAAMgkAAGV4dHJhL2NvbnN0YW50cy5wa2xQSwECAAAAAAgIAAAAAAAA',
  '0Z5nVQIAAAACAAAADQAAAAAAAAAAAAAAAACUCQAAZXh0cmEvdmVyc2lvblBLBgYsAAAAAAAAAB4DLQAAAAAAAAAAAAYAAAAAAAAA',
  'BgAAAAAAAACGAQAAAAAAABIKAAAAAAAAUEsGBwAAAACYCwAAAAAAAAEAAABQSwUGAAAAAAYABgCGAQAAEgoAAAAA',
].join('');

const text = (data: Uint8Array | string): string =>
  typeof data === 'string' ? data : new TextDecoder().decode(data);

describe('code printer: classes, named tuples and free functions of an archive', () => {
  const bytes = Buffer.from(EXTRA_PT_BASE64, 'base64');

  it('re-saving a torch-written archive writes its code/__torch__.py byte for byte', () => {
    const theirs = readArchive(bytes);
    const ours = moduleArchiveEntries(loadModule(bytes, { name: 'extra.pt' }));
    const code = ours.filter((e) => e.name.startsWith('code/'));
    expect(code.map((e) => e.name)).to.deep.equal(['code/__torch__.py']);
    expect(text(code[0].data)).to.equal(theirs.readText('code/__torch__.py'));
    // The order PyTorch uses: pickled classes first (Extra, Counter), then what their code needs.
    expect(text(code[0].data).match(/^(class|def) \w+/gm)).to.deep.equal([
      'class Extra',
      'class Counter',
      'class Pair',
      'def clamp_scale',
    ]);
    expect(text(ours.find((e) => e.name === 'version')?.data ?? '')).to.equal('3\n');
  });

  it('prints a class whose name another class already uses under a fresh ___torch_mangle_N', () => {
    const a = new ClassType('__torch__.m.Dup', { isModule: true });
    const b = new ClassType('__torch__.m.Dup', { isModule: true });
    const names = new TypeNames();
    expect(names.nameOf(a)).to.equal('__torch__.m.Dup');
    expect(names.nameOf(b)).to.equal('__torch__.m.___torch_mangle_0.Dup');
    expect(names.nameOf(a)).to.equal('__torch__.m.Dup');
    const code = printArchiveCode([a, b], new OperatorRegistry(), names);
    expect(code.files.map((f) => f.path)).to.deep.equal([
      'code/__torch__/m.py',
      'code/__torch__/m/___torch_mangle_0.py',
    ]);
    expect(code.files[1].text).to.equal('class Dup(Module):\n  __parameters__ = []\n  __buffers__ = []\n');
  });

  it('lays files out by qualifier and declares ModuleList children through __annotations__', () => {
    expect(qualifierPath('__torch__')).to.equal('code/__torch__.py');
    expect(qualifierPath('__torch__.torch.nn.modules.linear')).to.equal(
      'code/__torch__/torch/nn/modules/linear.py',
    );
    const cu = new CompilationUnit();
    const leaf = new ClassType('__torch__.Leaf', { cu, isModule: true });
    const list = new ClassType('__torch__.torch.nn.modules.container.ModuleList', { cu, isModule: true });
    list.addAttribute('0', leaf);
    list.addAttribute('1', leaf);
    const [file] = printArchiveCode([list], new OperatorRegistry()).files;
    expect(file.text).to.equal(
      'class ModuleList(Module):\n  __parameters__ = []\n  __buffers__ = []\n' +
        '  __annotations__ = []\n  __annotations__["0"] = __torch__.Leaf\n  __annotations__["1"] = __torch__.Leaf\n',
    );
  });
});

describe('archive writer: constants holding objects and non-ASCII strings', () => {
  // A frozen graph may hold a script object as a constant; a Final str with non-ASCII text is a constant too.
  function objectConstantModule(): ScriptModule {
    const cu = new CompilationUnit();
    const box = classBuilder('__torch__.Box', { cu })
      .attribute('n', 5, IntType)
      .method(
        'get',
        'graph(%self : __torch__.Box):\n  %n : int = prim::GetAttr[name="n"](%self)\n  return (%n)\n',
      )
      .build();
    return moduleBuilder('__torch__.M', { cu })
      .training(false)
      .constant('greeting', 'héllo', StringType)
      .method('forward', (cls) => {
        const g = new Graph();
        g.addInput(cls, 'self');
        const x = g.addInput(TensorTensor, 'x.1');
        const obj = g.insertNode(createConstant(g, box, box.type)).output();
        const get = g.insert('prim::CallMethod', [obj], [IntType]).setS('name', 'get');
        const one = g.insertNode(createConstant(g, 1, IntType)).output();
        g.registerOutput(g.insert('aten::add', [x, get.output(), one], [TensorTensor]).output());
        return g;
      })
      .build();
  }

  it("writes the object's class into code/ and both constants into constants.pkl", () => {
    const entries = moduleArchiveEntries(objectConstantModule());
    const code = text(entries.find((e) => e.name === 'code/__torch__.py')?.data ?? '');
    expect(code).to.contain('greeting : Final[str] = CONSTANTS.c0');
    expect(code).to.contain('return torch.add(x, (CONSTANTS.c1).get())');
    expect(code).to.contain(
      'class Box:\n  n : int\n  def get(self: __torch__.Box) -> int:\n    return self.n\n',
    );
    const constants = text(entries.find((e) => e.name === 'constants.pkl')?.data ?? new Uint8Array());
    expect(constants).to.contain('__torch__\nBox').and.to.contain('héllo');
  });

  it('PyTorch loads it and runs the object constant', function () {
    if (!pythonHasTorch()) {
      console.log('      skipped: /usr/bin/python3 cannot import torch');
      this.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-objconst-'));
    try {
      const path = join(dir, 'objconst.pt');
      saveModule(objectConstantModule(), path);
      const out = spawnSync(
        '/usr/bin/python3',
        [
          '-c',
          'import sys, torch\nm = torch.jit.load(sys.argv[1])\nprint(m(torch.zeros(2)).tolist(), m.greeting)',
          path,
        ],
        {
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(out.stderr).to.equal('');
      expect(out.stdout).to.equal('[5.0, 5.0] héllo\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('code printer: literals', () => {
  const table = new ConstantTable();
  const fmt = (v: Parameters<typeof formatConstant>[0], t?: Parameters<typeof formatConstant>[1]): string =>
    formatConstant(v, t, table);

  it('floats as PyTorch repr writes doubles; ints typed float print as floats', () => {
    expect(fmt(2, FloatType)).to.equal('2.');
    expect(fmt(-0, FloatType)).to.equal('-0.');
    expect(fmt(0.1, FloatType)).to.equal('0.10000000000000001');
    expect(fmt(1e-5, FloatType)).to.equal('1.0000000000000001e-05');
    expect(fmt(1e10, FloatType)).to.equal('10000000000');
    expect(fmt(Infinity, FloatType)).to.equal('inf');
    expect(fmt(Number.NaN, FloatType)).to.equal('nan');
    expect(fmt(2, IntType)).to.equal('2');
    expect(fmt(2n ** 62n, IntType)).to.equal('4611686018427387904');
  });

  it('strings, None, bools, devices, tuples', () => {
    expect(fmt('say "hi"\n', StringType)).to.equal('"say \\"hi\\"\\n"');
    expect(fmt(null)).to.equal('None');
    expect(fmt(true)).to.equal('True');
    expect(fmt(new Device('cuda', 1))).to.equal('torch.device("cuda:1")');
    expect(fmt(new Tuple([1]), new TupleType([IntType]))).to.equal('(1,)');
    expect(fmt(new Tuple([1, 2.5]), new TupleType([IntType, FloatType]))).to.equal('(1, 2.5)');
    const named = new TupleType([IntType, IntType], ['a', 'b'], '__torch__.P');
    expect(fmt(new Tuple([1, 2], named), named)).to.equal('__torch__.P(1, 2)');
  });

  it('annotates lists and dicts whose members do not give their type (PyTorch writes no space in the dict form)', () => {
    expect(fmt([], new ListType(IntType))).to.equal('annotate(List[int], [])');
    expect(fmt([1, 2], new ListType(FloatType))).to.equal('[1., 2.]');
    expect(fmt([null], new ListType(new OptionalType(IntType)))).to.equal(
      'annotate(List[Optional[int]], [None])',
    );
    expect(fmt(new Map(), new DictType(StringType, TensorTensor))).to.equal('annotate(Dict[str, Tensor],{})');
    expect(fmt(new Map([['a', 1]]), new DictType(StringType, FloatType))).to.equal('{"a": 1.}');
  });

  it('numbers tensors, non-ASCII strings and objects as CONSTANTS.cN; equal tensors share one entry', () => {
    const t = new ConstantTable();
    const a = Tensor.fromArray('float32', [1, 2], [2]);
    expect(formatConstant(a, TensorTensor, t)).to.equal('CONSTANTS.c0');
    expect(formatConstant(Tensor.fromArray('float32', [1, 2], [2]), TensorTensor, t)).to.equal(
      'CONSTANTS.c0',
    );
    expect(formatConstant(Tensor.fromArray('float64', [1, 2], [2]), TensorTensor, t)).to.equal(
      'CONSTANTS.c1',
    );
    expect(formatConstant('héllo', StringType, t)).to.equal('CONSTANTS.c2');
    expect(formatConstant([a, a], new ListType(TensorTensor), t)).to.equal('[CONSTANTS.c0, CONSTANTS.c0]');
    expect(t.entries).to.have.length(3);
    expect(formatConstant(new FunctionRef('__torch__.f'), undefined, t)).to.equal('__torch__.f');
  });
});

describe('code printer: local names and omitted defaults', () => {
  it("reproduces PyTorch's counters, including when debug names like _0 are already taken", () => {
    // conv_binary_variants: `_0 = getattr(convs, "0")`, `_1 = (_0).forward(x, )`, `_2 = torch.mul(...)`,
    // then the value named `_1` by the source becomes `_11`.
    const names = new NameGenerator();
    expect(['_0', '_', '_', '_1'].map((c) => names.generate(c))).to.deep.equal(['_0', '_1', '_2', '_11']);
    names.resetLocals();
    // A reserved word or a taken name gets a suffix; the counters survive across functions of a file.
    expect(['ops', 'x', 'x', '_'].map((c) => names.generate(c))).to.deep.equal(['ops0', 'x', 'x0', '_2']);
  });

  const call = (ir: string): { args: Value[]; schema: ReturnType<OperatorRegistry['schemaForNode']> } => {
    const graph = parseIR(ir);
    const node = [...graph.nodes()].filter((n) => n.kind !== 'prim::Constant')[0];
    return { args: [...node.inputs], schema: new OperatorRegistry().schemaForNode(node) };
  };

  it('drops trailing arguments equal to their default, keeping an int/float difference', () => {
    const same = call(`graph(%a : Tensor, %b : Tensor):
  %1 : int = prim::Constant[value=1]()
  %2 : Tensor = aten::add(%a, %b, %1)
  return (%2)`);
    expect(necessaryArgs(same.schema?.arguments ?? [], same.args).necessary).to.equal(2);
    const float = call(`graph(%a : Tensor, %b : Tensor):
  %1 : float = prim::Constant[value=1.]()
  %2 : Tensor = aten::add(%a, %b, %1)
  return (%2)`);
    expect(necessaryArgs(float.schema?.arguments ?? [], float.args).necessary).to.equal(3);
    const conv = call(`graph(%x : Tensor, %w : Tensor):
  %none : NoneType = prim::Constant()
  %one : int[] = prim::Constant[value=[1, 1]]()
  %zero : int[] = prim::Constant[value=[0, 0]]()
  %g : int = prim::Constant[value=1]()
  %y : Tensor = aten::conv2d(%x, %w, %none, %one, %zero, %one, %g)
  return (%y)`);
    expect(necessaryArgs(conv.schema?.arguments ?? [], conv.args).necessary).to.equal(2);
  });
});
