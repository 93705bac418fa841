// IR scaling benchmark: builds graphs of N nodes (constants, aten ops, nested prim::If, lists, attribute
// reads), then times print, parse and verify. Per-node time must stay flat from 10k to 1M nodes.

import {
  Graph,
  insertConstant,
  NamedClassType,
  TensorTensor,
  IntType,
  BoolType,
  FloatType,
  ListType,
  TensorType,
  type Value,
} from '../src/ir/index.js';
import { parseIR, printGraph } from '../src/ir/text/index.js';
import { Tensor } from '../src/tensor/tensor.js';

/** One measured phase at one size. Wall time, and this process's CPU time (robust when the machine is busy). */
export interface IRBenchRow {
  readonly size: number;
  readonly phase: 'build' | 'print' | 'parse' | 'verify';
  readonly msTotal: number;
  readonly usPerNode: number;
  readonly cpuMsTotal: number;
  readonly cpuUsPerNode: number;
}

type VerifyFn = (g: Graph) => void;

// verify.ts is the lead's; the bench still runs (without that phase) where it is absent.
async function loadVerify(): Promise<VerifyFn | undefined> {
  try {
    const mod = (await import('../src/ir/verify.js')) as { verify?: VerifyFn };
    return mod.verify;
  } catch {
    return undefined;
  }
}

/**
 * Builds a graph of about `n` nodes in repeating units of 16: int/float/tensor constants, aten::add and
 * relu chains, a prim::ListConstruct, a prim::GetAttr, and a prim::If whose two blocks hold a few nodes.
 */
export function buildBenchGraph(n: number): Graph {
  const g = new Graph();
  const self = g.addInput(new NamedClassType('__torch__.Bench'), 'self');
  let x: Value = g.addInput(TensorTensor, 'x.1');
  const bias = Tensor.fromArray('float32', [0.5, -0.25, 0.125, 1]);
  const floatTensor = new TensorType({
    dtype: 'float32',
    sizes: [4],
    strides: [1],
    requiresGrad: false,
    device: 'cpu',
  });
  let count = 0;
  let unit = 0;
  while (count < n) {
    const one = insertConstant(g, 1);
    const half = insertConstant(g, 0.5, FloatType);
    const flag = insertConstant(g, unit % 2 === 0);
    const b = insertConstant(g, bias, floatTensor);
    const add = g.insert('aten::add', [x, b, one], [TensorTensor]);
    add.sourceRange = `bench.py:${unit + 1}:8`;
    const relu = g.insert('aten::relu', [add.output()], [TensorTensor]);
    const mul = g.insert('aten::mul', [relu.output(), half], [TensorTensor]);
    const list = g.insert('prim::ListConstruct', [one, one], [new ListType(IntType)]);
    const view = g.insert('aten::view', [mul.output(), list.output()], [TensorTensor]);
    const attr = g.insert('prim::GetAttr', [self], [BoolType]);
    attr.setS('name', 'training');
    const cond = g.insert('aten::__and__', [attr.output(), flag], [BoolType]);
    const ifNode = g.insert('prim::If', [cond.output()], [TensorTensor]);
    ifNode.sourceRange = `bench.py:${unit + 2}:4`;
    const thenBlock = ifNode.addBlock();
    const elseBlock = ifNode.addBlock();
    g.withInsertPoint(thenBlock, () => {
      const t = g.insert('aten::neg', [view.output()], [TensorTensor]);
      thenBlock.registerOutput(t.output());
    });
    g.withInsertPoint(elseBlock, () => {
      const t = g.insert('aten::sigmoid', [view.output()], [TensorTensor]);
      const u = g.insert('aten::add', [t.output(), x, one], [TensorTensor]);
      elseBlock.registerOutput(u.output());
    });
    x = ifNode.output();
    count += 16;
    unit++;
  }
  g.registerOutput(x);
  return g;
}

function countNodes(g: Graph): number {
  let n = 0;
  for (const _ of g.allNodes()) n++;
  return n;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Times build, print, parse and verify at each size; returns one row per phase and size. */
export async function benchIR(
  sizes: readonly number[] = [10_000, 100_000, 1_000_000],
): Promise<IRBenchRow[]> {
  const verify = await loadVerify();
  const gc = (globalThis as { gc?: () => void }).gc;
  const rows: IRBenchRow[] = [];
  // Warm every phase up on a small graph so the first size is not charged for JIT compilation.
  for (let i = 0; i < 3; i++) {
    const warm = parseIR(printGraph(buildBenchGraph(5_000)));
    verify?.(warm);
  }
  for (const size of sizes) {
    let nodes = size;
    const time = <T>(phase: IRBenchRow['phase'], fn: () => T): T => {
      gc?.();
      const cpu0 = cpuMs();
      const start = performance.now();
      const result = fn();
      const ms = performance.now() - start;
      const cpu = cpuMs() - cpu0;
      if (phase === 'build') nodes = countNodes(result as Graph);
      rows.push({
        size,
        phase,
        msTotal: ms,
        usPerNode: (ms * 1000) / nodes,
        cpuMsTotal: cpu,
        cpuUsPerNode: (cpu * 1000) / nodes,
      });
      return result;
    };
    const g = time('build', () => buildBenchGraph(size));
    const text = time('print', () => printGraph(g));
    const parsed = time('parse', () => parseIR(text, { file: 'bench.ir' }));
    if (verify) time('verify', () => verify(parsed));
  }
  return rows;
}

/** Formats rows as an aligned table, with each phase's per-node time relative to the smallest size. */
export function formatIRBench(rows: readonly IRBenchRow[]): string {
  const lines = ['size       phase   ms total   us/node  cpu us/node  vs smallest (cpu)'];
  const first = new Map<string, number>();
  for (const r of rows) if (!first.has(r.phase)) first.set(r.phase, r.cpuUsPerNode);
  for (const r of rows) {
    const ratio = r.cpuUsPerNode / first.get(r.phase)!;
    lines.push(
      `${String(r.size).padEnd(10)} ${r.phase.padEnd(7)} ${r.msTotal.toFixed(1).padStart(9)} ${r.usPerNode.toFixed(2).padStart(9)} ` +
        `${r.cpuUsPerNode.toFixed(2).padStart(12)} ${ratio.toFixed(2).padStart(18)}x`,
    );
  }
  return lines.join('\n');
}

// `node --expose-gc dist/bench/ir.js [sizes...]` runs it alone (with --expose-gc, a GC before each phase).
if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const rows = await benchIR(sizes.length ? sizes : undefined);
  console.log(formatIRBench(rows));
}
