// The first pictures of a report, drawn in Node when the report is written: the page then opens with
// them in place instead of waiting for the layout engine to load (seconds on a big graph).

import { drawPicture } from './layout.js';
import { buildView, type GraphView } from './model/graph-view.js';
import type { InitialPictures, PictureData, ReportData } from './model/report-data.js';
import {
  changesOf,
  firstPass,
  initialExpansion,
  methodsOf,
  sideChanges,
  statesOf,
} from './model/selection.js';

/** Draws the pictures the page opens with (the same choice of pass, method and open regions the page makes). */
export async function drawInitialPictures(data: ReportData): Promise<InitialPictures> {
  const pass = firstPass(data);
  const method = methodsOf(data, pass)[0] ?? '';
  const states = statesOf(data, pass, method);
  const view = (i: number | undefined): GraphView | undefined =>
    i === undefined ? undefined : buildView(data.nodes, data.states[i].graph);
  const before = view(states.before);
  const after = view(states.after);
  const changes = changesOf(data, states);
  const open = initialExpansion(before, after, changes);
  const draw = async (
    v: GraphView | undefined,
    side: 'before' | 'after',
  ): Promise<PictureData | undefined> => {
    if (!v) return undefined;
    const p = await drawPicture(v, open, sideChanges(changes, side), false);
    return { svg: p.svg, width: p.width, height: p.height, drawn: p.drawnKeys.length };
  };
  const b = await draw(before, 'before');
  const a = await draw(after, 'after');
  return {
    pass: pass?.number ?? 0,
    method,
    open: [...open],
    ...(b ? { before: b } : {}),
    ...(a ? { after: a } : {}),
  };
}
