// One tsfreeze side of `npm run bench -- vs-torch`, in a fresh process: load MODEL.pt, freeze it, then
// time the frozen forward on one input. Prints one JSON line. Run by bench/vs-torch.ts, never by tests.
// It starts as `tsfreeze freeze` does: the node flags and glibc tunables of bin/tsfreeze.js's first line
// (bench/vs-torch.ts passes them), the run-time V8 settings below, then the library from the CLI's bundle with its V8 code
// cache (src/runtime/cli-bundle.ts), writing the cache back at the end when it was missing or stale.
//   node dist/bench/vs-torch/tsfreeze-child.js MODEL.pt SHAPE(e.g. 1x3x224x224) INFER_BUDGET_MS (0: no inference)

import { enableWasmRelaxedSimd } from '../../src/runtime/kernels/wasm-features.js';
import { loadCliBundle } from '../../src/runtime/cli-bundle.js';
import { hasOneShotMallocTunables } from '../../src/runtime/malloc-tuning.js';
import { missingOneShotNodeFlags, tuneV8ForOneShotRuns } from '../../src/runtime/v8-tuning.js';
import { benchInput, medianLatency, type ChildResult } from './protocol.js';

// The process settings of the tsfreeze CLI (bin/tsfreeze.js), made before the library's code is compiled
// (V8 rejects a code cache made under other flags), so this side measures what `tsfreeze freeze` does.
tuneV8ForOneShotRuns();
enableWasmRelaxedSimd();
const missing = missingOneShotNodeFlags();
if (missing.length)
  process.stderr.write(`tsfreeze-child: not started as the CLI is (node ${missing.join(' ')})\n`);
if (!hasOneShotMallocTunables())
  process.stderr.write(
    "tsfreeze-child: not started with the CLI's GLIBC_TUNABLES (src/runtime/malloc-tuning.ts)\n",
  );
const bundle = loadCliBundle();
if (!bundle) throw new Error('tsfreeze-child: no dist/src/cli/cli.bundle.cjs (run npm run build)');
const { Tensor, freeze, loadModule } = bundle.exports;

const [path, shapeText, budgetText] = process.argv.slice(2);
const shape = shapeText.split('x').map(Number);

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// performance.now() counts from the process's start, as process.cpuUsage() does.
const start = { wallMs: performance.now(), cpuMs: cpuMs() };

let cpu = cpuMs();
let wall = performance.now();
const module = loadModule(path);
const load = { wallMs: performance.now() - wall, cpuMs: cpuMs() - cpu };

cpu = cpuMs();
wall = performance.now();
// As `tsfreeze freeze MODEL.pt` freezes (src/cli/freeze-command.ts: mayConsume holds without flags).
const frozen = freeze(module, { consume: true });
const freezeTime = { wallMs: performance.now() - wall, cpuMs: cpuMs() - cpu };

// The freeze job ends here: whole-process CPU and peak RSS are read before inference allocates.
const processCpuMs = cpuMs();
const peakRssMb = process.resourceUsage().maxRSS / 1024;

let inferMs: number | null = null;
let inferError: string | undefined;
// A budget of 0: inference is not timed (inferMs stays null).
if (Number(budgetText) > 0) {
  try {
    const x = Tensor.fromStorage('float32', benchInput(shape), shape);
    inferMs = medianLatency(() => frozen.forward(x), Number(budgetText));
  } catch (error) {
    inferError = (error as Error).message.split('\n')[0];
  }
}

const result: ChildResult = {
  start,
  codeCache: bundle.cache,
  load,
  freeze: freezeTime,
  processCpuMs,
  peakRssMb,
  inferMs,
  ...(inferError === undefined ? {} : { inferError }),
};
console.log(JSON.stringify(result));
bundle.writeCache();
