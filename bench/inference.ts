// Single-image inference time of resnet18 through tsfreeze's interpreter, before and after freeze(), with
// PyTorch's single-thread time on the same machine beside it. Models: the tv_resnet18_w8 fixture and, when
// /usr/bin/python3 has torchvision, a full-size resnet18 (224x224) generated into a temp dir at bench time.
// Run alone with `node dist/bench/inference.js`; `npm run bench` calls benchInference().

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import '../src/index.js';
import type { ScriptModule } from '../src/module/index.js';
import { loadModule } from '../src/serialization/index.js';
import { storageFromBytes } from '../src/tensor/dtype.js';
import { Tensor } from '../src/tensor/tensor.js';
import { freeze } from '../passes/index.js';
import {
  FIXTURES_DIR,
  readFixtureCase,
  readTensor,
  type EncodedTensor,
} from '../test/support/fixture-case.js';

/** One benchmark result. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
}

const PY = '/usr/bin/python3';

/** A model to time: its archive, its input, and where PyTorch's output for that input goes. */
interface Model {
  readonly name: string;
  readonly path: string;
  readonly inputFile: string;
  readonly shape: readonly number[];
  readonly torchOutputFile: string;
}

/** What the Python side measured per model (ms), or why it could not. */
interface TorchTimes {
  readonly scripted: number;
  readonly frozen: number;
}

// Median of timed runs after a warm-up of at least 300 ms (the JIT settles): a whole forward pass is long
// enough to time one at a time, and the median is steadier than the mean on a loaded 2-core machine.
// Takes at least `runs` samples and keeps sampling for at least `minMs`, so tiny models get many samples.
function medianMs(fn: () => void, runs: number, minMs = 1000): number {
  const warm = performance.now();
  for (let i = 0; i < 2 || performance.now() - warm < 300; i++) fn();
  const times: number[] = [];
  const begin = performance.now();
  while (times.length < runs || performance.now() - begin < minMs) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// One Python process: generates the full-size resnet18 when torchvision is there, then times every model
// scripted and torch.jit.freeze'd on one thread (profiling executor warmed up first), writing its outputs.
const TORCH_SCRIPT = `
import array, json, os, sys, time, torch
torch.set_num_threads(1)
spec = json.loads(sys.argv[1])
result = {"models": {}}
if spec.get("generate"):
    try:
        import torchvision
        torch.manual_seed(0)
        m = torch.jit.script(torchvision.models.resnet18().eval())
        m.save(spec["generate"]["path"])
        x = torch.randn(1, 3, 224, 224)
        array.array("f", x.flatten().tolist()).tofile(open(spec["generate"]["input"], "wb"))
        result["generated"] = True
    except Exception as e:
        result["generated"] = False
        result["why"] = f"{type(e).__name__}: {e}"
def median_ms(fn, runs, min_s=1.0):
    warm = time.perf_counter()
    i = 0
    while i < 5 or time.perf_counter() - warm < 0.3:
        fn(); i += 1
    times = []
    begin = time.perf_counter()
    while len(times) < runs or time.perf_counter() - begin < min_s:
        t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
    return sorted(times)[len(times) // 2]
with torch.no_grad():
    for model in spec["models"]:
        if not os.path.exists(model["path"]):
            continue
        x = torch.frombuffer(bytearray(open(model["input"], "rb").read()), dtype=torch.float32).reshape(model["shape"])
        m = torch.jit.load(model["path"]).eval()
        f = torch.jit.freeze(m)
        y = f(x)
        array.array("f", y.flatten().tolist()).tofile(open(model["output"], "wb"))
        result["models"][model["name"]] = {
            "scripted": median_ms(lambda: m(x), model["runs"]),
            "frozen": median_ms(lambda: f(x), model["runs"]),
        }
print(json.dumps(result))
`;

interface TorchResult {
  readonly generated?: boolean;
  readonly why?: string;
  readonly models: Record<string, TorchTimes>;
}

function runTorch(
  models: readonly Model[],
  generate: { path: string; input: string } | undefined,
  runs: number,
): TorchResult | string {
  const spec = {
    generate,
    models: models.map((m) => ({
      name: m.name,
      path: m.path,
      input: m.inputFile,
      shape: m.shape,
      output: m.torchOutputFile,
      runs,
    })),
  };
  try {
    const text = execFileSync(PY, ['-c', TORCH_SCRIPT, JSON.stringify(spec)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 900_000,
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    return JSON.parse(text.trim().split('\n').pop() ?? '{}') as TorchResult;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    const last = (e.stderr ?? e.message).trim().split('\n').pop();
    return `${PY} with torch unavailable or failed: ${last}`;
  }
}

function readFloatFile(path: string, shape: readonly number[]): Tensor {
  return Tensor.fromStorage('float32', storageFromBytes('float32', readFileSync(path)), shape);
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  let worst = 0;
  for (let i = 0; i < a.numel; i++) worst = Math.max(worst, Math.abs(a.getNumber(i) - b.getNumber(i)));
  return worst;
}

/** Times one model in tsfreeze: load, forward before freeze, freeze(), forward after; checks against torch. */
function benchModel(model: Model, torch: TorchTimes | undefined, runs: number): BenchRow[] {
  const rows: BenchRow[] = [];
  const label = `${model.name} ${model.shape.join('x')}`;
  let start = performance.now();
  const module: ScriptModule = loadModule(model.path);
  rows.push({ name: `${label} load .pt`, value: performance.now() - start, unit: 'ms' });
  const x = readFloatFile(model.inputFile, model.shape);
  const before = medianMs(() => module.forward(x), runs);
  rows.push({ name: `${label} tsfreeze`, value: before, unit: 'ms' });
  start = performance.now();
  const frozen = freeze(module);
  rows.push({ name: `${label} freeze()`, value: performance.now() - start, unit: 'ms' });
  const after = medianMs(() => frozen.forward(x), runs);
  rows.push({ name: `${label} tsfreeze frozen`, value: after, unit: 'ms' });
  if (!torch) return rows;
  rows.push({ name: `${label} torch 1 thread`, value: torch.scripted, unit: 'ms' });
  rows.push({ name: `${label} torch 1 thread frozen`, value: torch.frozen, unit: 'ms' });
  rows.push({ name: `${label} tsfreeze / torch`, value: before / torch.scripted, unit: 'x' });
  rows.push({ name: `${label} tsfreeze / torch frozen`, value: after / torch.frozen, unit: 'x' });
  // The time only means something if the computation is the same: compare with torch's frozen output.
  const ours = frozen.forward(x) as Tensor;
  const theirs = readFloatFile(model.torchOutputFile, ours.shape);
  rows.push({
    name: `${label} frozen max |diff| vs torch`,
    value: maxAbsDiff(ours, theirs) * 1e6,
    unit: 'x 1e-6',
  });
  return rows;
}

/**
 * resnet18 single-image inference: tsfreeze before/after freeze beside PyTorch's single-thread time.
 * `runs` timed forwards per variant (median reported); `full` adds the generated full-size model.
 */
export async function benchInference(options: { runs?: number; full?: boolean } = {}): Promise<BenchRow[]> {
  const runs = options.runs ?? 7;
  const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-bench-inference-'));
  try {
    const fixture = readFixtureCase(join(FIXTURES_DIR, 'tv_resnet18_w8'));
    const input = fixture.calls[0].inputs[0] as EncodedTensor;
    readTensor(fixture.dir, input); // checks the file against case.json before anything is timed
    const models: Model[] = [
      {
        name: 'resnet18_w8',
        path: fixture.modulePath!,
        inputFile: join(fixture.dir, input.file!),
        shape: input.shape,
        torchOutputFile: join(dir, 'w8_out.bin'),
      },
    ];
    const full: Model = {
      name: 'resnet18',
      path: join(dir, 'resnet18.pt'),
      inputFile: join(dir, 'resnet18_in.bin'),
      shape: [1, 3, 224, 224],
      torchOutputFile: join(dir, 'resnet18_out.bin'),
    };
    const wantFull = options.full ?? true;
    const torch = runTorch(
      wantFull ? [...models, full] : models,
      wantFull ? { path: full.path, input: full.inputFile } : undefined,
      runs,
    );
    const rows: BenchRow[] = [];
    if (typeof torch === 'string') console.log(`  (${torch}; tsfreeze times only, fixture model only)`);
    else if (wantFull && torch.generated) models.push(full);
    else if (wantFull)
      console.log(`  (full-size resnet18 not generated: ${torch.why ?? 'torchvision missing'})`);
    for (const model of models) {
      rows.push(...benchModel(model, typeof torch === 'string' ? undefined : torch.models[model.name], runs));
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await benchInference()) console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}`);
}
