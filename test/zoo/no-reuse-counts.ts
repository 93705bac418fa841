// PyTorch's frozen node-kind counts without heap address reuse (scripts/zoo/counts_no_reuse.py under the
// LD_PRELOAD shim scripts/zoo/nofree.c). PyTorch 1.13's own counts depend on glibc's allocator (docs/zoo.md),
// so when ours differ from its default counts the sweep asks for these once per row/mode and caches them
// in torch.json as `counts_no_reuse`.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON, runProcess, tail } from './processes.js';

type Counts = Readonly<Record<string, number>>;

// One build per cache folder even when rows run in parallel (sweep --jobs): the workers share the promise.
const shimBuilds = new Map<string, Promise<string>>();

function shimPath(root: string, cache: string): Promise<string> {
  let build = shimBuilds.get(cache);
  if (!build) {
    build = buildShim(root, cache);
    shimBuilds.set(cache, build);
  }
  return build;
}

/** Builds the shim into the cache folder once (gcc); throws with gcc's message if it cannot. */
async function buildShim(root: string, cache: string): Promise<string> {
  const shim = join(cache, 'nofree.so');
  if (existsSync(shim)) return shim;
  const done = await runProcess(
    'gcc',
    ['-shared', '-fPIC', '-O2', '-o', shim, join(root, 'scripts/zoo/nofree.c')],
    120,
  );
  if (done.code !== 0) throw new Error(`gcc could not build ${shim}: ${tail(done.stderr)}`);
  return shim;
}

/** `counts_no_reuse` of <rowDir>/<mode>, computing and caching it when missing; undefined if PyTorch could not. */
export async function noReuseCounts(
  root: string,
  cache: string,
  modeDir: string,
): Promise<Counts | undefined> {
  const recordPath = join(modeDir, 'torch.json');
  const read = () =>
    (JSON.parse(readFileSync(recordPath, 'utf8')) as { counts_no_reuse?: Counts }).counts_no_reuse;
  const cached = read();
  if (cached || !existsSync(join(modeDir, 'model.pt'))) return cached;
  const shim = await shimPath(root, cache);
  const done = await runProcess(PYTHON, [join(root, 'scripts/zoo/counts_no_reuse.py'), modeDir], 1800, {
    ...process.env,
    LD_PRELOAD: shim,
  });
  if (done.code !== 0) throw new Error(`counts_no_reuse.py failed: ${tail(done.stderr)}`);
  return read();
}
