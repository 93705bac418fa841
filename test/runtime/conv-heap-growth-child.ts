// Child process of conv-heap-growth.test.ts: in a fresh process (a WebAssembly heap that has not grown
// yet), the first convolutions with more than one 1024-pixel GEMM block, compared with the direct
// definition. Prints one line per case: "<name> <max abs error>".

import { convolution } from '../../src/runtime/kernels/conv.js';
import { maxAbsDiff } from '../../src/tensor/allclose.js';
import { randn } from '../../src/tensor/random.js';
import { naiveConv2d } from '../support/naive-conv.js';

// [name, N, C, O, H, W, KH, KW, SH, SW]: wav2vec2's first feature-extractor conv (1-D, stride 5: columns
// gathered in JS), then a stride-1 conv (columns packed in WebAssembly).
const CASES = [
  ['conv1d-stride5', 2, 1, 8, 1, 16000, 1, 10, 1, 5],
  ['conv2d-stride1', 2, 3, 8, 40, 40, 3, 3, 1, 1],
] as const;

for (const [name, n, c, o, h, w, kh, kw, sh, sw] of CASES) {
  const x = randn([n, c, h, w], { seed: 1 });
  const weight = randn([o, c, kh, kw], { seed: 2 });
  const bias = randn([o], { seed: 3 });
  const got = convolution(x, weight, bias, [sh, sw], [0, 0], [1, 1], 1);
  const want = naiveConv2d(x, weight, bias, [sh, sw], [0, 0], [1, 1], 1);
  process.stdout.write(`${name} ${maxAbsDiff(got, want)}\n`);
}
