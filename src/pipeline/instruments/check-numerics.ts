// The numerics check (`--check-numerics`): runs the module (or graph) before the pipeline and after every
// pass that changed it, on the user's inputs or synthesized ones, and compares each result with a
// float64 run of the original. Names the first pass whose outputs leave the tolerance. Works for any
// pass, built-in or plugin: it only runs the target through the interpreter hook the module model uses.

import { injectable } from 'inversify';
import { PipelineError } from '../../errors.js';
import { cloneGraph, type Graph, type IValue } from '../../ir/index.js';
import {
  copyModuleObjects,
  Function,
  getInterpreter,
  isScriptModule,
  type ScriptModule,
} from '../../module/index.js';
import { loadNpy, toDType, Tensor, DTYPES } from '../../tensor/index.js';
import type { PassResult } from '../contracts.js';
import { isGraphTarget } from '../targets.js';
import {
  copyValue,
  flattenOutputs,
  leafError,
  toFloat64,
  type OutputLeaf,
} from './check-numerics-compare.js';
import { synthesizeInputs } from './check-numerics-inputs.js';
import type { InstrumentationOptions, PassInstrument, PassInvocation, RunInfo } from './instrument.js';

/** What the check runs and how strictly it judges. */
export interface CheckNumericsOptions {
  /** Input values (after `self`); synthesized from the input types when neither these nor files are given. */
  readonly inputs?: readonly IValue[];
  /** `.npy` files, one per tensor input. */
  readonly inputFiles?: readonly string[];
  /** The method to run (default `forward`). */
  readonly method?: string;
  /** Relative tolerance, times the reference output's largest magnitude (default 1e-4). */
  readonly rtol?: number;
  /** Absolute tolerance floor (default 1e-6). */
  readonly atol?: number;
  /** Float32 error allowance: a pass may be this many times the original's own float32 error (default 16). */
  readonly float32Factor?: number;
  /** Seed of synthesized inputs (default 0). */
  readonly seed?: number;
}

/** One output leaf as the check judges it. */
export interface NumericsOutput {
  readonly path: string;
  /** `float32[1, 10]`, `int`, ... */
  readonly kind: string;
  /** Largest magnitude of the reference value. */
  readonly scale: number;
  /** The original module's float32 error against the float64 reference. */
  readonly float32Error: number;
  /** The largest allowed error against the reference (0: exact). */
  readonly tolerance: number;
}

/** The outputs after one changing pass. */
export interface NumericsPassEntry {
  readonly number: number;
  readonly pass: string;
  readonly label: string;
  /** Per output (same order as NumericsReport.outputs): error against the reference, and drift from the outputs before the pipeline. */
  readonly outputs: readonly {
    readonly maxAbs: number;
    readonly maxRel: number;
    readonly drift: number;
    readonly mismatch?: string;
  }[];
  /** Index of the output with the largest error relative to its tolerance. */
  readonly worst: number;
  readonly exceeded: boolean;
  /** The run failed after this pass. */
  readonly error?: string;
}

/** The whole check. */
export interface NumericsReport {
  readonly method: string;
  readonly inputs: { readonly synthesized: boolean; readonly descriptions: readonly string[] };
  /** What the outputs are judged against. */
  readonly reference: 'float64' | 'float32';
  readonly referenceNote?: string;
  readonly tolerance: { readonly rtol: number; readonly atol: number; readonly float32Factor: number };
  readonly outputs: NumericsOutput[];
  readonly passes: NumericsPassEntry[];
  /** The first pass whose outputs left the tolerance (or broke the run). */
  firstFailure?: {
    readonly number: number;
    readonly pass: string;
    readonly label: string;
    readonly output: string;
    readonly maxAbs: number;
    readonly tolerance: number;
    readonly message: string;
  };
}

type Runner = (float64: boolean) => IValue;

/** The instrument; enabled by `instrumentation.checkNumerics`. Its result is `report.numerics`. */
@injectable()
export class CheckNumericsInstrument implements PassInstrument {
  readonly name = 'check-numerics';
  private state:
    | { report: NumericsReport; run: Runner; reference: OutputLeaf[]; baseline: OutputLeaf[]; method: string }
    | undefined;

  isEnabled(options: InstrumentationOptions): boolean {
    return !!options.checkNumerics;
  }

  beforePipeline(run: RunInfo): void {
    const options = typeof run.options.checkNumerics === 'object' ? run.options.checkNumerics : {};
    const method = options.method ?? 'forward';
    const { runner, inputs } = prepare(run.target, method, options);
    const baseline = flattenOutputs(runOrThrow(() => runner(false), 'before any pass'));
    let reference = baseline;
    let referenceNote: string | undefined;
    try {
      reference = flattenOutputs(runner(true));
      if (reference.length !== baseline.length) throw new Error('the float64 run returns another structure');
    } catch (error) {
      reference = baseline;
      referenceNote = `the float64 run failed (${message(error)}); judged against the float32 run before the pipeline`;
    }
    const tolerance = {
      rtol: options.rtol ?? 1e-4,
      atol: options.atol ?? 1e-6,
      float32Factor: options.float32Factor ?? 16,
    };
    const outputs = baseline.map((leaf, i): NumericsOutput => {
      const err = leafError(leaf.value, reference[i].value);
      const exact = err.exact;
      return {
        path: leaf.path,
        kind: kindOf(leaf.value),
        scale: err.scale,
        float32Error: err.maxAbs,
        tolerance: exact
          ? 0
          : Math.max(tolerance.atol, tolerance.rtol * err.scale, tolerance.float32Factor * err.maxAbs),
      };
    });
    const report: NumericsReport = {
      method,
      inputs,
      reference: referenceNote ? 'float32' : 'float64',
      ...(referenceNote ? { referenceNote } : {}),
      tolerance,
      outputs,
      passes: [],
    };
    run.report.numerics = report;
    this.state = { report, run: runner, reference, baseline, method };
  }

  afterPass(invocation: PassInvocation, result: PassResult): void {
    const state = this.state;
    if (!state || !result.changed) return;
    if (!isGraphTarget(invocation.target) && invocation.label !== 'module') return;
    if (invocation.module && invocation.label !== 'module' && invocation.label !== state.method) return;
    const entry = judge(state, invocation);
    state.report.passes.push(entry);
    if (entry.exceeded && !state.report.firstFailure) {
      const out = state.report.outputs[entry.worst];
      const err = entry.outputs[entry.worst];
      state.report.firstFailure = {
        number: entry.number,
        pass: entry.pass,
        label: entry.label,
        output: out?.path ?? 'output',
        maxAbs: err?.maxAbs ?? Infinity,
        tolerance: out?.tolerance ?? 0,
        message:
          entry.error ??
          err?.mismatch ??
          `${out.path} is off by ${formatNumber(err.maxAbs)} (tolerance ${formatNumber(out.tolerance)})`,
      };
    }
  }

  afterPipeline(run: RunInfo): void {
    if (this.state) run.output.write(formatNumericsReport(this.state.report));
    this.state = undefined;
  }
}

function judge(
  state: { report: NumericsReport; run: Runner; reference: OutputLeaf[]; baseline: OutputLeaf[] },
  invocation: PassInvocation,
): NumericsPassEntry {
  const head = { number: invocation.number, pass: invocation.pass.name, label: invocation.label };
  let leaves: OutputLeaf[];
  try {
    leaves = flattenOutputs(state.run(false));
  } catch (error) {
    return { ...head, outputs: [], worst: 0, exceeded: true, error: `the run fails: ${message(error)}` };
  }
  if (leaves.length !== state.baseline.length || leaves.some((l, i) => l.path !== state.baseline[i].path)) {
    const error = `the outputs changed structure: ${leaves.map((l) => l.path).join(', ')} instead of ${state.baseline.map((l) => l.path).join(', ')}`;
    return { ...head, outputs: [], worst: 0, exceeded: true, error };
  }
  let worst = 0;
  let worstRatio = -1;
  let exceeded = false;
  const outputs = leaves.map((leaf, i) => {
    const tolerance = state.report.outputs[i].tolerance;
    const err = leafError(leaf.value, tolerance === 0 ? state.baseline[i].value : state.reference[i].value);
    const drift = leafError(leaf.value, state.baseline[i].value).maxAbs;
    const ratio = tolerance === 0 ? (err.maxAbs > 0 ? Infinity : 0) : err.maxAbs / tolerance;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = i;
    }
    if (err.maxAbs > tolerance || err.mismatch) exceeded = true;
    return {
      maxAbs: err.maxAbs,
      maxRel: err.maxRel,
      drift,
      ...(err.mismatch ? { mismatch: err.mismatch } : {}),
    };
  });
  return { ...head, outputs, worst, exceeded };
}

// How to run the target on copies of its state and inputs, and a description of the inputs.
function prepare(
  target: RunInfo['target'],
  method: string,
  options: CheckNumericsOptions,
): { runner: Runner; inputs: NumericsReport['inputs'] } {
  let graph: Graph;
  let module: ScriptModule | undefined;
  if (isGraphTarget(target)) graph = target;
  else if (isScriptModule(target)) {
    module = target;
    const fn = target.findMethod(method);
    if (!fn)
      throw new PipelineError('NUMERICS_METHOD', `check-numerics: the module has no method '${method}'`);
    graph = fn.graph;
  } else {
    throw new PipelineError('NUMERICS_TARGET', 'check-numerics runs graphs and script modules only');
  }
  if (!module && graph.inputs[0]?.type.kind === 'Class') {
    throw new PipelineError(
      'NUMERICS_TARGET',
      `check-numerics: the graph takes a module (%${graph.inputs[0].debugName}); check a .pt file (freeze) instead`,
    );
  }
  let values: readonly IValue[];
  let inputs: NumericsReport['inputs'];
  if (options.inputs || options.inputFiles?.length) {
    values = options.inputs ?? options.inputFiles!.map((f) => loadNpy(f));
    const named = options.inputFiles ?? values.map((v) => kindOf(v));
    inputs = { synthesized: false, descriptions: named.map((d, i) => `input ${i}: ${d}`) };
  } else {
    const made = synthesizeInputs(graph, module, options.seed ?? 0);
    values = made.values;
    inputs = { synthesized: true, descriptions: made.descriptions };
  }
  const runner: Runner = (float64) => {
    const args = values.map((v) => (float64 ? toFloat64(v) : copyValue(v)));
    if (module) {
      const copy = copyModuleObjects(module, float64 ? { floatingAs: 'float64' } : {});
      return copy.call(method, ...args);
    }
    const g = float64 ? float64Graph(target as Graph) : (target as Graph);
    return getInterpreter()(new Function({ name: 'graph', graph: g }), args);
  };
  return { runner, inputs };
}

// A copy of a bare graph whose floating tensor constants are float64.
function float64Graph(graph: Graph): Graph {
  const copy = cloneGraph(graph);
  for (const node of copy.allNodes()) {
    if (node.kind !== 'prim::Constant' || !node.hasAttribute('value')) continue;
    const attr = node.attribute('value')!;
    if (attr.kind === 't' && DTYPES[attr.value.dtype].isFloatingPoint)
      node.setT('value', toDType(attr.value, 'float64', true));
  }
  return copy;
}

function runOrThrow(run: () => IValue, when: string): IValue {
  try {
    return run();
  } catch (error) {
    throw new PipelineError('NUMERICS_RUN', `check-numerics: the run fails ${when}: ${message(error)}`, {
      cause: error,
    });
  }
}

function kindOf(v: IValue): string {
  if (v instanceof Tensor) return `${v.dtype}[${v.shape.join(', ')}]`;
  if (v === null) return 'None';
  return typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Short scientific notation for errors. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return x.toExponential(2);
}

/** The check as text: inputs, then one line per changing pass, then the verdict. */
export function formatNumericsReport(r: NumericsReport): string {
  const lines = [
    `numerics of ${r.method} (${r.inputs.synthesized ? 'synthesized inputs' : 'given inputs'}; judged against a ${r.reference} run of the original${r.referenceNote ? `: ${r.referenceNote}` : ''}):`,
    ...r.inputs.descriptions.map((d) => `  ${d}`),
    ...r.outputs.map(
      (o) =>
        `  ${o.path} ${o.kind}: float32 error of the original ${formatNumber(o.float32Error)}, tolerance ${formatNumber(o.tolerance)}`,
    ),
  ];
  for (const p of r.passes) {
    const w = p.outputs[p.worst];
    const detail = p.error
      ? p.error
      : `max abs ${formatNumber(w.maxAbs)}, rel ${formatNumber(w.maxRel)} in ${r.outputs[p.worst].path}`;
    lines.push(`  ${p.exceeded ? 'EXCEEDS' : 'ok     '} #${p.number} ${p.pass} (${p.label}): ${detail}`);
  }
  const f = r.firstFailure;
  lines.push(
    f
      ? `  first pass breaking the outputs: ${f.pass} (#${f.number} on ${f.label}): ${f.message}`
      : `  all ${r.passes.length} changing passes within tolerance`,
  );
  return `${lines.join('\n')}\n`;
}
