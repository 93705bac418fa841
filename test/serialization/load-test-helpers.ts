// Shared helpers of the loader tests: each fixture archive loaded once per test run, and the reference
// graphs PyTorch printed for it.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIR, type Graph } from '../../src/ir/index.js';
import { loadArchive, type LoadedArchive } from '../../src/serialization/index.js';
import { FIXTURES, fixtureArchives, type FixtureArchive } from './zip-test-helpers.js';
import { lossyGraphDump } from '../support/lossy-graph-dump.js';

export { FIXTURES, fixtureArchives, type FixtureArchive };

const cache = new Map<string, LoadedArchive>();

/** The fixture archive at `path`, loaded once. */
export function loadFixture(path: string): LoadedArchive {
  let loaded = cache.get(path);
  if (!loaded) {
    loaded = loadArchive(path);
    cache.set(path, loaded);
  }
  return loaded;
}

/** A graph PyTorch printed for a loaded archive, with the method it belongs to. */
export interface ReferenceGraph {
  readonly method: string;
  readonly file: string;
  readonly graph: () => Graph;
}

/**
 * The graphs torch.jit.load built for an archive: forward (loaded_graph.txt / frozen_loaded_graph.txt) and,
 * for module.pt, the other methods' `<m>_graph.txt` (taken from the loaded module by the generator).
 */
export function referenceGraphs(archive: FixtureArchive): ReferenceGraph[] {
  const dir = join(FIXTURES, archive.caseName);
  const out: ReferenceGraph[] = [];
  const add = (method: string, file: string): void => {
    const path = join(dir, file);
    // PyTorch's dumps of object constants and non-ASCII strings cannot be read back.
    if (existsSync(path) && !lossyGraphDump(readFileSync(path, 'utf8')))
      out.push({ method, file, graph: () => parseIR(readFileSync(path, 'utf8'), { file }) });
  };
  if (archive.file === 'frozen.pt') {
    add('forward', 'frozen_loaded_graph.txt');
    return out;
  }
  add('forward', 'loaded_graph.txt');
  for (const f of readdirSync(dir).sort()) {
    const m = /^(\w+)_graph\.txt$/.exec(f);
    if (m && !/^(frozen|loaded|inlined|frozen_.*|loaded_.*)$/.test(m[1])) add(m[1], f);
  }
  return out;
}
