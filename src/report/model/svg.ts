// Draws a laid-out ELK graph as SVG: boxes with the kind on top and its lines below, clusters for open
// regions and If/Loop blocks, edges with arrows. Changes are classes (`added`, `removed`, ...); IR nodes
// carry `data-node` (their key), collapsed regions `data-region`, so the page can link and count them.

import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { BoxInfo } from './elk-graph.js';

/** The CSS that gives the SVG its look (inlined in standalone SVG files; the page has its own copy). */
export const SVG_STYLE = `
.tsf-graph { font: 11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.tsf-graph .box rect { fill: #fff; stroke: #7a869a; stroke-width: 1; rx: 4; }
.tsf-graph .box .title { font-weight: 600; fill: #172b4d; }
.tsf-graph .box .line { fill: #42526e; }
.tsf-graph .io rect { fill: #f4f5f7; stroke-dasharray: 3 2; }
.tsf-graph .region rect { fill: #eef2ff; stroke: #6b7bd6; stroke-width: 1.5; }
.tsf-graph .cluster > rect.frame { fill: rgba(120,130,160,0.06); stroke: #97a0af; stroke-dasharray: 4 3; rx: 6; }
.tsf-graph .block > rect.frame { fill: rgba(255,255,255,0.55); stroke: #c1c7d0; rx: 6; }
.tsf-graph .cluster > .title, .tsf-graph .block > .title { font-weight: 600; fill: #505f79; }
.tsf-graph .added rect { fill: #e3fcef; stroke: #36b37e; stroke-width: 2.5; }
.tsf-graph .removed rect { fill: #ffebe6; stroke: #de350b; stroke-width: 2.5; }
.tsf-graph .rewritten rect { fill: #fffae6; stroke: #ff8b00; stroke-width: 2.5; }
.tsf-graph .rewired rect { fill: #fffae6; stroke: #ffc400; stroke-width: 2; stroke-dasharray: 5 2; }
.tsf-graph .has-changes rect { stroke: #ff8b00; stroke-width: 2.5; }
.tsf-graph .selected rect { stroke: #0052cc !important; stroke-width: 3 !important; }
.tsf-graph .edge { fill: none; stroke: #8993a4; stroke-width: 1; }
.tsf-graph .arrow { fill: #8993a4; }
`;

/** A rendered picture. */
export interface Picture {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

const HEAD = 20;
const LINE_H = 13;

/** The SVG of a laid-out graph. `standalone` adds the XML namespace and the style sheet. */
export function renderSvg(graph: ElkNode, boxes: ReadonlyMap<string, BoxInfo>, standalone = false): Picture {
  const width = Math.ceil(graph.width ?? 0) + 2;
  const height = Math.ceil(graph.height ?? 0) + 2;
  const out: string[] = [];
  out.push(
    `<svg class="tsf-graph"${standalone ? ' xmlns="http://www.w3.org/2000/svg"' : ''} width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    '<defs><marker id="tsf-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0,0 L8,4 L0,8 z"/></marker></defs>',
  );
  if (standalone) out.push(`<style>${SVG_STYLE}</style>`);
  const edges: string[] = [];
  drawChildren(graph, 0, 0, boxes, out, edges);
  out.push(...edges, '</svg>');
  return { svg: out.join(''), width, height };
}

function drawChildren(
  parent: ElkNode,
  ox: number,
  oy: number,
  boxes: ReadonlyMap<string, BoxInfo>,
  out: string[],
  edges: string[],
): void {
  for (const edge of parent.edges ?? []) edges.push(edgePath(edge as ElkExtendedEdge, ox, oy));
  for (const child of parent.children ?? []) {
    const x = ox + (child.x ?? 0);
    const y = oy + (child.y ?? 0);
    const info = boxes.get(child.id);
    if (!info) continue;
    if (child.children?.length) {
      out.push(`<g${groupAttributes(info)}>`);
      out.push(
        `<rect class="frame" x="${r(x)}" y="${r(y)}" width="${r(child.width ?? 0)}" height="${r(child.height ?? 0)}"/>`,
        `<text class="title" x="${r(x + 8)}" y="${r(y + 15)}">${esc(clusterTitle(info))}</text>`,
        `<title>${esc(info.tooltip)}</title>`,
      );
      drawChildren(child, x, y, boxes, out, edges);
      out.push('</g>');
      continue;
    }
    out.push(
      `<g${groupAttributes(info)} transform="translate(${r(x)},${r(y)})">`,
      `<rect width="${r(child.width ?? 0)}" height="${r(child.height ?? 0)}"/>`,
      `<text class="title" x="8" y="14">${esc(info.title)}</text>`,
    );
    info.lines.forEach((line, i) =>
      out.push(`<text class="line" x="8" y="${HEAD + 9 + i * LINE_H}">${esc(line)}</text>`),
    );
    out.push(`<title>${esc(info.tooltip)}</title></g>`);
  }
}

function groupAttributes(info: BoxInfo): string {
  const classes = [info.kind === 'cluster' ? 'cluster' : info.kind === 'block' ? 'block' : 'box', info.kind];
  if (info.change) classes.push(info.change);
  if (info.changesInside) classes.push('has-changes');
  let attrs = ` class="${classes.join(' ')}" data-id="${esc(info.id)}"`;
  if (info.key !== undefined) attrs += ` data-node="${info.key}"`;
  if (info.regionId !== undefined) attrs += ` data-region="${esc(info.regionId)}"`;
  if (info.size !== undefined) attrs += ` data-size="${info.size}"`;
  if (info.change) attrs += ` data-change="${info.change}"`;
  return attrs;
}

function clusterTitle(info: BoxInfo): string {
  return info.lines.length ? `${info.title}  ${info.lines[0]}` : info.title;
}

function edgePath(edge: ElkExtendedEdge, ox: number, oy: number): string {
  const parts: string[] = [];
  for (const s of edge.sections ?? []) {
    const points = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
    parts.push(points.map((p, i) => `${i ? 'L' : 'M'}${r(ox + p.x)},${r(oy + p.y)}`).join(''));
  }
  return `<path class="edge" marker-end="url(#tsf-arrow)" d="${parts.join('')}"/>`;
}

function r(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
