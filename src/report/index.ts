// The report layer: reads a run's record and writes one self-contained HTML page (or an SVG picture).
// It sits above the pipeline and the runtime; the IR knows nothing of pictures.

export { renderReportHtml } from './html/page.js';
export { renderReport, writeReport, writeReportNow, reportWithPictures } from './report.js';
export { drawInitialPictures } from './pictures.js';
export { reportDataOf, graphDataOf, EXPLANATIONS } from './report-data.js';
export { diffMethod, MAX_DIFF_LINES } from './ir-diff.js';
export { drawPicture } from './layout.js';
export { writeWhole } from './write.js';
export {
  buildView,
  CHUNK,
  type GraphView,
  type VNode,
  type VBlock,
  type Region,
  type Item,
  type ViewOptions,
} from './model/graph-view.js';
export { classifyChanges, versionsByKey, type Change } from './model/changes.js';
export {
  defaultExpansion,
  fullExpansion,
  visibleBoxes,
  DEFAULT_BUDGET,
  type Expansion,
} from './model/expansion.js';
export { layoutInput, type BoxInfo, type LayoutInput } from './model/elk-graph.js';
export { renderSvg, SVG_STYLE, type Picture } from './model/svg.js';
export { attributeReaders, usersOfValue } from './model/lookups.js';
export {
  firstPass,
  methodsOf,
  statesOf,
  changesOf,
  sideChanges,
  initialExpansion,
} from './model/selection.js';
export type {
  ReportData,
  PassData,
  StateData,
  MethodDiff,
  DiffHunk,
  ExplanationData,
  InitialPictures,
  PictureData,
} from './model/report-data.js';
export { diffLines, type DiffLine } from './line-diff.js';
