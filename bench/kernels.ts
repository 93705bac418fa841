// Kernel benchmarks: matmul GFLOP/s (256, 512) and a ResNet-style conv2d (3x3, 64 -> 64 channels,
// 56x56, batch 1), single-threaded. Run alone with `node dist/bench/kernels.js`; `npm run bench` calls
// benchKernels(). scripts/bench_torch_kernels.py measures PyTorch on the same shapes.

import { pathToFileURL } from 'node:url';
import { convolution, mm } from '../src/runtime/kernels/index.js';
import { randn } from '../src/tensor/random.js';

/** One benchmark result. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
}

// Best of several timed batches (after warm-up): the least disturbed by other load on the machine.
function bestSeconds(fn: () => void, minBatchMs = 200, batches = 5): number {
  fn();
  fn();
  let best = Infinity;
  for (let b = 0; b < batches; b++) {
    let reps = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      fn();
      reps++;
      elapsed = performance.now() - start;
    } while (elapsed < minBatchMs);
    best = Math.min(best, elapsed / reps / 1000);
  }
  return best;
}

/** Runs the kernel benchmarks; each row is GFLOP/s (2 flops per multiply-add). */
export async function benchKernels(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const n of [256, 512]) {
    const a = randn([n, n], { seed: 1 });
    const b = randn([n, n], { seed: 2 });
    const s = bestSeconds(() => mm(a, b));
    rows.push({ name: `matmul ${n}x${n}x${n} float32`, value: (2 * n ** 3) / s / 1e9, unit: 'GFLOP/s' });
  }
  const x = randn([1, 64, 56, 56], { seed: 3 });
  const w = randn([64, 64, 3, 3], { seed: 4 });
  const s = bestSeconds(() => convolution(x, w, null, [1, 1], [1, 1], [1, 1], 1), 300, 4);
  rows.push({
    name: 'conv2d 3x3 64->64 56x56 float32',
    value: (2 * 64 * 64 * 9 * 56 * 56) / s / 1e9,
    unit: 'GFLOP/s',
  });
  rows.push({ name: 'conv2d 3x3 64->64 56x56 float32 time', value: s * 1000, unit: 'ms' });
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await benchKernels()) console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}`);
}
