// Statements, classes and module structure of TorchScript source: every statement form, class bodies
// (parameters, buffers, declarations, constants, methods), imports, layout variations and source ranges.
import { expect } from 'chai';
import {
  parseSource,
  printModuleSource,
  printType,
  type ClassDef,
  type FunctionDef,
  type Stmt,
} from '../../src/serialization/torchscript/index.js';
import { parseBody, parsePlain, sexpr, structure } from './torchscript-test-helpers.js';

/** One line per statement: kind and the key parts in prefix form. */
function outline(statements: readonly Stmt[], depth = 0): string[] {
  const pad = '  '.repeat(depth);
  const out: string[] = [];
  for (const s of statements) {
    switch (s.kind) {
      case 'Assign':
        out.push(
          `${pad}= ${sexpr(s.target)}${s.annotation ? ' : ' + printType(s.annotation) : ''} ${sexpr(s.value)}`,
        );
        break;
      case 'AugAssign':
        out.push(`${pad}${s.op}= ${sexpr(s.target)} ${sexpr(s.value)}`);
        break;
      case 'If':
        out.push(`${pad}if ${sexpr(s.test)}`, ...outline(s.body, depth + 1));
        if (s.orelse.length > 0) out.push(`${pad}else`, ...outline(s.orelse, depth + 1));
        break;
      case 'For':
        out.push(`${pad}for ${sexpr(s.target)} in ${sexpr(s.iter)}`, ...outline(s.body, depth + 1));
        break;
      case 'While':
        out.push(`${pad}while ${sexpr(s.test)}`, ...outline(s.body, depth + 1));
        break;
      case 'With':
        out.push(
          `${pad}with ${s.items.map((i) => sexpr(i.context) + (i.target ? ' as ' + sexpr(i.target) : '')).join(', ')}`,
          ...outline(s.body, depth + 1),
        );
        break;
      case 'Return':
        out.push(`${pad}return${s.value ? ' ' + sexpr(s.value) : ''}`);
        break;
      case 'Raise':
        out.push(`${pad}raise${s.exception ? ' ' + sexpr(s.exception) : ''}`);
        break;
      case 'Assert':
        out.push(`${pad}assert ${sexpr(s.test)}${s.message ? ' ' + sexpr(s.message) : ''}`);
        break;
      case 'Delete':
        out.push(`${pad}del ${s.targets.map(sexpr).join(' ')}`);
        break;
      case 'ExprStmt':
        out.push(`${pad}expr ${sexpr(s.value)}`);
        break;
      case 'FunctionDef':
        out.push(`${pad}def ${s.name}`, ...outline(s.body, depth + 1));
        break;
      default:
        out.push(`${pad}${s.kind.toLowerCase()}`);
    }
  }
  return out;
}

const body = (text: string): string[] => outline(parseBody(text));

describe('torchscript source: statements', function () {
  it('reads assignments: plain, annotated, attribute and subscript targets, tuple unpacking with the trailing comma', function () {
    expect(
      body(
        'x = 1\nx : Optional[Tensor] = y\nself.step = torch.add(s, 1)\nd["k"] = v\na, b, = f()\nq0, k0 = q1, k1\n(a, b) = c\n[a, b] = c',
      ),
    ).to.deep.equal([
      '= x 1',
      '= x : Optional[Tensor] y',
      '= (. self step) (call (. torch add) s 1)',
      '= ([] d "k") v',
      '= (tuple a b) (call f)',
      '= (tuple q0 k0) (tuple q1 k1)',
      '= (tuple a b) c',
      '= [a b] c',
    ]);
    const [unpack] = parseBody('tgt_len, bsz, embed_dim, = torch.size(query0)');
    expect(
      unpack?.kind === 'Assign' && unpack.target.kind === 'Tuple' && unpack.target.trailingComma,
    ).to.equal(true);
  });

  it('reads augmented assignments', function () {
    expect(body('i += 1\nx.y -= 2\nz[0] *= 3\nw //= 4\nv **= 2\nu @= m\nb |= c')).to.deep.equal([
      '+= i 1',
      '-= (. x y) 2',
      '*= ([] z 0) 3',
      '//= w 4',
      '**= v 2',
      '@= u m',
      '|= b c',
    ]);
  });

  it('reads if / elif / else', function () {
    expect(body('if a:\n  pass\nelif b:\n  x = 1\nelse:\n  x = 2\nif c:\n  return')).to.deep.equal([
      'if a',
      '  pass',
      'else',
      '  if b',
      '    = x 1',
      '  else',
      '    = x 2',
      'if c',
      '  return',
    ]);
  });

  it('reads for loops over ranges, lists, tuples and dict items', function () {
    expect(
      body(
        'for i in range(n):\n  pass\nfor x in [1, 2]:\n  pass\nfor k, v in d.items():\n  pass\nfor t in a, b:\n  pass',
      ),
    ).to.deep.equal([
      'for i in (call range n)',
      '  pass',
      'for x in [1 2]',
      '  pass',
      'for (tuple k v) in (call (. d items))',
      '  pass',
      'for t in (tuple a b)',
      '  pass',
    ]);
  });

  it('reads while, break, continue, with, return, raise, assert, del, pass and expression statements', function () {
    expect(
      body(
        [
          'while _3:',
          '  if x:',
          '    break',
          '  continue',
          'with _0 as g, h:',
          '  y = 1',
          'raise Exception("boom")',
          'raise builtins.ValueError("bad " + s)',
          'raise',
          'assert x > 0, "need dims"',
          'assert y',
          'del t[0], u',
          'torch._set_item(out, k, _5)',
          'return (t, torch.add(x, t0))',
          'return a, b',
        ].join('\n'),
      ),
    ).to.deep.equal([
      'while _3',
      '  if x',
      '    break',
      '  continue',
      'with _0 as g, h',
      '  = y 1',
      'raise (call Exception "boom")',
      'raise (call (. builtins ValueError) (+ "bad " s))',
      'raise',
      'assert (x > 0) "need dims"',
      'assert y',
      'del ([] t 0) u',
      'expr (call (. torch _set_item) out k _5)',
      'return (tuple t (call (. torch add) x t0))',
      'return (tuple a b)',
    ]);
  });

  it('reads nested functions (torch writes them for fork)', function () {
    expect(
      body('def __forked_function():\n  return torch.relu(x)\nfut = fork(__forked_function)'),
    ).to.deep.equal([
      'def __forked_function',
      '  return (call (. torch relu) x)',
      '= fut (call fork __forked_function)',
    ]);
  });

  it('accepts one-line suites, semicolons, comments and continuation lines', function () {
    expect(body('if a: x = 1; y = 2\nz = f(1,  # first\n      2)\nw = 1 + \\\n  2')).to.deep.equal([
      'if a',
      '  = x 1',
      '  = y 2',
      '= z (call f 1 2)',
      '= w (+ 1 2)',
    ]);
  });
});

describe('torchscript source: classes and modules', function () {
  const moduleText = [
    'op_version_set = 1',
    'import torch',
    'import __torch__.torch.nn.modules.conv as conv',
    'from typing import List, Tuple',
    'from torch import (Tensor, device as dev,)',
    'class Conv2d(Module):',
    '  __parameters__ = ["weight", "bias", ]',
    '  __buffers__ = []',
    '  __constants__ = ["eps", ]',
    '  __annotations__["extra"] = List[int]',
    '  weight : Tensor',
    '  bias : Optional[Tensor]',
    '  training : bool',
    '  sub : __torch__.torch.nn.modules.conv.___torch_mangle_3.Conv2d',
    '  eps : Final[float] = 1e-05',
    '  padding : Final[Tuple[int, int]] = (1, 1)',
    '  def forward(self: __torch__.torch.nn.modules.conv.Conv2d,',
    '    input: Tensor,',
    '    inplace: bool=False) -> Tensor:',
    '    return torch.conv2d(input, self.weight)',
    'def relu(input: Tensor,',
    '    inplace: bool=False) -> Tensor:',
    '  return torch.relu(input)',
  ].join('\n');

  it('reads the version header, imports, class items and free functions', function () {
    const module = parseSource(moduleText, 'conv.py');
    expect(module.body.map((i) => i.kind)).to.deep.equal([
      'Assign',
      'Import',
      'Import',
      'ImportFrom',
      'ImportFrom',
      'ClassDef',
      'FunctionDef',
    ]);
    const [header, imp, impAs, from, fromParen] = module.body;
    expect(header?.kind === 'Assign' && sexpr(header.target) + '=' + sexpr(header.value)).to.equal(
      'op_version_set=1',
    );
    expect(imp?.kind === 'Import' && imp.names).to.deep.equal([
      {
        name: 'torch',
        asName: null,
        range: { file: 'conv.py', line: 2, column: 8, endLine: 2, endColumn: 13 },
      },
    ]);
    expect(impAs?.kind === 'Import' && impAs.names.map((n) => `${n.name} as ${n.asName}`)).to.deep.equal([
      '__torch__.torch.nn.modules.conv as conv',
    ]);
    expect(
      from?.kind === 'ImportFrom' && `${from.module}:${from.names.map((n) => n.name).join(',')}`,
    ).to.equal('typing:List,Tuple');
    expect(
      fromParen?.kind === 'ImportFrom' && fromParen.names.map((n) => `${n.name}/${n.asName}`),
    ).to.deep.equal(['Tensor/null', 'device/dev']);

    const cls = module.body[5] as ClassDef;
    const items = cls.body.map((i) => {
      if (i.kind === 'AttributeDecl')
        return `decl ${i.name} : ${printType(i.annotation)}${i.value ? ' = ' + sexpr(i.value) : ''}`;
      if (i.kind === 'Assign') return `assign ${sexpr(i.target)} = ${sexpr(i.value)}`;
      if (i.kind === 'FunctionDef')
        return `def ${i.name}(${i.params.map((p) => `${p.name}${p.default ? '=' + sexpr(p.default) : ''}`).join(', ')})`;
      return i.kind;
    });
    expect(items).to.deep.equal([
      'assign __parameters__ = ["weight" "bias"]',
      'assign __buffers__ = []',
      'assign __constants__ = ["eps"]',
      'assign ([] __annotations__ "extra") = ([] List int)',
      'decl weight : Tensor',
      'decl bias : Optional[Tensor]',
      'decl training : bool',
      'decl sub : __torch__.torch.nn.modules.conv.___torch_mangle_3.Conv2d',
      'decl eps : Final[float] = f0.00001',
      'decl padding : Final[Tuple[int, int]] = (tuple 1 1)',
      'def forward(self, input, inplace=False)',
    ]);
    const relu = module.body[6] as FunctionDef;
    expect(
      relu.params.map((p) => `${p.name}: ${p.annotation ? printType(p.annotation) : '-'}`),
    ).to.deep.equal(['input: Tensor', 'inplace: bool']);
  });

  it('prints the module back in torch layout and re-parses it to the same structure', function () {
    const module = parseSource(moduleText, 'conv.py');
    const printed = printModuleSource(module);
    expect(printed).to.equal(`${moduleText.replace('(Tensor, device as dev,)', 'Tensor, device as dev')}\n`);
    expect(structure(parseSource(printed, 'conv.py').body)).to.equal(structure(module.body));
  });

  it('reads NamedTuple, interface, Enum-like and base-less classes, and decorators', function () {
    const module = parseSource(
      [
        'class Pt(NamedTuple):',
        '  x : int',
        '  y : float',
        'class Iface(ModuleInterface):',
        '  def forward(self, x: Tensor) -> Tensor:',
        '    pass',
        'class Color(Enum):',
        '  RED = 1',
        '  GREEN = 2',
        'class Empty:',
        '  pass',
        '@torch.jit.export',
        'def g() -> int:',
        '  return 1',
      ].join('\n'),
      'c.py',
    );
    expect(
      module.body.map((i) =>
        i.kind === 'ClassDef'
          ? `${i.name}(${i.bases.map(printType).join(',')}):${i.body.map((b) => b.kind).join(',')}`
          : i.kind,
      ),
    ).to.deep.equal([
      'Pt(NamedTuple):AttributeDecl,AttributeDecl',
      'Iface(ModuleInterface):FunctionDef',
      'Color(Enum):Assign,Assign',
      'Empty():Pass',
      'FunctionDef',
    ]);
    const g = module.body[4];
    expect(g?.kind === 'FunctionDef' && g.decorators.map(sexpr)).to.deep.equal(['(. (. torch jit) export)']);
    expect(printModuleSource(module)).to.include('  def forward(self, x: Tensor) -> Tensor:\n    pass\n');
  });

  it('gives statements and expressions exact ranges', function () {
    const module = parseSource('def f(x: Tensor):\n  if x:\n    y = foo(a, b)\n  return y\n', 'r.py');
    const f = module.body[0] as FunctionDef;
    expect(f.range).to.deep.equal({ file: 'r.py', line: 1, column: 1, endLine: 4, endColumn: 11 });
    expect(f.params[0]?.range).to.deep.include({ line: 1, column: 7, endLine: 1, endColumn: 16 });
    const ifStmt = f.body[0];
    expect(ifStmt?.range).to.deep.include({ line: 2, column: 3, endLine: 3, endColumn: 18 });
    const assign = ifStmt?.kind === 'If' ? ifStmt.body[0] : undefined;
    expect(assign?.range).to.deep.include({ line: 3, column: 5, endLine: 3, endColumn: 18 });
    expect(assign?.kind === 'Assign' && assign.value.range).to.deep.include({
      line: 3,
      column: 9,
      endLine: 3,
      endColumn: 18,
    });
    expect(module.range).to.deep.include({ line: 1, column: 1 });
  });

  it('treats CRLF files, tabs and a missing final newline like the plain form', function () {
    const plain = 'class A(Module):\n  x : int\n  def f(self):\n    return 1\n';
    expect(parsePlain(plain.replace(/\n/g, '\r\n'))).to.deep.equal(parsePlain(plain));
    expect(parsePlain(plain.slice(0, -1))).to.deep.equal(parsePlain(plain));
    expect(parsePlain('class A(Module):\n\tx : int\n\tdef f(self):\n\t\treturn 1\n')).to.deep.equal(
      parsePlain(plain),
    );
  });
});
