// Snapshots of graphs as plain data for a run's record: every node version stored once, so a pipeline of
// many passes over a big graph records only what each pass changed. The report layer draws from these.

import {
  formatAttribute,
  nodeScope,
  printGraph,
  type Attribute,
  type Block,
  type Graph,
  type Node,
  type Value,
} from '../../ir/index.js';
import { Tensor } from '../../tensor/index.js';

/** A value as recorded: a run-wide id (stable while the Value object lives), its name and type. */
export interface RecordedValue {
  readonly id: number;
  readonly name: string;
  readonly type: string;
}

/** A block: its parameters, its nodes (indices into the record's node table) and what it returns. */
export interface RecordedBlock {
  readonly params: readonly RecordedValue[];
  readonly nodes: readonly number[];
  readonly returns: readonly number[];
}

/** One version of one node. A pass that changes a node (or anything inside its blocks) makes a new version. */
export interface RecordedNode {
  /** The node's identity across versions (same Node object, same key). */
  readonly key: number;
  readonly kind: string;
  /** Value ids of the inputs. */
  readonly inputs: readonly number[];
  readonly outputs: readonly RecordedValue[];
  /** Attributes as `name=value` strings (tensors summarised by dtype and shape). */
  readonly attributes: readonly string[];
  readonly blocks: readonly RecordedBlock[];
  /** `file.py:12:4`, when known. */
  readonly source?: string;
  /** The submodule path the node came from (inlining, or a traced graph's scope). */
  readonly module?: string;
}

/** A method graph at one moment of the run. */
export interface RecordedGraphState {
  readonly method: string;
  readonly graph: RecordedBlock;
  /** Nodes in all blocks. */
  readonly nodeCount: number;
  /** The IR text (print(graph)), for textual diffs. */
  readonly text: string;
}

const LONG_ATTRIBUTE = 160;

/** Records graph states, sharing unchanged node versions between them. */
export class SnapshotTable {
  readonly nodes: RecordedNode[] = [];
  readonly states: RecordedGraphState[] = [];
  private readonly nodeKeys = new WeakMap<Node, number>();
  private readonly valueIds = new WeakMap<Value, number>();
  private readonly latest = new Map<number, { readonly signature: string; readonly index: number }>();
  private nextKey = 1;
  private nextValue = 1;

  /**
   * Records `graph` as method `method`; returns the state's index. When it equals state `previous`
   * (the same node versions, parameters and returns), returns `previous` and records nothing.
   */
  snapshot(method: string, graph: Graph, previous?: number): number {
    let nodeCount = 0;
    const block = this.block(graph.block, graph.inputs, () => nodeCount++);
    const last = previous === undefined ? undefined : this.states[previous];
    if (last && last.method === method && sameBlock(last.graph, block)) return previous!;
    this.states.push({ method, graph: block, nodeCount, text: printGraph(graph) });
    return this.states.length - 1;
  }

  private block(block: Block, params: readonly Value[], count: () => void): RecordedBlock {
    const nodes: number[] = [];
    for (const node of block.nodes()) {
      count();
      nodes.push(this.node(node, count));
    }
    return {
      params: params.map((v) => this.value(v)),
      nodes,
      returns: block.outputs.map((v) => this.valueId(v)),
    };
  }

  private node(node: Node, count: () => void): number {
    let key = this.nodeKeys.get(node);
    if (key === undefined) {
      key = this.nextKey++;
      this.nodeKeys.set(node, key);
    }
    const module = node.inlinedFrom ?? tracedModule(node);
    const recorded: RecordedNode = {
      key,
      kind: node.kind,
      inputs: node.inputs.map((v) => this.valueId(v)),
      outputs: node.outputs.map((v) => this.value(v)),
      attributes: node.attributeNames().map((name) => `${name}=${attributeText(node, name)}`),
      blocks: node.blocks.map((b) => this.block(b, b.inputs, count)),
      ...(node.sourceRange !== undefined ? { source: node.sourceRange } : {}),
      ...(module !== undefined ? { module } : {}),
    };
    const signature = JSON.stringify(recorded);
    const last = this.latest.get(key);
    if (last && last.signature === signature) return last.index;
    this.nodes.push(recorded);
    this.latest.set(key, { signature, index: this.nodes.length - 1 });
    return this.nodes.length - 1;
  }

  private value(v: Value): RecordedValue {
    return { id: this.valueId(v), name: v.debugName, type: v.type.str() };
  }

  private valueId(v: Value): number {
    let id = this.valueIds.get(v);
    if (id === undefined) {
      id = this.nextValue++;
      this.valueIds.set(v, id);
    }
    return id;
  }
}

function sameBlock(a: RecordedBlock, b: RecordedBlock): boolean {
  const sameList = <T>(x: readonly T[], y: readonly T[], eq: (p: T, q: T) => boolean): boolean =>
    x.length === y.length && x.every((v, i) => eq(v, y[i]));
  return (
    sameList(a.nodes, b.nodes, (p, q) => p === q) &&
    sameList(a.returns, b.returns, (p, q) => p === q) &&
    sameList(a.params, b.params, (p, q) => p.id === q.id && p.name === q.name && p.type === q.type)
  );
}

// A traced graph's `__module.layer1.0` scope as a module path (`layer1.0`).
function tracedModule(node: Node): string | undefined {
  const scope = nodeScope(node);
  if (!scope) return undefined;
  const path = scope.replace(/^__module\.?/, '');
  return path || undefined;
}

// Attribute values for people: tensors by dtype and shape (values only when tiny), long texts cut.
function attributeText(node: Node, name: string): string {
  const attr = node.attribute(name) as Attribute;
  if (attr.kind === 't' || (attr.kind === 'ival' && attr.value instanceof Tensor)) {
    const t = attr.value as Tensor;
    const head = `Tensor<${t.dtype}>[${t.shape.join(', ')}]`;
    return t.numel <= 4 ? `${head} ${formatAttribute(attr, 'pytorch')}` : head;
  }
  const type = node.kind === 'prim::Constant' && node.outputs.length === 1 ? node.outputs[0].type : undefined;
  const text = formatAttribute(attr, 'pytorch', type);
  return text.length > LONG_ATTRIBUTE ? `${text.slice(0, LONG_ATTRIBUTE)}…` : text;
}
