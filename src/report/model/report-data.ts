// The data a report page carries: a run record without its IR texts (diffs instead), plus what the
// caller added (freeze's explanations). Plain JSON; the page and `tsfreeze viz` both read it.

import type {
  NumericsReport,
  RecordAttachment,
  RecordedBlock,
  RecordedNode,
  RecordedPass,
  Remark,
} from '../../pipeline/index.js';

/** A hunk of a unified diff: start lines and the lines with their ' ', '-' or '+' prefix. */
export interface DiffHunk {
  readonly oldStart: number;
  readonly newStart: number;
  readonly lines: readonly string[];
}

/** The IR text diff of one method for one pass. */
export interface MethodDiff {
  readonly method: string;
  readonly hunks: readonly DiffHunk[];
  /** Why the diff is cut or missing. */
  readonly note?: string;
}

/** A graph state as the page needs it (no text). */
export interface StateData {
  readonly method: string;
  readonly graph: RecordedBlock;
  readonly nodeCount: number;
}

/** A pass invocation with its IR diff. */
export type PassData = RecordedPass & { readonly diff: readonly MethodDiff[] };

/** One attribute of a frozen module and what freezing did with it. */
export interface ExplanationData {
  readonly path: string;
  readonly fates: readonly {
    readonly kind: string;
    readonly text: string;
    /** The constant's value name, for folded attributes. */
    readonly constant?: string;
  }[];
}

/** Everything a report page shows. */
export interface ReportData {
  /** `run`: a pipeline's record; `graph`: one graph (tsfreeze viz). */
  readonly mode: 'run' | 'graph';
  readonly title: string;
  readonly pipelineText: string;
  readonly totalMs: number;
  readonly nodes: readonly RecordedNode[];
  readonly states: readonly StateData[];
  readonly initial: Readonly<Record<string, number>>;
  readonly final: Readonly<Record<string, number>>;
  readonly passes: readonly PassData[];
  readonly attachments: readonly RecordAttachment[];
  readonly explanations?: readonly ExplanationData[];
  readonly numerics?: NumericsReport;
  readonly warnings: readonly string[];
  readonly remarks: readonly Remark[];
  /** The first pictures, drawn ahead (absent: the page lays them out). */
  pictures?: InitialPictures;
}

/** A picture drawn ahead by Node. */
export interface PictureData {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  readonly drawn: number;
}

/** The first pictures the page shows, drawn ahead with the default options. */
export interface InitialPictures {
  /** The invocation (0 in a single-graph page) and method they show. */
  readonly pass: number;
  readonly method: string;
  /** The regions and nodes open in them. */
  readonly open: readonly string[];
  readonly before?: PictureData;
  readonly after?: PictureData;
}
