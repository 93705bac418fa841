// IR text inputs: a grammar-aware generator of small graphs (typed values, control flow, lists, tuples,
// constants), token and line mutations of generated and real graphs, and hostile shapes (deep blocks,
// deep types and values, nodes with missing inputs, outputs or blocks).

import type { Rng } from '../rng.js';
import { mutateTokens, nest } from './bytes.js';

type Kind = 'Tensor' | 'int' | 'bool' | 'int[]' | 'tuple';
interface Scope {
  readonly values: Map<Kind, string[]>;
  next: number;
}

const TYPE_TEXT: Record<Kind, string> = {
  Tensor: 'Tensor',
  int: 'int',
  bool: 'bool',
  'int[]': 'int[]',
  tuple: '(int, Tensor)',
};

function fresh(scope: Scope): string {
  const name = `v${scope.next++}`;
  return name;
}

function define(scope: Scope, kind: Kind, name: string): void {
  const list = scope.values.get(kind) ?? [];
  list.push(name);
  scope.values.set(kind, list);
}

function some(rng: Rng, scope: Scope, kind: Kind): string | undefined {
  const list = scope.values.get(kind);
  return list?.length ? `%${rng.pick(list)}` : undefined;
}

/** One random node line (or a control-flow node with its blocks), at `indent`. */
function node(rng: Rng, scope: Scope, indent: string, depth: number): string[] {
  const t = some(rng, scope, 'Tensor');
  const i = some(rng, scope, 'int');
  const b = some(rng, scope, 'bool');
  const l = some(rng, scope, 'int[]');
  const tup = some(rng, scope, 'tuple');
  const out = (kind: Kind): string => {
    const name = fresh(scope);
    pending.push([kind, name]);
    return `%${name} : ${TYPE_TEXT[kind]}`;
  };
  const pending: [Kind, string][] = [];
  const lines: string[] = [];
  const r = rng.int(16);
  if (r === 0) lines.push(`${out('int')} = prim::Constant[value=${rng.interestingInt()}]()`);
  else if (r === 1) lines.push(`${out('bool')} = prim::Constant[value=${rng.int(2)}]()`);
  else if (r === 2 && t && i) lines.push(`${out('Tensor')} = aten::add(${t}, ${t}, ${i})`);
  else if (r === 3 && i)
    lines.push(`${out('int')} = aten::${rng.pick(['add', 'mul', 'sub', 'floordiv'])}(${i}, ${i})`);
  else if (r === 4 && i) lines.push(`${out('int[]')} = prim::ListConstruct(${i}, ${i})`);
  else if (r === 5 && l) lines.push(`${out('int')} = aten::len(${l})`);
  else if (r === 6 && l) lines.push(`${out('int')}, ${out('int')} = prim::ListUnpack(${l})`);
  else if (r === 7 && i && t) lines.push(`${out('tuple')} = prim::TupleConstruct(${i}, ${t})`);
  else if (r === 8 && tup) lines.push(`${out('int')}, ${out('Tensor')} = prim::TupleUnpack(${tup})`);
  else if (r === 9 && i)
    lines.push(
      `%n${scope.next} : NoneType = prim::Constant()`,
      `${out('Tensor')} = aten::arange(${i}, %n${scope.next}, %n${scope.next}, %n${scope.next}, %n${scope.next})`,
    );
  else if (r === 10 && l)
    lines.push(
      `%n${scope.next} : NoneType = prim::Constant()`,
      `${out('Tensor')} = aten::zeros(${l}, %n${scope.next}, %n${scope.next}, %n${scope.next}, %n${scope.next})`,
    );
  else if (r === 11)
    lines.push(`${out('Tensor')} = prim::Constant[value=${rng.pick(['{1}', '<Tensor>', '{-3.5}'])}]()`);
  else if (r === 12 && t)
    lines.push(`${out('Tensor')} = aten::${rng.pick(['relu', 'neg', 'sigmoid', 'clone'])}(${t})`);
  else if (r === 13 && b && depth < 4) return ifNode(rng, scope, indent, depth, b);
  else if (r === 14 && i && b && depth < 4) return loopNode(rng, scope, indent, depth, i);
  else if (t && i) lines.push(`${out('Tensor')} = aten::mul(${t}, ${i})`);
  else lines.push(`${out('int')} = prim::Constant[value=${rng.int(10)}]()`);
  for (const [k, n] of pending) define(scope, k, n);
  return lines.map((x) => indent + x);
}

function child(scope: Scope): Scope {
  return { values: new Map([...scope.values].map(([k, v]) => [k, [...v]])), next: scope.next };
}

function body(rng: Rng, scope: Scope, indent: string, depth: number, count: number): string[] {
  const lines: string[] = [];
  for (let k = 0; k < count; k++) lines.push(...node(rng, scope, indent, depth));
  return lines;
}

function ifNode(rng: Rng, scope: Scope, indent: string, depth: number, cond: string): string[] {
  const name = `v${scope.next++}`;
  const lines = [`${indent}%${name} : int = prim::If(${cond})`];
  for (const k of [0, 1]) {
    const inner = child(scope);
    lines.push(`${indent}  block${k}():`, ...body(rng, inner, `${indent}    `, depth + 1, rng.range(0, 3)));
    scope.next = inner.next;
    lines.push(`${indent}    -> (${some(rng, inner, 'int') ?? some(rng, scope, 'int')})`);
  }
  define(scope, 'int', name);
  return lines;
}

function loopNode(rng: Rng, scope: Scope, indent: string, depth: number, trips: string): string[] {
  const name = `v${scope.next++}`;
  const t = some(rng, scope, 'bool') ?? '%c';
  const init = some(rng, scope, 'int')!;
  const inner = child(scope);
  const counter = `v${inner.next++}`;
  const acc = `v${inner.next++}`;
  define(inner, 'int', counter);
  define(inner, 'int', acc);
  const lines = [
    `${indent}%${name} : int = prim::Loop(${trips}, ${t}, ${init})`,
    `${indent}  block0(%${counter} : int, %${acc} : int):`,
    ...body(rng, inner, `${indent}    `, depth + 1, rng.range(0, 3)),
    `${indent}    -> (${t}, ${some(rng, inner, 'int')})`,
  ];
  scope.next = inner.next;
  define(scope, 'int', name);
  return lines;
}

/** A random well-formed (mostly) graph. */
export function generateGraph(rng: Rng): string {
  const scope: Scope = { values: new Map(), next: 0 };
  define(scope, 'Tensor', 'x');
  define(scope, 'int', 'n');
  define(scope, 'int[]', 'l');
  define(scope, 'bool', 'c');
  const lines = [
    'graph(%x : Tensor, %n : int, %l : int[], %c : bool):',
    ...body(rng, scope, '  ', 0, rng.range(1, 12)),
  ];
  lines.push(`  return (${some(rng, scope, rng.pick(['Tensor', 'int'] as const))})`);
  return `${lines.join('\n')}\n`;
}

const IR_SNIPPETS = [
  '%x',
  '%n',
  '(',
  ')',
  '[',
  ']',
  ', ',
  ' : ',
  'Tensor',
  'int',
  'int[]',
  '(int, int)',
  'Dict(str, Tensor)',
  'prim::If',
  'prim::Loop',
  'prim::TupleUnpack()',
  'prim::ListConstruct',
  'aten::len()',
  'block0():',
  '-> ()',
  '= ',
  'prim::Constant[value=1]()',
  '[value="s"]',
  '<Tensor>',
  'Float(9223372036854775807)',
  '\n  ',
  '\n      ',
  '# comment',
  '%undefined',
  'None',
];

/** The IR mutation kinds. `seeds` are real graphs (fixture graph.txt files). */
export function irCase(rng: Rng, seeds: readonly string[]): string {
  const base = rng.chance(0.6) || !seeds.length ? generateGraph(rng) : rng.pick(seeds);
  const r = rng.int(10);
  if (r < 3) return base;
  if (r < 6) return mutateTokens(rng, base, IR_SNIPPETS);
  if (r < 8) return mutateLines(rng, base);
  return hostileIr(rng);
}

function mutateLines(rng: Rng, text: string): string {
  const lines = text.split('\n');
  for (let k = rng.range(1, 3); k > 0; k--) {
    const at = rng.int(lines.length);
    const r = rng.int(4);
    if (r === 0) lines.splice(at, 1);
    else if (r === 1) lines.splice(at, 0, lines[rng.int(lines.length)]);
    // Strip a node's inputs or outputs: malformed arity that parses.
    else if (r === 2) lines[at] = lines[at].replace(/\(([^()]*)\)\s*$/, '()');
    else lines[at] = lines[at].replace(/^(\s*)%[^=]*=/, '$1 =');
  }
  return lines.join('\n');
}

/** Deep blocks, deep types and values, and nodes missing inputs, outputs or blocks. */
export function hostileIr(rng: Rng): string {
  const n = rng.pick([50, 999, 1001, 1400, 10000]);
  switch (rng.int(7)) {
    case 0:
      return deepIfs(Math.min(n, 1400));
    case 1:
      return `graph(%x : ${nest('(', 'int', ', int)', n).replace(/\(+/, (m) => m)}):\n  return (%x)\n`;
    case 2:
      return `graph():\n  %x : ${'int' + '[]'.repeat(n)} = prim::Constant[value=${nest('[', '1', ']', n)}]()\n  return (%x)\n`;
    case 3:
      return `graph(%x : Dict(str, ${nest('Dict(str, ', 'int', ')', n)})):\n  return (%x)\n`;
    case 4:
      return rng.pick([
        'graph(%x : (int, int)):\n  %a : int, %b : int = prim::TupleUnpack()\n  return (%a)\n',
        'graph(%x : int):\n   = prim::ListConstruct(%x)\n  return (%x)\n',
        'graph(%l : int[]):\n  %n : int = aten::len()\n  return (%n)\n',
        'graph(%c : bool):\n  %y : int = prim::If()\n  return (%y)\n',
        'graph(%c : bool):\n  %y : int = prim::If(%c)\n  return (%y)\n',
        'graph(%c : bool):\n  %y : int = prim::Loop()\n  return (%y)\n',
        'graph(%c : bool, %n : int):\n  %y : int = prim::Loop(%n)\n  return (%y)\n',
      ]);
    case 5:
      return nestedLoops(rng.range(2, 5), rng.pick([8, 63, 64, 200]));
    default:
      return `graph():\n  %n : int = prim::Constant[value=${rng.pick([1e6, 1e9, 2 ** 40])}]()\n  %none : NoneType = prim::Constant()\n  %t : Tensor = aten::arange(%n, %none, %none, %none, %none)\n  return (%t)\n`;
  }
}

/** n prim::If nested inside each other's first block. */
export function deepIfs(n: number): string {
  const lines = ['graph(%c : bool):'];
  for (let k = 0; k < n; k++) {
    const pad = '  '.repeat(2 * k + 1);
    lines.push(`${pad}%y${k} : int = prim::If(%c)`, `${pad}  block0():`);
  }
  lines.push(`${'  '.repeat(2 * n + 1)}%z : int = prim::Constant[value=1]()`);
  for (let k = n - 1; k >= 0; k--) {
    const pad = '  '.repeat(2 * k + 1);
    lines.push(
      `${pad}    -> (${k === n - 1 ? '%z' : `%y${k + 1}`})`,
      `${pad}  block1():`,
      `${pad}    -> (%k${k})`,
    );
  }
  // Every block1 returns its own constant, defined at the top.
  const consts = Array.from({ length: n }, (_, k) => `  %k${k} : int = prim::Constant[value=${k}]()`);
  lines.splice(1, 0, ...consts);
  lines.push('  return (%y0)');
  return `${lines.join('\n')}\n`;
}

/** `depth` nested constant-trip-count loops of `trips` iterations each, adding to a counter. */
export function nestedLoops(depth: number, trips: number): string {
  const lines = [
    'graph(%x : int):',
    `  %n : int = prim::Constant[value=${trips}]()`,
    '  %t : bool = prim::Constant[value=1]()',
    '  %one : int = prim::Constant[value=1]()',
  ];
  const open = (k: number, acc: string): void => {
    const pad = '  '.repeat(2 * k + 1);
    lines.push(
      `${pad}%r${k} : int = prim::Loop(%n, %t, ${acc})`,
      `${pad}  block0(%i${k} : int, %a${k} : int):`,
    );
  };
  for (let k = 0; k < depth; k++) open(k, k === 0 ? '%x' : `%a${k - 1}`);
  lines.push(`${'  '.repeat(2 * depth + 1)}%s : int = aten::add(%a${depth - 1}, %one)`);
  for (let k = depth - 1; k >= 0; k--)
    lines.push(`${'  '.repeat(2 * k + 1)}    -> (%t, ${k === depth - 1 ? '%s' : `%r${k + 1}`})`);
  lines.push('  return (%r0)');
  return `${lines.join('\n')}\n`;
}
