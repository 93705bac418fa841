// Freeze benchmarks: how freeze time grows with graph size (generated modules of 10k and 100k nodes) and
// running the frozen 100k-node graph, with torch.jit.freeze on the same modules beside it when
// /usr/bin/python3 has torch. Ratios against the 10k baseline are measured in the same run.

import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { CompilationUnit, Tensor, moduleBuilder, type ScriptModule } from '../src/index.js';
import { freeze } from '../passes/index.js';

export interface FreezeBenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/**
 * A module whose forward is `layers` rounds of `x = x * self.wK + self.bK` over distinct parameters:
 * 6 nodes per round (2 GetAttrs, 1 constant use, mul, add) — about 4 * layers graph nodes after
 * constant pooling. Parameters are tiny so time is spent on the graph, not on tensor copies.
 */
export function syntheticModule(layers: number): ScriptModule {
  const b = moduleBuilder('__torch__.Chain', { cu: new CompilationUnit() }).training(false);
  const lines = [
    'graph(%self : __torch__.Chain, %x.1 : Tensor):',
    '  %one : int = prim::Constant[value=1]()',
  ];
  let x = '%x.1';
  for (let i = 0; i < layers; i++) {
    b.parameter(`w${i}`, Tensor.fromArray('float32', [1 + (i % 7) / 100], [1]));
    b.parameter(`b${i}`, Tensor.fromArray('float32', [(i % 5) / 1000], [1]));
    lines.push(`  %w${i} : Tensor = prim::GetAttr[name="w${i}"](%self)`);
    lines.push(`  %b${i} : Tensor = prim::GetAttr[name="b${i}"](%self)`);
    lines.push(`  %m${i} : Tensor = aten::mul(${x}, %w${i})`);
    lines.push(`  %a${i} : Tensor = aten::add(%m${i}, %b${i}, %one)`);
    x = `%a${i}`;
  }
  lines.push(`  return (${x})`);
  return b.method('forward', `${lines.join('\n')}\n`).build();
}

function nodeCount(m: ScriptModule): number {
  let n = 0;
  for (const _ of m.graph.allNodes()) n++;
  return n;
}

// torch.jit.freeze on the same chain, built from TorchScript source in one Python process.
function torchFreezeTimes(layerCounts: readonly number[]): Map<number, number> | undefined {
  const script = `
import importlib.util, os, sys, tempfile, time, torch
torch.set_num_threads(1)
out = {}
tmp = tempfile.mkdtemp()
for layers in [int(a) for a in sys.argv[1:]]:
    # torch.jit.script reads the class's source, so the generated module lives in a real file.
    body = "\\n".join(f"        x = x * self.w{i} + self.b{i}" for i in range(layers))
    inits = "\\n".join(f"        self.w{i} = torch.nn.Parameter(torch.ones(1))\\n        self.b{i} = torch.nn.Parameter(torch.zeros(1))" for i in range(layers))
    path = os.path.join(tmp, f"chain{layers}.py")
    with open(path, "w") as f:
        f.write(f"import torch\\nclass Chain(torch.nn.Module):\\n    def __init__(self):\\n        super().__init__()\\n{inits}\\n    def forward(self, x):\\n{body}\\n        return x\\n")
    spec = importlib.util.spec_from_file_location(f"chain{layers}", path)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    m = torch.jit.script(mod.Chain().eval())
    t = time.perf_counter(); torch.jit.freeze(m); out[layers] = (time.perf_counter() - t) * 1000
print(" ".join(f"{k}:{v}" for k, v in out.items()))
`;
  try {
    const text = execFileSync('/usr/bin/python3', ['-c', script, ...layerCounts.map(String)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 600_000,
    });
    return new Map(
      text
        .trim()
        .split(' ')
        .map((kv) => kv.split(':').map(Number) as [number, number]),
    );
  } catch {
    return undefined;
  }
}

/** Freeze time per node at two sizes, their ratio, and a run of the frozen large graph. */
export async function benchFreeze(
  layerCounts: readonly [number, number] = [2_500, 25_000],
  withTorch = true,
): Promise<FreezeBenchRow[]> {
  const rows: FreezeBenchRow[] = [];
  freeze(syntheticModule(200)); // warm up the JIT
  const perNode: number[] = [];
  let large: ScriptModule | undefined;
  for (const [k, layers] of layerCounts.entries()) {
    const m = syntheticModule(layers);
    const nodes = nodeCount(m);
    // CPU time, best of several runs: the machine may be shared, and wall time then measures the neighbours.
    let best = Infinity;
    let bestWall = Infinity;
    for (let run = 0; run < (k === 0 ? 5 : 2); run++) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      large = freeze(m);
      bestWall = Math.min(bestWall, performance.now() - start);
      const used = process.cpuUsage(cpu);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    perNode.push((best * 1000) / nodes);
    rows.push({ name: `freeze ${nodes} nodes (CPU, best)`, value: best, unit: 'ms' });
    rows.push({ name: `freeze ${nodes} nodes (wall, best)`, value: bestWall, unit: 'ms' });
    rows.push({
      name: `freeze ${nodes} nodes per node (CPU)`,
      value: (best * 1000) / nodes,
      unit: 'us/node',
    });
  }
  rows.push({
    name: 'freeze per-node time, large / small',
    value: perNode[1] / perNode[0],
    unit: 'x (target <= 1.5)',
  });
  if (large) {
    const start = performance.now();
    large.forward(Tensor.fromArray('float32', [1, 2, 3], [3]));
    rows.push({
      name: `run frozen ${nodeCount(large)}-node graph`,
      value: performance.now() - start,
      unit: 'ms',
    });
  }
  const torch = withTorch ? torchFreezeTimes(layerCounts) : undefined;
  if (torch) {
    for (const layers of layerCounts) {
      const t = torch.get(layers);
      if (t !== undefined)
        rows.push({ name: `torch.jit.freeze chain of ${layers} layers`, value: t, unit: 'ms' });
    }
    const [a, b] = layerCounts.map((l) => torch.get(l) ?? NaN);
    rows.push({
      name: 'torch.jit.freeze time, large / small',
      value: b / a,
      unit: `x (size ratio ${layerCounts[1] / layerCounts[0]})`,
    });
  }
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await benchFreeze()) console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}`);
}
