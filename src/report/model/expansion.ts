// Which regions and control-flow nodes a picture opens: as many as fit a box budget, those holding the
// pass's changes first, so a 10k-node graph opens as a few dozen boxes with the changes in view.

import type { GraphView, Item, VBlock } from './graph-view.js';

/** Boxes a picture draws by default (ELK lays out a few hundred boxes in about a second). */
export const DEFAULT_BUDGET = 160;

/** The set of open ids (regions, and nodes whose blocks are shown). The top block is always open. */
export type Expansion = Set<string>;

/** Boxes drawn for the top block under `open`. */
export function visibleBoxes(view: GraphView, open: ReadonlySet<string>): number {
  return blockBoxes(view.top, open);
}

function blockBoxes(block: VBlock, open: ReadonlySet<string>): number {
  // Parameters and returns are drawn as one box each.
  return 2 + itemsBoxes(block.items, open);
}

function itemsBoxes(items: readonly Item[], open: ReadonlySet<string>): number {
  let n = 0;
  for (const item of items) {
    if (item.kind === 'region') n += open.has(item.region.id) ? itemsBoxes(item.region.items, open) : 1;
    else {
      n += 1;
      if (item.node.blocks.length && open.has(item.node.id))
        for (const b of item.node.blocks) n += blockBoxes(b, open);
    }
  }
  return n;
}

/**
 * Opens regions and control-flow nodes breadth first while the picture stays within `budget` boxes;
 * those holding a key in `focus` (the pass's changes) go first. Everything opens when it all fits.
 */
export function defaultExpansion(
  view: GraphView,
  focus: ReadonlySet<number> = new Set(),
  budget = DEFAULT_BUDGET,
): Expansion {
  const open: Expansion = new Set();
  let boxes = visibleBoxes(view, open);
  for (;;) {
    const candidates = closedCandidates(view.top.items, open);
    candidates.sort((a, b) => Number(b.focus(focus)) - Number(a.focus(focus)));
    let opened = false;
    for (const c of candidates) {
      const grown = boxes - 1 + c.boxesWhenOpen(open);
      if (grown > budget) continue;
      open.add(c.id);
      boxes = grown;
      opened = true;
      break;
    }
    if (!opened) return open;
  }
}

/** Every region and control-flow node opened. */
export function fullExpansion(view: GraphView): Expansion {
  const open: Expansion = new Set(view.regions.keys());
  for (const n of view.nodes.values()) if (n.blocks.length) open.add(n.id);
  return open;
}

interface Candidate {
  readonly id: string;
  focus(keys: ReadonlySet<number>): boolean;
  boxesWhenOpen(open: ReadonlySet<string>): number;
}

// Closed items visible under `open`, breadth first (document order within a level).
function closedCandidates(items: readonly Item[], open: ReadonlySet<string>): Candidate[] {
  const out: Candidate[] = [];
  const queue: Item[] = [...items];
  for (let i = 0; i < queue.length; i++) {
    const item = queue[i];
    if (item.kind === 'region') {
      const r = item.region;
      if (open.has(r.id)) queue.push(...r.items);
      else
        out.push({
          id: r.id,
          focus: (keys) => r.keys.some((k) => keys.has(k)),
          boxesWhenOpen: (o) => itemsBoxes(r.items, o),
        });
    } else if (item.node.blocks.length) {
      const n = item.node;
      if (open.has(n.id)) for (const b of n.blocks) queue.push(...b.items);
      else
        out.push({
          id: n.id,
          focus: (keys) =>
            keys.has(n.key) || n.blocks.some((b) => b.items.some((it) => containsKey(it, keys))),
          boxesWhenOpen: (o) => 1 + n.blocks.reduce((s, b) => s + blockBoxes(b, o), 0),
        });
    }
  }
  return out;
}

function containsKey(item: Item, keys: ReadonlySet<number>): boolean {
  if (item.kind === 'region') return item.region.keys.some((k) => keys.has(k));
  return keys.has(item.node.key) || item.node.blocks.some((b) => b.items.some((it) => containsKey(it, keys)));
}
