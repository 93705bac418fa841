// Structural comparison of IR graphs: per block, the sequence of (kind, attributes, input/output counts,
// where each input comes from). Value names, source ranges and the placement and pooling of prim::Constant
// are ignored: constants are referenced by their value. Used to compare our loaded graphs with PyTorch's.

import type { Block, Graph, Node, Value } from '../../src/ir/index.js';
import { formatAttribute } from '../../src/ir/text/value-text.js';

/** One node, normalized. */
export interface NormNode {
  readonly kind: string;
  readonly attrs: string;
  readonly inputs: readonly string[];
  readonly outputs: number;
  readonly blocks: readonly NormBlock[];
}

/** One block, normalized: its input count, nodes (constants excluded) and output references. */
export interface NormBlock {
  readonly inputs: number;
  readonly nodes: readonly NormNode[];
  readonly outputs: readonly string[];
}

// Attributes that differ between runs for reasons unrelated to structure.
const IGNORED_ATTRIBUTES = new Set(['warn_id']);

/** A constant by its value: type and attributes (tensors only by being tensors, Functions by base name). */
function constantRef(node: Node): string {
  const type = node.output().type;
  if (type.kind === 'Tensor') return 'const:Tensor';
  if (type.kind === 'Function' && node.hasAttribute('name'))
    return `const:Function:${node.s('name').split('.').pop()}`;
  const attrs = node
    .attributeNames()
    .map((n) => `${n}=${formatAttribute(node.attribute(n)!, 'pytorch', type)}`)
    .join(',');
  return `const:${type.str()}:${attrs}`;
}

function attributesOf(node: Node): string {
  return node
    .attributeNames()
    .filter((n) => !IGNORED_ATTRIBUTES.has(n))
    .sort()
    .map((n) => `${n}=${formatAttribute(node.attribute(n)!, 'pytorch')}`)
    .join(', ');
}

/** Normalizes a graph into nested blocks of nodes that reference their inputs structurally. */
export function normalizeGraph(graph: Graph): NormBlock {
  const refs = new Map<Value, string>();
  graph.inputs.forEach((v, i) => refs.set(v, `input${i}`));
  const ref = (v: Value): string => {
    if (v.node.kind === 'prim::Constant') return constantRef(v.node);
    return refs.get(v) ?? `?${v.debugName}`;
  };
  const visit = (block: Block, path: string): NormBlock => {
    block.inputs.forEach((v, i) => {
      if (block !== graph.block) refs.set(v, `${path}.param${i}`);
    });
    const nodes: NormNode[] = [];
    for (const node of block.nodes()) {
      if (node.kind === 'prim::Constant') continue;
      const at = `${path}/${nodes.length}`;
      const inputs = node.inputs.map(ref);
      const blocks = node.blocks.map((b, i) => visit(b, `${at}.block${i}`));
      node.outputs.forEach((o, i) => refs.set(o, `${at}:${i}`));
      nodes.push({
        kind: node.kind,
        attrs: attributesOf(node),
        inputs,
        outputs: node.outputs.length,
        blocks,
      });
    }
    return { inputs: block.inputs.length, nodes, outputs: block.outputs.map(ref) };
  };
  return visit(graph.block, 'n');
}

function describe(n: NormNode | undefined): string {
  if (!n) return '(nothing)';
  const attrs = n.attrs ? `[${n.attrs}]` : '';
  return `${n.kind}${attrs}(${n.inputs.join(', ')}) -> ${n.outputs} output(s), ${n.blocks.length} block(s)`;
}

/** The first structural difference between two normalized blocks, readably, or undefined when they match. */
export function diffBlocks(ours: NormBlock, theirs: NormBlock, path = 'graph'): string | undefined {
  if (ours.inputs !== theirs.inputs) return `${path}: ${ours.inputs} inputs vs ${theirs.inputs}`;
  const n = Math.max(ours.nodes.length, theirs.nodes.length);
  for (let i = 0; i < n; i++) {
    const a = ours.nodes[i];
    const b = theirs.nodes[i];
    const where = `${path} node ${i}`;
    const context = (): string => {
      const before = ours.nodes
        .slice(Math.max(0, i - 2), i)
        .map((x) => `    ${describe(x)}`)
        .join('\n');
      return before ? `\n  after:\n${before}` : '';
    };
    if (
      !a ||
      !b ||
      a.kind !== b.kind ||
      a.attrs !== b.attrs ||
      a.outputs !== b.outputs ||
      a.blocks.length !== b.blocks.length
    ) {
      return `${where}:\n  ours:    ${describe(a)}\n  pytorch: ${describe(b)}${context()}`;
    }
    for (let k = 0; k < Math.max(a.inputs.length, b.inputs.length); k++) {
      if (a.inputs[k] !== b.inputs[k]) {
        return `${where} (${a.kind}) input ${k}: ours ${a.inputs[k] ?? '(none)'} vs pytorch ${b.inputs[k] ?? '(none)'}\n  ours:    ${describe(a)}\n  pytorch: ${describe(b)}${context()}`;
      }
    }
    for (let k = 0; k < a.blocks.length; k++) {
      const d = diffBlocks(a.blocks[k], b.blocks[k], `${where} (${a.kind}) block${k}`);
      if (d) return d;
    }
  }
  for (let k = 0; k < Math.max(ours.outputs.length, theirs.outputs.length); k++) {
    if (ours.outputs[k] !== theirs.outputs[k]) {
      return `${path} output ${k}: ours ${ours.outputs[k] ?? '(none)'} vs pytorch ${theirs.outputs[k] ?? '(none)'} (${ours.outputs.length} vs ${theirs.outputs.length} outputs)`;
    }
  }
  return undefined;
}

/** The first structural difference between two graphs, or undefined when they match. */
export function diffGraphs(ours: Graph, theirs: Graph): string | undefined {
  return diffBlocks(normalizeGraph(ours), normalizeGraph(theirs));
}
