// PyTorch's schemas (data/schemas.ts) and our hand-declared prim ops, indexed by operator name and
// parsed on first use. Parsed schemas are immutable, so every registry shares this one cache.

import { TORCH_SCHEMAS } from './data/schemas.js';
import type { FactOverrides } from './facts.js';
import { parseSchema } from './schema-parser.js';
import type { FunctionSchema } from './schema.js';
import { FACT_OVERRIDES, SPECIAL_OPS } from './special-ops.js';

/** One built-in overload: its schema and the facts it declares. */
export interface BuiltinOverload {
  readonly schema: FunctionSchema;
  readonly facts: FactOverrides;
}

type IndexEntry = { text: string; facts: FactOverrides };

let specialOps: Map<string, IndexEntry[]> | undefined;
const parsed = new Map<string, FunctionSchema>();

/** `aten::add` of `aten::add.Tensor(...)` or of `aten::add.Tensor`: the operator name (the node kind). */
export function operatorNameOf(text: string): string {
  const from = text.indexOf('::') + 2;
  const dot = text.indexOf('.', from);
  const paren = text.indexOf('(', from);
  const end = dot < 0 ? paren : paren < 0 ? dot : Math.min(dot, paren);
  return end < 0 ? text : text.slice(0, end);
}

// The hand-declared ops by name (a few dozen).
function specialOpsByName(): Map<string, IndexEntry[]> {
  if (specialOps) return specialOps;
  const map = new Map<string, IndexEntry[]>();
  for (const op of SPECIAL_OPS) {
    const name = operatorNameOf(op.schema);
    let list = map.get(name);
    if (!list) map.set(name, (list = []));
    list.push({ text: op.schema, facts: op.facts });
  }
  specialOps = map;
  return map;
}

/**
 * Where operator `name`'s schemas are in TORCH_SCHEMAS, which the generator sorts by operator name (a test
 * checks it): a binary search per operator asked for, instead of indexing all ~3700 schemas on first use,
 * which was ~2 ms and 1 MB of every load.
 */
export function torchSchemaRange(name: string): { start: number; end: number } {
  let lo = 0;
  let hi = TORCH_SCHEMAS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (operatorNameOf(TORCH_SCHEMAS[mid]) < name) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < TORCH_SCHEMAS.length && operatorNameOf(TORCH_SCHEMAS[end]) === name) end++;
  return { start: lo, end };
}

// PyTorch's overloads of `name` in declaration order, then the hand-declared ones.
function indexEntries(name: string): IndexEntry[] {
  const { start, end } = torchSchemaRange(name);
  const list: IndexEntry[] = [];
  for (let i = start; i < end; i++)
    list.push({ text: TORCH_SCHEMAS[i], facts: FACT_OVERRIDES.get(name) ?? {} });
  const special = specialOpsByName().get(name);
  if (special) for (const e of special) list.push(e);
  return list;
}

/** Parses (once) a schema string of the built-in table. */
export function parseBuiltin(text: string): FunctionSchema {
  let schema = parsed.get(text);
  if (!schema) {
    schema = parseSchema(text);
    parsed.set(text, schema);
  }
  return schema;
}

/** The built-in overloads of operator `name`, in PyTorch's declaration order (empty if none). */
export function builtinOverloads(name: string): BuiltinOverload[] {
  return indexEntries(name).map((e) => ({ schema: parseBuiltin(e.text), facts: e.facts }));
}

/** Every operator name of the built-in table, sorted. */
export function builtinOperatorNames(): string[] {
  const names = new Set<string>();
  for (const text of TORCH_SCHEMAS) names.add(operatorNameOf(text));
  for (const name of specialOpsByName().keys()) names.add(name);
  return [...names].sort();
}

/** The number of built-in overloads (PyTorch's plus the hand-declared ones). */
export function builtinOverloadCount(): number {
  return TORCH_SCHEMAS.length + SPECIAL_OPS.length;
}
