// Reuse of tensor buffers while the interpreter runs a graph (its memory plan). Between `openArena` and
// `closeArena`, every storage array `allocateStorage` hands out is recorded as owned by the arena; the
// interpreter counts how many of its value slots hold each owned buffer and gives a buffer back here when
// the last slot holding it dies, unless it escaped (was put into a list, an object attribute, a graph
// output). Later allocations of the same length take it from the free list instead of asking the OS for
// fresh zeroed pages, which is what large typed arrays cost in page faults and GC.
//
// Rule for kernels: a cache that outlives one call must not keep an array `allocateStorage` returned
// during a run (it may be reused); copy into an array of your own, or call `escapeBuffer` on it.

/** The float arrays the pool recycles (activations are float32; float64 graphs also benefit). */
type Recyclable = Float32Array | Float64Array;

/** One owned buffer: the full array it was allocated as, and how many interpreter slots hold it. */
interface Owned {
  readonly array: Recyclable;
  refs: number;
}

/** Free arrays by constructor and length. */
const free32 = new Map<number, Float32Array[]>();
const free64 = new Map<number, Float64Array[]>();
let freeBytes = 0;
/** The pool keeps at most this many bytes of free arrays; beyond it, released arrays go to the GC. */
const MAX_FREE_BYTES = 512 * 1024 * 1024;

/** The buffers allocated while a graph runs, and how many slots hold each. */
export class Arena {
  readonly owned = new Map<ArrayBufferLike, Owned>();
  /** Arenas nest when an interpreter is entered again (method calls); only the outermost one closes. */
  depth = 0;
}

let active: Arena | null = null;

/** Opens (or re-enters) the arena of the current run. Pair with closeArena. */
export function openArena(): Arena {
  active ??= new Arena();
  active.depth++;
  return active;
}

/** Leaves the arena; the outermost close ends it (its remaining buffers are left to the GC). */
export function closeArena(arena: Arena): void {
  if (--arena.depth === 0 && active === arena) active = null;
}

/**
 * A float32/float64 array of `n` elements for new storage: from the free list while an arena is open
 * (zero-filled unless `zero` is false), else fresh. Arrays under 1024 elements are not worth tracking.
 */
export function pooledArray(float64: boolean, n: number, zero: boolean): Recyclable {
  const arena = active;
  if (arena === null || n < 1024) return float64 ? new Float64Array(n) : new Float32Array(n);
  const list = float64 ? free64.get(n) : free32.get(n);
  let array: Recyclable | undefined = list?.pop();
  if (array !== undefined) {
    freeBytes -= array.byteLength;
    if (zero) array.fill(0);
  } else array = float64 ? new Float64Array(n) : new Float32Array(n);
  arena.owned.set(array.buffer, { array, refs: 0 });
  return array;
}

/** A slot now holds `data` (a tensor's storage array): counts it if the arena owns its buffer. */
export function holdBuffer(arena: Arena, data: { readonly buffer: ArrayBufferLike }): boolean {
  const o = arena.owned.get(data.buffer);
  if (o === undefined) return false;
  o.refs++;
  return true;
}

/** A slot holding `data` died: when no slot holds it any more, its array goes back to the free list. */
export function releaseBuffer(arena: Arena, data: { readonly buffer: ArrayBufferLike }): void {
  const o = arena.owned.get(data.buffer);
  if (o === undefined) return;
  if (--o.refs > 0) return;
  arena.owned.delete(data.buffer);
  const array = o.array;
  if (freeBytes + array.byteLength > MAX_FREE_BYTES) return;
  const map = array instanceof Float64Array ? free64 : free32;
  let list = map.get(array.length);
  if (list === undefined) map.set(array.length, (list = []));
  (list as Recyclable[]).push(array);
  freeBytes += array.byteLength;
}

/** The buffer is referenced from somewhere the interpreter does not count: never recycle it. */
export function escapeBuffer(data: { readonly buffer: ArrayBufferLike }): void {
  active?.owned.delete(data.buffer);
}

/** Drops every free array (tests; memory pressure). */
export function clearBufferPool(): void {
  free32.clear();
  free64.clear();
  freeBytes = 0;
}

/** Bytes currently kept in free lists. */
export function pooledBytes(): number {
  return freeBytes;
}
