// Weights prepared for a WASM kernel (packed into panels, or Winograd-transformed) live in the shared heap.
// For constant weights (a frozen graph's conv weights) the prepared form stays there across calls, keyed
// by the weight tensor and its layout, and is released when the tensor is garbage-collected. A constant
// can still share storage with a tensor someone changes in place (torch._C._freeze_module does not copy
// parameters), so each entry keeps a byte copy of the weights it was made from, compared on every call
// (one memcmp); on a difference the region is refilled.

import { Buffer } from 'node:buffer';
import type { Tensor } from '../../tensor/tensor.js';
import type { WasmHeap } from './wasm-heap.js';

interface Entry {
  readonly offset: number;
  readonly snapshot: Uint8Array;
}

const cache = new WeakMap<Tensor, Map<string, Entry>>();
const finalizer = new FinalizationRegistry<{ heap: WasmHeap; offsets: number[] }>((held) => {
  for (const o of held.offsets) held.heap.release(o);
});
const registered = new WeakMap<Tensor, number[]>();

/** Prepared weights in the heap: the byte offset, and `done()` to call when the kernel call ends. */
export interface WeightLease {
  readonly offset: number;
  done(): void;
}

/**
 * Bytes of the heap that prepared constant weights may hold. A 32-bit WebAssembly memory ends at 4 GiB;
 * a model whose prepared weights pass this (regnet_y_128gf: 2.6 GB of weights, more once transformed)
 * prepares the rest per call instead, so scratch and transient weights always find room.
 */
export const CACHED_WEIGHTS_BUDGET = 1.5 * 2 ** 30;
let budget = CACHED_WEIGHTS_BUDGET;

/** Sets the budget (tests use a small one); returns the previous. */
export function setCachedWeightsBudget(bytes: number): number {
  const previous = budget;
  budget = bytes;
  return previous;
}

function fitsCacheBudget(heap: WasmHeap, bytes: number): boolean {
  return heap.reservedBytes() + bytes <= budget;
}

/** The weight tensor's elements as bytes (float32, contiguous from its offset). */
function bytesOf(w: Tensor): Uint8Array {
  const data = w.storage.data as Float32Array;
  return new Uint8Array(data.buffer, data.byteOffset + w.offset * 4, w.numel * 4);
}

/**
 * `floats` floats in the heap filled by `fill(mem, base)` (base in floats) from weight `w`. With
 * `constant`, the region is cached for later calls with the same `layout`; otherwise it is released
 * by done().
 */
export function weightsInHeap(
  heap: WasmHeap,
  w: Tensor,
  layout: string,
  floats: number,
  fill: (mem: Float32Array, base: number) => void,
  constant: boolean,
): WeightLease {
  if (!constant || !fitsCacheBudget(heap, floats * 4)) {
    const offset = heap.reserve(floats * 4);
    fill(heap.floats(), offset / 4);
    return { offset, done: () => heap.release(offset) };
  }
  let byLayout = cache.get(w);
  if (byLayout === undefined) cache.set(w, (byLayout = new Map()));
  const bytes = bytesOf(w);
  const entry = byLayout.get(layout);
  if (entry !== undefined) {
    if (Buffer.compare(entry.snapshot, bytes) !== 0) {
      fill(heap.floats(), entry.offset / 4);
      entry.snapshot.set(bytes);
    }
    return { offset: entry.offset, done: () => undefined };
  }
  const offset = heap.reserve(floats * 4);
  fill(heap.floats(), offset / 4);
  byLayout.set(layout, { offset, snapshot: bytes.slice() });
  let offsets = registered.get(w);
  if (offsets === undefined) {
    registered.set(w, (offsets = []));
    finalizer.register(w, { heap, offsets });
  }
  offsets.push(offset);
  return { offset, done: () => undefined };
}
