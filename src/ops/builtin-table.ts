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

let index: Map<string, { text: string; facts: FactOverrides }[]> | undefined;
const parsed = new Map<string, FunctionSchema>();

/** `aten::add` of `aten::add.Tensor(...)` or of `aten::add.Tensor`: the operator name (the node kind). */
export function operatorNameOf(text: string): string {
  const from = text.indexOf('::') + 2;
  const dot = text.indexOf('.', from);
  const paren = text.indexOf('(', from);
  const end = dot < 0 ? paren : paren < 0 ? dot : Math.min(dot, paren);
  return end < 0 ? text : text.slice(0, end);
}

function builtinIndex(): Map<string, { text: string; facts: FactOverrides }[]> {
  if (index) return index;
  const map = new Map<string, { text: string; facts: FactOverrides }[]>();
  const add = (name: string, text: string, facts: FactOverrides): void => {
    let list = map.get(name);
    if (!list) map.set(name, (list = []));
    list.push({ text, facts });
  };
  for (const text of TORCH_SCHEMAS) {
    const name = operatorNameOf(text);
    add(name, text, FACT_OVERRIDES.get(name) ?? {});
  }
  for (const op of SPECIAL_OPS) add(operatorNameOf(op.schema), op.schema, op.facts);
  index = map;
  return map;
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
  const list = builtinIndex().get(name);
  return list ? list.map((e) => ({ schema: parseBuiltin(e.text), facts: e.facts })) : [];
}

/** Every operator name of the built-in table, sorted. */
export function builtinOperatorNames(): string[] {
  return [...builtinIndex().keys()].sort();
}

/** The number of built-in overloads (PyTorch's plus the hand-declared ones). */
export function builtinOverloadCount(): number {
  return TORCH_SCHEMAS.length + SPECIAL_OPS.length;
}
