/**
 * constant-pooling: one prim::Constant per distinct value, hoisted to the top of the graph.
 *   %a : int = prim::Constant[value=1]()           %a : int = prim::Constant[value=1]()
 *   ...                                      =>    ...
 *   block0(): %b : int = prim::Constant[value=1]()   (uses of %b now use %a)
 * Values compare with their type: 1, 1. and True stay apart, as do 0. and -0.; NaN pools with NaN.
 * Tensors (and lists of them) compare by dtype, shape, device and elements, as PyTorch's tensorEqual.
 * Two different objects of equal value (tensors, lists, tuples holding them) pool only when neither is
 * written and they do not both escape the graph (AliasDb.safeToChangeAliasingRelationship); dicts and
 * script objects pool only when they are the same object. Mirrors constant_pooling.cpp, except the
 * order: survivors keep first-seen order, so a second run changes nothing.
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
  inject,
} from '../src/index.js';
import { currentAliasDb, type AliasDb } from './alias-analysis.js';
import { TensorEquality, tensorHash } from './tensor-equality.js';

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
    const keys = new KeyMaker();
    let db: AliasDb | undefined;
    const safe = (a: Node, b: Node): boolean =>
      (db ??= currentAliasDb(graph, this.ops)).safeToChangeAliasingRelationship(a.outputs, b.outputs);
    // Per key, the constants kept so far grouped into classes of equal value (equality is transitive, so
    // one comparison with a class's first member decides for all of it): twelve equal layer weights that
    // may not be merged are compared once each, not with every earlier one (transformer: 465 full
    // comparisons of 136M elements before).
    const pool = new Map<string, Node[][]>();
    const tensors = new TensorEquality();
    let merged = 0;
    let hoisted = 0;
    let last: Node | null = null;
    for (const node of constants) {
      const key = keys.of(node);
      const classes = pool.get(key) ?? [];
      const equal = classes.find((members) => sameValue(members[0], node, tensors));
      // The first equal constant (in the order kept) that may stand for this one.
      const existing = equal?.find((c) => sameObject(c, node) || safe(node, c));
      if (existing) {
        // Transforms a second equal constant into uses of the first.
        node.output().replaceAllUsesWith(existing.output());
        node.destroy();
        merged++;
        continue;
      }
      if (equal) equal.push(node);
      else classes.push([node]);
      pool.set(key, classes);
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
}

/** Pool keys: type and value, tensors by a hash of their elements (equal keys are then compared in full). */
class KeyMaker {
  private readonly ids = new Map<object, number>();

  of(node: Node): string {
    const type = node.output().type.str();
    const attr = node.attribute('value') ?? node.attribute('name');
    if (!attr) return `${type}|none`;
    const text = encode(valueOf(node));
    return text === undefined
      ? `${type}|id:${this.id(attr.value as object)}`
      : `${type}|${attr.kind}|${text}`;
  }

  private id(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.ids.size));
    return id;
  }
}

function valueOf(node: Node): IValue {
  return node.hasAttribute('name') && !node.hasAttribute('value')
    ? new FunctionRef(node.s('name'))
    : readValue(node);
}

// The same object (or an immutable value): sharing it changes nothing.
function sameObject(a: Node, b: Node): boolean {
  const [x, y] = [valueOf(a), valueOf(b)];
  return x === y || !isMutable(x);
}

// Equal values, tensors element by element (the keys matched already: same type, structure and hashes).
// `kept` is the class's first member, whose storage region's NaN scan serves every equal constant.
function sameValue(kept: Node, node: Node, tensors: TensorEquality): boolean {
  const equal = (x: IValue, y: IValue): boolean => {
    if (x instanceof Tensor && y instanceof Tensor) return tensors.same(y, x);
    const xs = x instanceof Tuple ? x.items : Array.isArray(x) ? x : undefined;
    const ys = y instanceof Tuple ? y.items : Array.isArray(y) ? y : undefined;
    if (xs && ys) return xs.length === ys.length && xs.every((v, i) => equal(v, ys[i]));
    return true; // equal keys: equal text
  };
  return equal(valueOf(kept), valueOf(node));
}

function readValue(node: Node): IValue {
  const attr = node.attribute('value');
  if (!attr) return null;
  return attr.kind === 'i' && node.output().type.kind === 'bool'
    ? attr.value !== 0 && attr.value !== 0n
    : (attr.value as IValue);
}

function isMutable(v: IValue): boolean {
  return (
    v instanceof Tensor ||
    Array.isArray(v) ||
    v instanceof Map ||
    (v instanceof Tuple && v.items.some(isMutable))
  );
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
  if (v instanceof Tensor) return `T${tensorHash(v)}`;
  if (v instanceof Tuple || Array.isArray(v)) {
    const items = (v instanceof Tuple ? v.items : v).map(encode);
    return items.some((i) => i === undefined)
      ? undefined
      : `${v instanceof Tuple ? 't' : 'l'}(${items.join(',')})`;
  }
  return undefined; // dicts and objects: identity only
}
