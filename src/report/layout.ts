// Laying out and drawing a picture in Node (tsfreeze viz -o out.svg), with the same model as the page.

import ElkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK, ELKConstructorArguments } from 'elkjs/lib/elk-api.js';
import type { Change } from './model/changes.js';
import { layoutInput } from './model/elk-graph.js';
import type { Expansion } from './model/expansion.js';
import type { GraphView } from './model/graph-view.js';
import { renderSvg, type Picture } from './model/svg.js';

// elkjs is CommonJS: the class is the module itself or its `default`, depending on the loader.
const ElkConstructor = ((ElkModule as unknown as { default?: unknown }).default ?? ElkModule) as new (
  args?: ELKConstructorArguments,
) => ELK;

let elk: ELK | undefined;

/** Lays out `view` with `open` regions shown and returns the SVG (standalone: with its style sheet). */
export async function drawPicture(
  view: GraphView,
  open: Expansion,
  changes: ReadonlyMap<number, Change> = new Map(),
  standalone = true,
): Promise<Picture & { readonly drawnKeys: readonly number[] }> {
  elk ??= new ElkConstructor();
  const input = layoutInput(view, open, changes);
  const laid = await elk.layout(input.graph);
  return { ...renderSvg(laid, input.boxes, standalone), drawnKeys: input.drawnKeys };
}
