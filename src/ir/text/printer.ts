// Prints a Graph as PyTorch's print(graph) does: `graph(%a : T,\n      %b : U):`, one node per line indented
// by nesting, `blockN(...):` / `-> (...)` for nested blocks, source comments, `return (...)`.

import type { Block } from '../block.js';
import type { Graph } from '../graph.js';
import type { Node } from '../node.js';
import type { Type } from '../types.js';
import type { Value } from '../value.js';
import type { TensorStyle } from './tensor-text.js';
import { formatAttribute } from './value-text.js';

// Tracing scopes (`, scope: __module.conv`), which only traced graphs print. Kept beside the node rather
// than in the IR core: passes do not use them, and a cloned node simply has none.
const scopes = new WeakMap<Node, string>();

/** The tracing scope printed after a node's inputs (`, scope: __module.conv`), if any. */
export function nodeScope(node: Node): string | undefined {
  return scopes.get(node);
}

/** Sets (or with undefined, clears) a node's tracing scope. */
export function setNodeScope(node: Node, scope: string | undefined): void {
  if (scope === undefined) scopes.delete(node);
  else scopes.set(node, scope);
}

/** Options of printGraph / printNode. */
export interface PrintOptions {
  /**
   * 'pytorch' (default): tensor constants exactly as PyTorch prints them (lossy: `{0.5}`, a table of
   * 4-decimal values for up to 10 elements, `<Tensor>` beyond). 'lossless': `tensor<Float(2, 3)>"<base64>"`,
   * so parseIR gives back the same values bit for bit.
   */
  readonly tensorStyle?: TensorStyle;
  /** Print `# file:line:col` source comments (default true). */
  readonly sourceRanges?: boolean;
}

interface Frame {
  readonly iter: Iterator<Node>;
  readonly indent: number;
  readonly block: Block;
  /** Set for nested blocks: the node owning the block and the block's index. */
  readonly owner?: { readonly node: Node; readonly index: number };
}

class Printer {
  private readonly out: string[] = [];
  private readonly typeText = new Map<Type, string>();
  private readonly style: TensorStyle;
  private readonly ranges: boolean;

  constructor(options: PrintOptions) {
    this.style = options.tensorStyle ?? 'pytorch';
    this.ranges = options.sourceRanges ?? true;
  }

  text(): string {
    return this.out.join('');
  }

  graph(graph: Graph): void {
    this.out.push('graph(', this.typedList(graph.inputs, ',\n      '), '):\n');
    this.walk([{ iter: graph.block.nodes(), indent: 2, block: graph.block }]);
    this.out.push('  return (', this.names(graph.outputs), ')\n');
  }

  /** A node line followed by its blocks. */
  nodeTree(node: Node, indent: number): void {
    this.nodeLine(node, indent);
    if (node.blocks.length) {
      const stack: Frame[] = [];
      this.openBlock(stack, node, 0, indent);
      this.walk(stack);
    }
  }

  // Prints the frames' nodes depth-first; nested blocks two (header) and four (body) spaces deeper than
  // their node. Iterative, so deep nesting cannot overflow the stack.
  private walk(stack: Frame[]): void {
    while (stack.length) {
      const frame = stack[stack.length - 1];
      const step = frame.iter.next();
      if (step.done) {
        stack.pop();
        const owner = frame.owner;
        if (owner) {
          this.out.push(' '.repeat(frame.indent), '-> (', this.names(frame.block.outputs), ')\n');
          if (owner.index + 1 < owner.node.blocks.length)
            this.openBlock(stack, owner.node, owner.index + 1, frame.indent - 4);
        }
        continue;
      }
      const node = step.value;
      this.nodeLine(node, frame.indent);
      if (node.blocks.length) this.openBlock(stack, node, 0, frame.indent);
    }
  }

  private openBlock(stack: Frame[], node: Node, index: number, nodeIndent: number): void {
    const b = node.blocks[index];
    this.out.push(' '.repeat(nodeIndent + 2), `block${index}(`, this.typedList(b.inputs, ', '), '):\n');
    stack.push({ iter: b.nodes(), indent: nodeIndent + 4, block: b, owner: { node, index } });
  }

  nodeLine(node: Node, indent: number): void {
    const out = this.out;
    out.push(' '.repeat(indent), this.typedList(node.outputs, ', '), ' = ', node.kind);
    const names = node.attributeNames();
    if (names.length) {
      const type =
        node.kind === 'prim::Constant' && node.outputs.length === 1 ? node.outputs[0].type : undefined;
      out.push('[');
      names.forEach((name, i) => {
        out.push(i ? ', ' : '', name, '=', formatAttribute(node.attribute(name)!, this.style, type));
      });
      out.push(']');
    }
    out.push('(', this.names(node.inputs), ')');
    const scope = scopes.get(node);
    if (scope !== undefined) out.push(', scope: ', scope);
    if (this.ranges && node.sourceRange !== undefined) out.push(' # ', node.sourceRange);
    out.push('\n');
  }

  private typedList(values: readonly Value[], separator: string): string {
    let s = '';
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      s += `${i ? separator : ''}%${v.debugName} : ${this.type(v.type)}`;
    }
    return s;
  }

  private names(values: readonly Value[]): string {
    let s = '';
    for (let i = 0; i < values.length; i++) s += `${i ? ', ' : ''}%${values[i].debugName}`;
    return s;
  }

  private type(t: Type): string {
    let s = this.typeText.get(t);
    if (s === undefined) {
      s = t.str();
      this.typeText.set(t, s);
    }
    return s;
  }
}

/** The graph as PyTorch's print(graph) shows it (ending in a newline). */
export function printGraph(graph: Graph, options: PrintOptions = {}): string {
  const p = new Printer(options);
  p.graph(graph);
  return p.text();
}

/** One node as PyTorch prints it (its blocks included), without indentation or a final newline. */
export function printNode(node: Node, options: PrintOptions = {}): string {
  const p = new Printer(options);
  p.nodeTree(node, 0);
  return p.text().replace(/\n$/, '');
}
