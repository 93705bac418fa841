// The prim ops PyTorch handles without a registered schema (prim::Constant, GetAttr, If, Loop,
// ListConstruct, CallMethod, ...) declared as schemas of our own, and fact overrides for the schema'd
// prim ops that alias analysis and constant propagation special-case in PyTorch.

import type { FactOverrides } from './facts.js';

/** A hand-declared operator: a schema string (varargs `...` where the arity is open) and its facts. */
export interface SpecialOp {
  readonly schema: string;
  readonly facts: FactOverrides;
}

const container: FactOverrides = { category: 'container', aliasAnalysis: 'special-case' };
const call: FactOverrides = { category: 'call', aliasAnalysis: 'conservative', sideEffects: true };
const controlFlow: FactOverrides = { category: 'control-flow', aliasAnalysis: 'special-case' };

/** Ops PyTorch 1.13 has no schema for (torch._C._jit_get_all_schemas() omits them). */
export const SPECIAL_OPS: readonly SpecialOp[] = [
  // Value in the `value` attribute; output type from the node.
  { schema: 'prim::Constant() -> ...', facts: { category: 'constant', aliasAnalysis: 'special-case' } },
  // Attribute `name`; the output type comes from the class.
  {
    schema: 'prim::GetAttr(AnyClassType self) -> ...',
    facts: { category: 'attribute', aliasAnalysis: 'special-case' },
  },
  {
    schema: 'prim::SetAttr(AnyClassType self, Any value) -> ()',
    facts: { category: 'attribute', aliasAnalysis: 'special-case', sideEffects: true },
  },
  // Attribute `name`; input 0 is the object (a class or an interface).
  { schema: 'prim::CallMethod(...) -> ...', facts: call },
  // Input 0 is the function (type Function).
  { schema: 'prim::CallFunction(...) -> ...', facts: call },
  { schema: 'prim::fork(...) -> ...', facts: call },
  { schema: 'prim::If(bool cond) -> ...', facts: controlFlow },
  // Inputs: max trip count, initial condition, then the loop-carried values.
  { schema: 'prim::Loop(int max_trip_count, bool start_condition, ...) -> ...', facts: controlFlow },
  { schema: 'prim::Closure(...) -> ...', facts: controlFlow },
  { schema: 'prim::TupleConstruct(...) -> ...', facts: container },
  { schema: 'prim::TupleSlice(...) -> ...', facts: container },
  { schema: 'prim::ListConstruct(...) -> ...', facts: container },
  { schema: 'prim::ListUnpack(...) -> ...', facts: container },
  { schema: 'prim::DictConstruct(...) -> ...', facts: container },
  // A fresh object of the output's class type, attributes uninitialised.
  { schema: 'prim::CreateObject() -> ...', facts: { category: 'container', aliasAnalysis: 'special-case' } },
  // Attribute `types`: the types checked against.
  { schema: 'prim::isinstance(Any to_check) -> bool', facts: {} },
  // `with` statements: call __enter__ / __exit__ of the object.
  { schema: 'prim::Enter(Any self) -> ...', facts: call },
  { schema: 'prim::Exit(Any self) -> ...', facts: call },
];

/**
 * Overrides for schema'd prim ops PyTorch special-cases: extractors whose outputs alias the input's
 * elements, casts whose output is the input, and the `Uninitialized` placeholder that is never folded.
 */
export const FACT_OVERRIDES: ReadonlyMap<string, FactOverrides> = new Map<string, FactOverrides>([
  ['prim::TupleUnpack', container],
  ['prim::TupleIndex', container],
  ['prim::unchecked_cast', { aliasAnalysis: 'special-case' }],
  [
    'prim::Uninitialized',
    {
      aliasAnalysis: 'special-case',
      pure: false,
      impureReason: 'is a placeholder for a value assigned on every path that uses it',
    },
  ],
]);
