/**
 * constant-pooling: one prim::Constant per distinct value, hoisted to the top of the graph.
 *   %a : int = prim::Constant[value=1]()           %a : int = prim::Constant[value=1]()
 *   ...                                      =>    ...
 *   block0(): %b : int = prim::Constant[value=1]()   (uses of %b now use %a)
 * Values compare with their type: 1, 1. and True stay apart, as do 0. and -0.; NaN pools with NaN.
 * Tensors are mutable, so only constants holding the same tensor object pool. Lists, dicts and
 * objects pool by equal content only when no use of either constant may write or alias it, the
 * operator table says (PyTorch asks AliasDb.safeToChangeAliasingRelationship). Mirrors
 * constant_pooling.cpp, except the order: survivors keep first-seen order, so a second run changes nothing.
 */

import {
  Device,
  FunctionRef,
  OPERATOR_REGISTRY,
  OperatorRegistry,
  pass,
  Tensor,
  Tuple,
  type Graph,
  type GraphPass,
  type IValue,
  type Node,
  type PassContext,
  type PassResult,
  type Type,
  type Value,
  inject,
} from '../src/index.js';

@pass({
  name: 'constant-pooling',
  summary: 'Keep one prim::Constant per distinct value, hoisted to the top of the graph',
  statistics: [
    { name: 'constants-merged', description: 'duplicate constants replaced by an equal one' },
    { name: 'constants-hoisted', description: 'constants moved to the top of the graph' },
  ],
  preserves: [],
})
export class ConstantPooling implements GraphPass {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  run(graph: Graph, context: PassContext): PassResult {
    const constants = [...graph.allNodes()].filter(
      (n) => n.kind === 'prim::Constant' && n.outputs.length === 1,
    );
    const keys = new KeyMaker((v) => this.safeToShare(v));
    const pool = new Map<string, Node>();
    let merged = 0;
    let hoisted = 0;
    let last: Node | null = null;
    for (const node of constants) {
      const key = keys.of(node);
      const existing = pool.get(key);
      if (existing) {
        // Transforms a second equal constant into uses of the first.
        node.output().replaceAllUsesWith(existing.output());
        node.destroy();
        merged++;
        continue;
      }
      pool.set(key, node);
      const first = graph.block.firstNode;
      const wanted: Node | null = last ? last.next : first;
      if (node !== wanted) {
        if (last) node.moveAfter(last);
        else if (first) node.moveBefore(first);
        hoisted++;
      }
      last = node;
    }
    if (merged) context.count('constants-merged', merged);
    if (hoisted) context.count('constants-hoisted', hoisted);
    return { changed: merged + hoisted > 0 };
  }

  // True when no use of `v` may write it or make an alias of it, so replacing it by an equal value is unobservable.
  private safeToShare(v: Value): boolean {
    for (const { user, offset } of v.uses()) {
      if (user.kind === 'prim::Return') return false; // escapes the graph or a block
      const facts = this.ops.factsForNode(user);
      if (
        !facts ||
        facts.hasSideEffects ||
        facts.aliasAnalysis === 'conservative' ||
        facts.category === 'call'
      )
        return false;
      if (user.outputs.every((o) => !mayHoldMutable(o.type))) continue;
      const schema = this.ops.schemaForNode(user);
      if (!schema || facts.category !== 'operator') return false; // containers and the like keep their inputs inside
      for (let i = 0; i < user.outputs.length; i++) {
        if (schema.returnsWildcard(i) || schema.aliasOf(i).includes(offset)) return false;
      }
    }
    return true;
  }
}

// A type whose values may be (or contain) a mutable list, dict, tensor-list or object.
function mayHoldMutable(t: Type): boolean {
  switch (t.kind) {
    case 'List':
    case 'Dict':
    case 'Any':
    case 'Class':
    case 'Interface':
    case 'Var':
    case 'Union':
    case 'Future':
      return true;
    case 'Optional':
    case 'Tuple':
      return t.containedTypes().some(mayHoldMutable);
    default:
      return false;
  }
}

/** Pool keys: type + value for immutable values, identity for objects that may not be shared. */
class KeyMaker {
  private readonly ids = new Map<object, number>();

  constructor(private readonly shareable: (v: Value) => boolean) {}

  of(node: Node): string {
    const out = node.output();
    const attr = node.attribute('value') ?? node.attribute('name');
    const type = out.type.str();
    if (!attr) return `${type}|none`;
    if (attr.kind === 't' || attr.kind === 'ts') return `${type}|id:${this.id(attr.value)}`;
    const value =
      attr.kind === 's' && node.hasAttribute('name') && !node.hasAttribute('value')
        ? new FunctionRef(attr.value)
        : readValue(node);
    const text = encode(value);
    if (text === undefined) return `${type}|id:${this.id(attr.value as object)}`;
    if (isMutable(value) && !this.shareable(out))
      return `${type}|id:${this.id(attr.value as object)}|${text}`;
    return `${type}|${attr.kind}|${text}`;
  }

  private id(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.ids.size));
    return id;
  }
}

function readValue(node: Node): IValue {
  const attr = node.attribute('value');
  if (!attr) return null;
  return attr.kind === 'i' && node.output().type.kind === 'bool'
    ? attr.value !== 0 && attr.value !== 0n
    : (attr.value as IValue);
}

function isMutable(v: IValue): boolean {
  return Array.isArray(v) || v instanceof Map || (v instanceof Tuple && v.items.some(isMutable));
}

// A canonical text of a value, or undefined when it can only be compared by identity (tensors, objects).
function encode(v: IValue): string | undefined {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return `i${v}`;
  if (typeof v === 'number') return Object.is(v, -0) ? 'n-0' : `n${v}`;
  if (typeof v === 'string') return `s${JSON.stringify(v)}`;
  if (v instanceof Device) return `d${v.toString()}`;
  if (v instanceof FunctionRef) return `f${v.qualifiedName}`;
  if (v instanceof Tensor) return undefined;
  if (v instanceof Tuple || Array.isArray(v)) {
    const items = (v instanceof Tuple ? v.items : v).map(encode);
    return items.some((i) => i === undefined)
      ? undefined
      : `${v instanceof Tuple ? 't' : 'l'}(${items.join(',')})`;
  }
  return undefined; // dicts and objects: identity only
}
