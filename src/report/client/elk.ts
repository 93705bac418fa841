// ELK in the page: the layout runs in a Web Worker made from the worker script inlined in the page
// (a blob URL: no network, and the page stays responsive while a big picture is laid out).

import ElkModule from 'elkjs/lib/elk-api.js';
import type { ELK, ELKConstructorArguments, ElkNode } from 'elkjs/lib/elk-api.js';

// elkjs is CommonJS: the class is the module itself or its `default`, depending on the loader.
const ElkConstructor = ((ElkModule as unknown as { default?: unknown }).default ?? ElkModule) as new (
  args?: ELKConstructorArguments,
) => ELK;

// One worker per picture, so the before and after pictures are laid out side by side.
const workers = new Map<string, ELK>();
let url: string | undefined;

function worker(lane: string): ELK {
  let elk = workers.get(lane);
  if (!elk) {
    url ??= URL.createObjectURL(
      new Blob([document.getElementById('elk-worker')?.textContent ?? ''], { type: 'text/javascript' }),
    );
    elk = new ElkConstructor({ workerUrl: url });
    workers.set(lane, elk);
  }
  return elk;
}

/** Starts the workers early: loading ELK takes a moment, best spent while the page reads its data. */
export function warmUp(lanes: readonly string[]): void {
  for (const lane of lanes)
    void worker(lane).layout({ id: 'warm-up', children: [{ id: 'a', width: 1, height: 1 }] });
}

/** Lays out `graph` (ELK JSON) on worker `lane` and returns it with positions. */
export function layout(graph: ElkNode, lane = 'main'): Promise<ElkNode> {
  return worker(lane).layout(graph);
}
