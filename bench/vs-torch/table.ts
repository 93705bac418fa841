// Formats the vs-torch runs: medians per side, ratios tsfreeze / PyTorch, as markdown tables.

import type { ChildResult } from './protocol.js';

type Run = ChildResult | { error: string };

/** Every run of both sides on one model. */
export interface ModelRuns {
  readonly name: string;
  readonly torch: Run[];
  readonly tsfreeze: Run[];
}

const ok = (runs: Run[]): ChildResult[] => runs.filter((r): r is ChildResult => !('error' in r));

function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const ms = (x: number): string => (Number.isNaN(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const ratio = (a: number, b: number): string => (Number.isNaN(a / b) ? '—' : `${(a / b).toFixed(2)}×`);

type Pick = (r: ChildResult) => number | null;

function triple(m: ModelRuns, pick: Pick): [string, string, string] {
  const t = median(ok(m.torch).flatMap((r) => pick(r) ?? []));
  const s = median(ok(m.tsfreeze).flatMap((r) => pick(r) ?? []));
  return [ms(t), ms(s), ratio(s, t)];
}

function medianOf(m: ModelRuns, side: 'torch' | 'tsfreeze', pick: Pick): number {
  return median(ok(m[side]).flatMap((r) => pick(r) ?? []));
}

const LAYERS: Record<string, number> = { synthetic_10k: 2_500, synthetic_100k: 25_000 };

/** The markdown tables and notes of one vs-torch run. */
export function formatVsTorch(models: readonly ModelRuns[], reps: number): string {
  const lines: string[] = [];
  lines.push(
    `Run of ${new Date().toISOString().slice(0, 10)}: ${reps} fresh processes per side and model, the sides ` +
      'alternating; medians. Load and freeze are CPU time of the process during that phase (all threads; ' +
      'the machine is shared, so wall time measures the neighbours too — wall medians are in the second ' +
      'table). Process CPU and peak RSS cover exec until the frozen module exists (Python start-up and ' +
      '`import torch` count on PyTorch’s side, Node start-up and module loading on ours). Inference: ' +
      'median latency of the frozen forward at one thread (PyTorch under `torch.no_grad()`). Each side starts ' +
      'as its users run it: tsfreeze as the CLI does (its node flags and glibc huge-page tunable, ' +
      'src/runtime/malloc-tuning.ts), PyTorch with its defaults.',
  );
  lines.push('');
  lines.push(
    '| model | torch load ms | tsfreeze load ms | load ratio | torch freeze ms | tsfreeze freeze ms | freeze ratio | torch process CPU ms | tsfreeze process CPU ms | CPU ratio | torch peak RSS MiB | tsfreeze peak RSS MiB | RSS ratio | torch infer ms | tsfreeze infer ms | infer ratio |',
  );
  lines.push(`|---|${'---:|'.repeat(15)}`);
  const notes: string[] = [];
  for (const m of models) {
    const cells = [
      ...triple(m, (r) => r.load.cpuMs),
      ...triple(m, (r) => r.freeze.cpuMs),
      ...triple(m, (r) => r.processCpuMs),
      ...triple(m, (r) => r.peakRssMb),
      ...triple(m, (r) => r.inferMs),
    ];
    lines.push(`| ${m.name} | ${cells.join(' | ')} |`);
    for (const side of ['torch', 'tsfreeze'] as const) {
      const failed = m[side].filter((r): r is { error: string } => 'error' in r);
      if (failed.length) notes.push(`${m.name}, ${side}: ${failed.length} run(s) failed: ${failed[0].error}`);
      const inferError = ok(m[side]).find((r) => r.inferError)?.inferError;
      if (inferError) notes.push(`${m.name}, ${side}: inference did not run: ${inferError}`);
    }
  }
  lines.push('');
  lines.push('Wall-time medians of the same runs:');
  lines.push('');
  lines.push(
    '| model | torch load ms | tsfreeze load ms | load ratio | torch freeze ms | tsfreeze freeze ms | freeze ratio |',
  );
  lines.push(`|---|${'---:|'.repeat(6)}`);
  for (const m of models) {
    const cells = [...triple(m, (r) => r.load.wallMs), ...triple(m, (r) => r.freeze.wallMs)];
    lines.push(`| ${m.name} | ${cells.join(' | ')} |`);
  }
  const small = models.find((m) => m.name === 'synthetic_10k');
  const large = models.find((m) => m.name === 'synthetic_100k');
  if (small && large) {
    const nodes = (name: string): number => 4 * LAYERS[name] + 1;
    const perNode = (m: ModelRuns, side: 'torch' | 'tsfreeze'): number =>
      medianOf(m, side, (r) => r.freeze.cpuMs) / nodes(m.name);
    const scale = (side: 'torch' | 'tsfreeze'): string =>
      (perNode(large, side) / perNode(small, side)).toFixed(2);
    lines.push('');
    lines.push(
      `Per-node freeze time (CPU) at ${nodes(large.name)} nodes / at ${nodes(small.name)} nodes: ` +
        `tsfreeze ${scale('tsfreeze')}× (target ≤ 1.5×), torch.jit.freeze ${scale('torch')}×.`,
    );
  }
  if (notes.length) {
    lines.push('');
    for (const n of notes) lines.push(`- ${n}`);
  }
  return lines.join('\n');
}
