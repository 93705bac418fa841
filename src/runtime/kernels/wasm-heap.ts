// The one WebAssembly memory all SIMD kernels work in, and how it is shared: long-lived regions (packed
// or transformed constant weights) are reserved and released first-fit below a top mark; each kernel
// call gets its transient scratch above that mark. Memory only grows; typed-array views are re-made
// after growth, so callers take `floats()` after their last reserve and never keep views across calls.

import { assemble, type FunctionSpec } from './wasm-asm.js';

// The slice of the WebAssembly JS API used here (the compile target's lib has no WebAssembly types).
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

export interface WasmMemory {
  /** A SharedArrayBuffer for a shared memory (typed as the heap's, which is not). */
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

const PAGE = 65536;
const ALIGN = 64;

/** A region of the heap: [offset, offset + size) bytes. */
interface Region {
  offset: number;
  size: number;
  free: boolean;
}

/** The shared memory and its allocator. */
export class WasmHeap {
  private f32 = new Float32Array(0);
  private i32 = new Int32Array(0);
  /** Reserved and free regions in address order, all below `top`. */
  private readonly regions: Region[] = [];
  private top = 0;

  constructor(
    readonly api: WasmApi,
    readonly memory: WasmMemory,
  ) {}

  /** Ensures the memory holds at least `bytes`. */
  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (have < bytes) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /** A float32 view of the whole memory (valid until the next reserve or scratch call grows it). */
  floats(): Float32Array {
    if (this.f32.buffer !== this.memory.buffer || this.f32.byteLength !== this.memory.buffer.byteLength)
      this.f32 = new Float32Array(this.memory.buffer);
    return this.f32;
  }

  /** An int32 view of the whole memory (same validity as floats()). */
  ints(): Int32Array {
    if (this.i32.buffer !== this.memory.buffer || this.i32.byteLength !== this.memory.buffer.byteLength)
      this.i32 = new Int32Array(this.memory.buffer);
    return this.i32;
  }

  /** Reserves `bytes` until release(offset); returns the byte offset. Invalidates earlier scratch. */
  reserve(bytes: number): number {
    const size = Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;
    for (let i = 0; i < this.regions.length; i++) {
      const r = this.regions[i];
      if (!r.free || r.size < size) continue;
      if (r.size > size)
        this.regions.splice(i + 1, 0, { offset: r.offset + size, size: r.size - size, free: true });
      r.size = size;
      r.free = false;
      return r.offset;
    }
    const offset = this.top;
    this.regions.push({ offset, size, free: false });
    this.top += size;
    this.ensure(this.top);
    return offset;
  }

  /** Gives a reserved region back (neighbouring free regions merge; a free tail lowers the top). */
  release(offset: number): void {
    const i = this.regions.findIndex((r) => r.offset === offset && !r.free);
    if (i < 0) return;
    this.regions[i].free = true;
    const next = this.regions[i + 1];
    if (next?.free) {
      this.regions[i].size += next.size;
      this.regions.splice(i + 1, 1);
    }
    const prev = this.regions[i - 1];
    if (prev?.free) {
      prev.size += this.regions[i].size;
      this.regions.splice(i, 1);
    }
    const last = this.regions[this.regions.length - 1];
    if (last?.free) {
      this.top = last.offset;
      this.regions.pop();
    }
  }

  /** Byte offset of `bytes` of scratch for the current call, above every reserved region. */
  scratch(bytes: number): number {
    this.ensure(this.top + bytes);
    return this.top;
  }

  /** Bytes held by reserved regions (for tests and diagnostics). */
  reservedBytes(): number {
    return this.regions.reduce((s, r) => s + (r.free ? 0 : r.size), 0);
  }

  /** Compiles and instantiates a kernel module on this memory; null if the engine rejects it. */
  instantiate(fns: readonly FunctionSpec[]): Record<string, unknown> | null {
    const module = this.compile(fns);
    return module && this.instantiateOn(module, this.memory);
  }

  /**
   * Compiles a kernel module (importing memory `env.mem`, a shared one with `sharedMemory`, see
   * fixedMemory); null if the engine rejects it.
   */
  compile(fns: readonly FunctionSpec[], sharedMemory = false): object | null {
    try {
      const bytes = assemble(fns, sharedMemory);
      return this.api.validate(bytes) ? new this.api.Module(bytes) : null;
    } catch {
      return null;
    }
  }

  /** An instance of a compiled module working in `memory`; null if the engine refuses. */
  instantiateOn(module: object, memory: WasmMemory): Record<string, unknown> | null {
    try {
      return new this.api.Instance(module, { env: { mem: memory } }).exports;
    } catch {
      return null;
    }
  }

  /**
   * A shared memory of its own, of `bytes` rounded up to whole pages, that can never grow: its buffer (a
   * SharedArrayBuffer) is never replaced, so typed-array views of it stay valid for good (unlike this
   * heap's). Its pages cost physical memory only once written. Being shared, V8 leaves it out of the
   * external memory it weighs when deciding on a garbage collection (as the loader's file buffer): long-
   * lived constant weights are no garbage to look for. Kernels working in it are compiled with
   * `sharedMemory`. Null if the engine refuses (address space, limits).
   */
  fixedMemory(bytes: number): WasmMemory | null {
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    try {
      return new this.api.Memory({ initial: pages, maximum: pages, shared: true });
    } catch {
      return null;
    }
  }
}

let heap: WasmHeap | null | undefined;

/** The shared heap, or null without WebAssembly (or with TSFREEZE_NO_WASM=1 set). */
export function wasmHeap(): WasmHeap | null {
  if (heap !== undefined) return heap;
  heap = null;
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (api !== undefined && !process.env.TSFREEZE_NO_WASM) {
    try {
      heap = new WasmHeap(api, new api.Memory({ initial: 1 }));
    } catch {
      heap = null;
    }
  }
  return heap;
}
