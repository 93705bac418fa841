// The picture's model of one graph state: nodes with their labels (constants folded into their users'
// labels), If/Loop blocks, and regions (source modules, then chunks of a long block) that the page can
// collapse. DOM-free: the page and `tsfreeze viz` both build it.

import type { RecordedBlock, RecordedNode, RecordedValue } from '../../pipeline/index.js';

/** How a view is built. */
export interface ViewOptions {
  /** Group inlined nodes by the submodule they came from (default true). */
  readonly groupByModule?: boolean;
  /** Draw constants inside their users' labels instead of as nodes (default true). */
  readonly foldConstants?: boolean;
}

/** A drawn IR node. */
export interface VNode {
  readonly id: string;
  readonly key: number;
  /** Index of this version in the record's node table. */
  readonly version: number;
  readonly kind: string;
  /** Lines under the kind: attributes, arguments, results. */
  readonly lines: readonly string[];
  /** Dataflow inputs (value ids), folded constants left out. */
  readonly inputs: readonly number[];
  readonly outputs: readonly RecordedValue[];
  readonly blocks: readonly VBlock[];
  readonly module?: string;
  readonly source?: string;
  /** Nodes drawn when fully expanded: itself and everything in its blocks. */
  readonly size: number;
}

/** A block of an If or Loop (or the graph's top block). */
export interface VBlock {
  readonly id: string;
  readonly label: string;
  readonly params: readonly RecordedValue[];
  readonly returns: readonly number[];
  readonly items: readonly Item[];
}

/** A group the page can collapse into one box. */
export interface Region {
  readonly id: string;
  readonly label: string;
  readonly kind: 'module' | 'chunk';
  readonly items: readonly Item[];
  /** Drawn nodes inside, at any depth. */
  readonly size: number;
  /** Keys of every drawn node inside. */
  readonly keys: readonly number[];
}

export type Item =
  { readonly kind: 'node'; readonly node: VNode } | { readonly kind: 'region'; readonly region: Region };

/** A graph state ready to lay out. */
export interface GraphView {
  readonly top: VBlock;
  readonly nodes: ReadonlyMap<number, VNode>;
  /** Container of every node, region and block id (a block's container is its node). */
  readonly parent: ReadonlyMap<string, string>;
  readonly regions: ReadonlyMap<string, Region>;
  /** value id -> the drawn node producing it, or the block whose parameter it is. */
  readonly producers: ReadonlyMap<number, string>;
  /** value id -> its text, for values folded into labels. */
  readonly folded: ReadonlyMap<number, string>;
  /** value id -> name. */
  readonly names: ReadonlyMap<number, string>;
  /** Drawn nodes in all. */
  readonly size: number;
  /** Folded IR nodes (constants). */
  readonly foldedCount: number;
}

/** Most items a region shows before it is split into chunks. */
export const CHUNK = 80;
const LINE = 44;

/** Builds the view of a graph state from the record's node table. */
export function buildView(
  nodes: readonly RecordedNode[],
  graph: RecordedBlock,
  options: ViewOptions = {},
): GraphView {
  const b = new ViewBuilder(nodes, options);
  const top = b.block('top', 'graph', graph, '', undefined);
  return {
    top,
    nodes: b.vnodes,
    parent: b.parent,
    regions: b.regions,
    producers: b.producers,
    folded: b.folded,
    names: b.names,
    size: [...b.vnodes.values()].length,
    foldedCount: b.foldedCount,
  };
}

class ViewBuilder {
  readonly vnodes = new Map<number, VNode>();
  readonly parent = new Map<string, string>();
  readonly regions = new Map<string, Region>();
  readonly producers = new Map<number, string>();
  readonly folded = new Map<number, string>();
  readonly names = new Map<number, string>();
  foldedCount = 0;
  private readonly groupByModule: boolean;
  private readonly foldConstants: boolean;

  constructor(
    private readonly table: readonly RecordedNode[],
    options: ViewOptions,
  ) {
    this.groupByModule = options.groupByModule ?? true;
    this.foldConstants = options.foldConstants ?? true;
  }

  block(id: string, label: string, block: RecordedBlock, base: string, owner: string | undefined): VBlock {
    if (owner) this.parent.set(id, owner);
    for (const p of block.params) {
      this.producers.set(p.id, id);
      this.names.set(p.id, p.name);
    }
    const drawn: VNode[] = [];
    for (const index of block.nodes) {
      const n = this.node(index, base);
      if (n) drawn.push(n);
    }
    const items = this.group(id, drawn, base);
    return { id, label, params: block.params, returns: block.returns, items };
  }

  // A drawn node, or undefined when it folds into its users.
  private node(index: number, base: string): VNode | undefined {
    const r = this.table[index];
    for (const o of r.outputs) this.names.set(o.id, o.name);
    const constant = this.foldConstants ? this.foldedText(r) : undefined;
    if (constant !== undefined) {
      this.folded.set(r.outputs[0].id, constant);
      this.foldedCount++;
      return undefined;
    }
    const id = `n${r.key}`;
    const blocks = r.blocks.map((blk, i) =>
      this.block(`b${r.key}.${i}`, `block${i}`, blk, r.module ?? base, id),
    );
    const size = 1 + blocks.reduce((n, blk) => n + itemsSize(blk.items), 0);
    const v: VNode = {
      id,
      key: r.key,
      version: index,
      kind: r.kind,
      lines: this.lines(r),
      inputs: r.inputs.filter((i) => !this.folded.has(i)),
      outputs: r.outputs,
      blocks,
      ...(r.module !== undefined ? { module: r.module } : {}),
      ...(r.source !== undefined ? { source: r.source } : {}),
      size,
    };
    this.vnodes.set(r.key, v);
    for (const o of r.outputs) this.producers.set(o.id, id);
    return v;
  }

  // Constants, and lists/tuples of folded values, fold into their users as text.
  private foldedText(r: RecordedNode): string | undefined {
    if (r.blocks.length || r.outputs.length !== 1) return undefined;
    if (r.kind === 'prim::Constant') {
      const value = r.attributes.find((a) => a.startsWith('value='));
      return value ? value.slice('value='.length) : 'None';
    }
    if (
      (r.kind === 'prim::ListConstruct' || r.kind === 'prim::TupleConstruct') &&
      r.inputs.every((i) => this.folded.has(i))
    ) {
      const inner = r.inputs.map((i) => this.folded.get(i)).join(', ');
      return r.kind === 'prim::ListConstruct' ? `[${inner}]` : `(${inner})`;
    }
    return undefined;
  }

  private lines(r: RecordedNode): string[] {
    const lines: string[] = [];
    for (const a of r.attributes) lines.push(...wrap(a));
    const args = r.inputs.map((i) => this.folded.get(i) ?? `%${this.names.get(i) ?? i}`);
    if (args.length) lines.push(...wrap(`(${args.join(', ')})`));
    if (r.outputs.length) lines.push(...wrap(`→ ${r.outputs.map((o) => `%${o.name}`).join(', ')}`));
    return lines.length > 6 ? [...lines.slice(0, 5), '…'] : lines;
  }

  // Items of a container: consecutive nodes from one submodule (the next path segment below `base`)
  // grouped, long lists chunked. Grouping runs, not all nodes of a module, keeps the groups in dataflow
  // order: a module called twice (a shared ReLU) gives two groups, not a cycle between groups.
  private group(container: string, drawn: readonly VNode[], base: string): Item[] {
    const items: Item[] = [];
    const runs = new Map<string, number>();
    let run: { segment: string; members: VNode[] } | undefined;
    const close = (): void => {
      if (!run) return;
      const k = (runs.get(run.segment) ?? 0) + 1;
      runs.set(run.segment, k);
      const id = `m:${container}:${run.segment}${k > 1 ? `#${k}` : ''}`;
      const inner = this.group(id, run.members, run.segment);
      items.push({
        kind: 'region',
        region: this.region(id, k > 1 ? `${run.segment} (call ${k})` : run.segment, 'module', inner),
      });
      run = undefined;
    };
    for (const n of drawn) {
      const segment = this.groupByModule ? nextSegment(base, n.module) : undefined;
      if (segment !== run?.segment) close();
      if (segment === undefined) items.push({ kind: 'node', node: n });
      else (run ??= { segment, members: [] }).members.push(n);
    }
    close();
    for (const item of items) this.parent.set(itemId(item), container);
    return this.chunk(container, items);
  }

  // Splits a long item list into chunks (recursively, so each level stays short).
  private chunk(container: string, items: Item[]): Item[] {
    if (items.length <= CHUNK) return items;
    const chunks: Item[] = [];
    for (let i = 0; i < items.length; i += CHUNK) {
      const part = items.slice(i, i + CHUNK);
      const id = `c:${container}:${i / CHUNK}`;
      const size = itemsSize(part);
      const label = `items ${i + 1}–${i + part.length} of ${items.length}${size !== part.length ? ` (${size} nodes)` : ''}`;
      for (const item of part) this.parent.set(itemId(item), id);
      const region = this.region(id, label, 'chunk', part);
      this.parent.set(id, container);
      chunks.push({ kind: 'region', region });
    }
    return this.chunk(container, chunks);
  }

  private region(id: string, label: string, kind: Region['kind'], items: Item[]): Region {
    const keys = items.flatMap(itemKeys);
    const region: Region = { id, label, kind, items, size: itemsSize(items), keys };
    this.regions.set(id, region);
    return region;
  }
}

/** The id of an item (`n12`, or the region's). */
export function itemId(item: Item): string {
  return item.kind === 'node' ? item.node.id : item.region.id;
}

function itemsSize(items: readonly Item[]): number {
  return items.reduce((n, item) => n + (item.kind === 'node' ? item.node.size : item.region.size), 0);
}

function itemKeys(item: Item): number[] {
  if (item.kind === 'region') return [...item.region.keys];
  return [item.node.key, ...item.node.blocks.flatMap((b) => b.items.flatMap(itemKeys))];
}

// `layer1` for module `layer1.0.conv1` under base ''; `layer1.0` under base `layer1`.
function nextSegment(base: string, module: string | undefined): string | undefined {
  if (!module || module === base) return undefined;
  if (base && !module.startsWith(`${base}.`)) return undefined;
  const rest = base ? module.slice(base.length + 1) : module;
  const dot = rest.indexOf('.');
  return (base ? `${base}.` : '') + (dot < 0 ? rest : rest.slice(0, dot));
}

function wrap(text: string): string[] {
  if (text.length <= LINE) return [text];
  const out: string[] = [];
  for (let i = 0; i < text.length && out.length < 3; i += LINE) out.push(text.slice(i, i + LINE));
  if (text.length > LINE * 3) out[2] = `${out[2].slice(0, LINE - 1)}…`;
  return out;
}
