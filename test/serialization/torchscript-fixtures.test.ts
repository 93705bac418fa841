// Every TorchScript source file of the PyTorch fixtures (code/**.py inside each module.pt/frozen.pt, and
// the printed code*.py) parses, prints back byte-identically, and re-parses to the same structure.
import { expect } from 'chai';
import {
  exprToType,
  parseSource,
  printModuleSource,
  printType,
  type ClassDef,
  type Expr,
  type FunctionDef,
  type SourceModule,
  type SourceRange,
} from '../../src/serialization/torchscript/index.js';
import { fixtureCodeFiles, structure } from './torchscript-test-helpers.js';

interface Located {
  readonly kind?: string;
  readonly range: SourceRange;
}

/** Every node (object with a range) under `root`, depth first. */
function nodes(root: unknown): Located[] {
  const out: Located[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...(value as unknown[]));
    else if (typeof value === 'object' && value !== null) {
      if ('range' in value) out.push(value as Located);
      for (const [key, child] of Object.entries(value)) if (key !== 'range') stack.push(child);
    }
  }
  return out;
}

function parseAll(): { name: string; text: string; ast: SourceModule }[] {
  return fixtureCodeFiles().map((file) => ({ ...file, ast: parseSource(file.text, file.name) }));
}

describe('torchscript source: fixture code files', function () {
  const files = fixtureCodeFiles();

  it('finds the code files of every archive (module.pt and frozen.pt of each case) and every code*.py', function () {
    const archives = new Set(files.filter((f) => f.name.includes('.pt:')).map((f) => f.name.split(':')[0]));
    expect(archives.size).to.be.at.least(70);
    expect(files.filter((f) => f.name.includes('.pt:')).length).to.be.at.least(290);
    expect(files.filter((f) => /code\.py$/.test(f.name)).length).to.be.at.least(70);
  });

  it('parses every file', function () {
    for (const file of files) {
      const ast = parseSource(file.text, file.name);
      expect(ast.body.length, file.name).to.be.greaterThan(0);
      expect(ast.file).to.equal(file.name);
    }
  });

  it('prints every file back byte for byte', function () {
    for (const { name, text, ast } of parseAll()) {
      const printed = printModuleSource(ast);
      // torch leaves the final newline off a file that ends in a NamedTuple declaration.
      expect(printed === text || printed === `${text}\n`, name).to.equal(true);
    }
  });

  it('parse(print(parse(src))) equals parse(src) structurally for every file', function () {
    for (const { name, ast } of parseAll()) {
      const again = parseSource(printModuleSource(ast), name);
      expect(structure(again), name).to.equal(structure(ast));
    }
  });

  it('gives every node a range inside its file that starts on the node text', function () {
    for (const { name, text, ast } of parseAll()) {
      const lines = text.split('\n');
      for (const node of nodes(ast.body)) {
        const r = node.range;
        expect(r.file).to.equal(name);
        expect(r.line >= 1 && r.line <= lines.length, `${name} ${node.kind} line ${r.line}`).to.equal(true);
        expect(
          r.endLine > r.line || (r.endLine === r.line && r.endColumn > r.column),
          `${name}:${r.line}:${r.column} ${node.kind}`,
        ).to.equal(true);
        const at = (lines[r.line - 1] ?? '').slice(r.column - 1);
        if (node.kind === 'Name')
          expect(at.startsWith((node as unknown as { id: string }).id)).to.equal(true);
        if (node.kind === 'FunctionDef') expect(at.startsWith('def ')).to.equal(true);
        if (node.kind === 'ClassDef') expect(at.startsWith('class ')).to.equal(true);
        if (node.kind === 'If') expect(at.startsWith('if ')).to.equal(true);
      }
    }
  });

  it('turns every type argument of annotate/unchecked_cast/uninitialized/isinstance into a type', function () {
    const seen = new Map<string, number>();
    for (const { ast } of parseAll()) {
      for (const node of nodes(ast.body)) {
        if (node.kind !== 'Call') continue;
        const call = node as unknown as Expr & { kind: 'Call' };
        if (call.func.kind !== 'Name') continue;
        const which = call.func.id;
        const typeArg =
          which === 'isinstance'
            ? call.args[1]
            : ['annotate', 'unchecked_cast', 'uninitialized'].includes(which)
              ? call.args[0]
              : undefined;
        if (typeArg === undefined) continue;
        const type = exprToType(typeArg, ast.text);
        expect(printType(type)).to.match(/^[A-Za-z_][\w.]*(\[.*\])?$/);
        seen.set(which, (seen.get(which) ?? 0) + 1);
      }
    }
    expect(seen.get('annotate')).to.be.greaterThan(0);
    expect(seen.get('unchecked_cast')).to.be.greaterThan(0);
    expect(seen.get('uninitialized')).to.be.greaterThan(0);
  });

  it('covers the statement forms torch writes (for, while, if/else, tuple unpacking, keywords, loop-carried annotations)', function () {
    const kinds = new Map<string, number>();
    let unpackTrailing = 0;
    let tight = 0;
    let keywords = 0;
    for (const { ast } of parseAll()) {
      for (const node of nodes(ast.body)) {
        kinds.set(node.kind ?? '', (kinds.get(node.kind ?? '') ?? 0) + 1);
        const n = node as unknown as Record<string, unknown>;
        if (
          node.kind === 'Assign' &&
          (n['target'] as Expr).kind === 'Tuple' &&
          (n['target'] as { trailingComma?: boolean }).trailingComma
        )
          unpackTrailing++;
        if (node.kind === 'Assign' && n['tightAnnotation'] === true) tight++;
        if (node.kind === 'Call') keywords += (n['keywords'] as unknown[]).length;
      }
    }
    for (const kind of [
      'ClassDef',
      'FunctionDef',
      'AttributeDecl',
      'Assign',
      'If',
      'For',
      'While',
      'Return',
      'ExprStmt',
      'Pass',
      'Subscript',
      'Tuple',
      'List',
      'UnaryOp',
    ]) {
      expect(kinds.get(kind) ?? 0, kind).to.be.greaterThan(0);
    }
    expect(unpackTrailing).to.be.greaterThan(0);
    expect(tight).to.be.greaterThan(0);
    expect(keywords).to.be.greaterThan(0);
  });

  it('reads seed_simple_param: class layout, parameters, constants and the forward signature', function () {
    const byName = new Map(fixtureCodeFiles().map((f) => [f.name, f.text]));
    const top = parseSource(
      byName.get('seed_simple_param/module.pt:module/code/__torch__.py') ?? '',
      'top.py',
    );
    const cls = top.body[0] as ClassDef;
    expect(cls.kind).to.equal('ClassDef');
    expect(cls.name).to.equal('MyModule');
    expect(cls.bases.map(printType)).to.deep.equal(['Module']);
    const params = cls.body[0];
    expect(
      params?.kind === 'Assign' &&
        params.value.kind === 'List' &&
        params.value.elements.map((e) => (e.kind === 'String' ? e.value : '?')),
    ).to.deep.equal(['weight']);
    const decls = cls.body
      .filter((i) => i.kind === 'AttributeDecl')
      .map((i) => (i.kind === 'AttributeDecl' ? `${i.name}:${printType(i.annotation)}` : ''));
    expect(decls).to.deep.equal([
      'weight:Tensor',
      'training:bool',
      '_is_full_backward_hook:Optional[bool]',
      'linear:__torch__.torch.nn.modules.linear.Linear',
    ]);
    const forward = cls.body.find((i) => i.kind === 'FunctionDef') as FunctionDef;
    expect(
      forward.params.map((p) => `${p.name}:${p.annotation ? printType(p.annotation) : '-'}`),
    ).to.deep.equal(['self:__torch__.MyModule', 'input:Tensor']);
    expect(forward.returns && printType(forward.returns)).to.equal('Tensor');
    expect(forward.body.map((s) => s.kind)).to.deep.equal(['Assign', 'Assign', 'Assign', 'Return']);

    const linear = parseSource(
      byName.get('seed_simple_param/module.pt:module/code/__torch__/torch/nn/modules/linear.py') ?? '',
      'l.py',
    );
    const constant = (linear.body[0] as ClassDef).body.find(
      (i) => i.kind === 'AttributeDecl' && i.name === 'out_features',
    );
    expect(
      constant?.kind === 'AttributeDecl' && constant.value?.kind === 'Int' && constant.value.value,
    ).to.equal(3n);
    expect(constant?.kind === 'AttributeDecl' && printType(constant.annotation)).to.equal('Final[int]');
  });

  it('reads interface and NamedTuple classes', function () {
    const byName = new Map(fixtureCodeFiles().map((f) => [f.name, f.text]));
    const iface = parseSource(
      byName.get('interface_submodule/module.pt:module/code/__torch__.py') ?? '',
      'i.py',
    );
    const decl = iface.body.find((i) => i.kind === 'ClassDef' && i.name === 'OneTensorIface') as ClassDef;
    expect(decl.bases.map(printType)).to.deep.equal(['ModuleInterface']);
    const method = decl.body[0] as FunctionDef;
    expect(method.params.map((p) => p.name)).to.deep.equal(['self', 'x']);
    expect(method.params[0]?.annotation).to.equal(null);
    expect(method.body.map((s) => s.kind)).to.deep.equal(['Pass']);

    const rnn = parseSource(
      byName.get('rnn_lstm_gru/module.pt:module/code/__torch__/torch/nn/utils/rnn.py') ?? '',
      'r.py',
    );
    const tuple = rnn.body[0] as ClassDef;
    expect(tuple.bases.map(printType)).to.deep.equal(['NamedTuple']);
    expect(tuple.body.map((i) => (i.kind === 'AttributeDecl' ? i.name : i.kind))).to.deep.equal([
      'data',
      'batch_sizes',
      'sorted_indices',
      'unsorted_indices',
    ]);
  });
});
