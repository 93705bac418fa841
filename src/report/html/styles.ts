// The page's style sheet (the SVG's own rules come from model/svg.ts).

import { SVG_STYLE } from '../model/svg.js';

export const PAGE_STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #172b4d; background: #fafbfc; }
header { padding: 8px 14px; background: #253858; color: #fff; display: flex; gap: 18px; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 15px; margin: 0; }
header .pipeline { font: 11px ui-monospace, monospace; opacity: .85; max-width: 60vw; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
header .verdict { padding: 1px 8px; border-radius: 10px; font-weight: 600; }
.verdict.ok { background: #36b37e; } .verdict.bad { background: #de350b; } .verdict.none { background: #6b778c; }
#layout { display: grid; grid-template-columns: minmax(0, 600px) minmax(0, 1fr); height: calc(100vh - 40px); }
nav#passes { overflow: auto; border-right: 1px solid #dfe1e6; background: #fff; }
nav#passes .filters { padding: 6px 8px; border-bottom: 1px solid #dfe1e6; position: sticky; top: 0; background: #fff; z-index: 1; }
table.timeline { border-collapse: collapse; width: 100%; font-size: 12px; }
table.timeline td, table.timeline th { padding: 2px 4px; border-bottom: 1px solid #f4f5f7; white-space: nowrap; text-align: left; }
table.timeline th { position: sticky; top: 33px; background: #f4f5f7; font-weight: 600; }
table.timeline tr.pass { cursor: pointer; }
table.timeline tr.unchanged { color: #a5adba; }
table.timeline tr.changed td.name { font-weight: 600; }
table.timeline tr.failed { background: #ffebe6; }
table.timeline tr.current { background: #deebff; }
table.timeline tr:hover { background: #f4f5f7; }
td.bar { width: 60px; } td.bar span { display: block; height: 8px; background: #4c9aff; border-radius: 2px; min-width: 1px; }
tr.unchanged td.bar span { background: #c1c7d0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.tag { font-size: 10px; padding: 0 4px; border-radius: 3px; background: #ebecf0; color: #505f79; margin-left: 4px; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; }
.dot.ok { background: #36b37e; } .dot.bad { background: #de350b; }
section#detail { overflow: hidden; display: flex; flex-direction: column; }
.tabs { display: flex; gap: 2px; padding: 6px 10px 0; background: #f4f5f7; border-bottom: 1px solid #dfe1e6; }
.tabs button { border: 1px solid transparent; border-bottom: none; background: none; padding: 5px 12px; cursor: pointer; font: inherit; border-radius: 4px 4px 0 0; }
.tabs button.active { background: #fff; border-color: #dfe1e6; font-weight: 600; }
.tab { display: none; flex: 1; overflow: auto; padding: 10px; }
.tab.active { display: block; }
#tab-pass.active { display: grid; grid-template-rows: auto auto 1fr; gap: 6px; overflow: hidden; }
.passhead { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.passhead h2 { margin: 0; font-size: 15px; }
.toolbar { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; font-size: 12px; }
.toolbar button { font: inherit; padding: 2px 8px; }
.legend span { padding: 0 6px; border-radius: 3px; margin-right: 4px; border: 1.5px solid; }
.legend .added { background: #e3fcef; border-color: #36b37e; } .legend .removed { background: #ffebe6; border-color: #de350b; }
.legend .rewritten { background: #fffae6; border-color: #ff8b00; } .legend .rewired { background: #fffae6; border-color: #ffc400; border-style: dashed; }
.panes { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) minmax(260px, 26%); gap: 6px; min-height: 0; }
.pane { min-width: 0; display: flex; flex-direction: column; min-height: 0; border: 1px solid #dfe1e6; background: #fff; border-radius: 4px; }
.pane > .panehead { padding: 4px 8px; border-bottom: 1px solid #dfe1e6; font-size: 12px; display: flex; gap: 8px; align-items: center; }
.pane > .panehead b { flex: 1; }
.pane > .canvas { flex: 1; overflow: auto; min-height: 0; }
.pane > .canvas svg { display: block; }
.pane .status { color: #6b778c; padding: 10px; }
.box, .region, [data-region] { cursor: pointer; }
pre.diff { margin: 0; font: 11px/1.35 ui-monospace, monospace; white-space: pre; }
pre.diff .add { background: #e3fcef; display: block; } pre.diff .del { background: #ffebe6; display: block; }
pre.diff .hunk { color: #6554c0; display: block; margin-top: 6px; } pre.diff .hit { outline: 2px solid #0052cc; }
.info { font: 11px ui-monospace, monospace; white-space: pre-wrap; background: #f4f5f7; padding: 4px 8px; border-radius: 4px; max-height: 90px; overflow: auto; }
table.grid { border-collapse: collapse; font-size: 12px; }
table.grid td, table.grid th { border: 1px solid #dfe1e6; padding: 3px 6px; text-align: left; vertical-align: top; }
table.grid th { background: #f4f5f7; }
.fate { font-size: 11px; padding: 0 5px; border-radius: 3px; font-weight: 600; }
.fate.folded { background: #e3fcef; } .fate.preserved { background: #deebff; } .fate.mutated { background: #ffebe6; }
.fate.aliased { background: #fffae6; } .fate.kept, .fate.submodule-kept, .fate.not-materializable { background: #ebecf0; } .fate.removed { background: #f4f5f7; }
a.link { color: #0052cc; cursor: pointer; text-decoration: underline; }
pre.text { font: 11px/1.35 ui-monospace, monospace; white-space: pre; }
.chart text { font-size: 10px; fill: #505f79; } .chart .axis { stroke: #97a0af; }
.chart .err { stroke: #0052cc; fill: none; stroke-width: 1.5; } .chart .drift { stroke: #6554c0; fill: none; stroke-dasharray: 4 3; }
.chart .tol { stroke: #de350b; fill: none; stroke-dasharray: 2 2; } .chart .pt { fill: #0052cc; } .chart .pt.bad { fill: #de350b; }
${SVG_STYLE}
`;
