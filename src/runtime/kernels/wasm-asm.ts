// A small WebAssembly assembler for the SIMD kernels (no toolchain at build time): a code builder with
// structured control flow and the handful of scalar and f32x4 instructions the kernels use, and a module
// writer whose functions all work in one imported memory (`env.mem`, see wasm-heap.ts).

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const SIMD = 0xfd;
const simd = (op: number): number[] => [SIMD, ...uleb(op)];

/** Instruction bytes that take no immediate. */
export const op = {
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32Ne: [0x47],
  i32LtS: [0x48],
  i32LtU: [0x49],
  i32GeS: [0x4e],
  i32GeU: [0x4f],
  f32Add: [0x92],
  f32Mul: [0x94],
  select: [0x1b],
  f32x4Splat: simd(0x13),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Min: simd(0xe8),
  f32x4Max: simd(0xe9),
  /** Relaxed SIMD: a * b + c, fused or not as the engine chooses. */
  f32x4RelaxedMadd: simd(0x105),
} as const;

/** A function body under construction. */
export class Code {
  readonly bytes: number[] = [];

  emit(...parts: (number | readonly number[])[]): this {
    for (const p of parts) {
      if (typeof p === 'number') this.bytes.push(p);
      else for (const b of p) this.bytes.push(b);
    }
    return this;
  }

  get(i: number): this {
    return this.emit(0x20, uleb(i));
  }
  set(i: number): this {
    return this.emit(0x21, uleb(i));
  }
  tee(i: number): this {
    return this.emit(0x22, uleb(i));
  }
  i32(n: number): this {
    return this.emit(0x41, sleb(n));
  }
  f32(x: number): this {
    const b = new Uint8Array(new Float32Array([x]).buffer);
    return this.emit(0x43, [...b]);
  }
  /** v128.const with four equal f32 lanes. */
  f32x4(x: number): this {
    const b = new Uint8Array(new Float32Array([x, x, x, x]).buffer);
    return this.emit(simd(0x0c), [...b]);
  }
  /** Memory access with a constant byte offset (alignment hint 0: unaligned allowed). */
  f32Load(offset = 0): this {
    return this.emit(0x2a, 0, uleb(offset));
  }
  f32Store(offset = 0): this {
    return this.emit(0x38, 0, uleb(offset));
  }
  i32Load(offset = 0): this {
    return this.emit(0x28, 0, uleb(offset));
  }
  v128Load(offset = 0): this {
    return this.emit(simd(0x00), 0, uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.emit(simd(0x0b), 0, uleb(offset));
  }
  v128Load32Splat(offset = 0): this {
    return this.emit(simd(0x09), 0, uleb(offset));
  }
  /** `local[i] += n` for an i32 local. */
  addTo(i: number, n: number): this {
    return this.get(i).i32(n).emit(op.i32Add).set(i);
  }
  /** `local[i] += local[j]` for i32 locals. */
  addLocal(i: number, j: number): this {
    return this.get(i).get(j).emit(op.i32Add).set(i);
  }
  block(body: () => void): this {
    this.emit(0x02, 0x40);
    body();
    return this.emit(0x0b);
  }
  loop(body: () => void): this {
    this.emit(0x03, 0x40);
    body();
    return this.emit(0x0b);
  }
  /** if (top of stack) { then } else { otherwise } */
  ifElse(then: () => void, otherwise?: () => void): this {
    this.emit(0x04, 0x40);
    then();
    if (otherwise) {
      this.emit(0x05);
      otherwise();
    }
    return this.emit(0x0b);
  }
  br(depth: number): this {
    return this.emit(0x0c, uleb(depth));
  }
  brIf(depth: number): this {
    return this.emit(0x0d, uleb(depth));
  }
  /**
   * for (local[i] = 0; local[i] < local[limit]; local[i] += step) body — as block/loop; inside `body`,
   * a `brIf(1)` leaves the loop and `br(0)` would skip the increment.
   */
  forUp(i: number, limit: number, body: () => void, step = 1): this {
    this.i32(0).set(i);
    return this.block(() =>
      this.loop(() => {
        this.get(i).get(limit).emit(op.i32GeS).brIf(1);
        body();
        this.addTo(i, step).br(0);
      }),
    );
  }
}

/** One exported function: parameter and result types, extra locals (after the parameters), body. */
export interface FunctionSpec {
  readonly name: string;
  readonly params: readonly number[];
  readonly results?: readonly number[];
  readonly locals: readonly number[];
  readonly code: Code;
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/**
 * A module importing memory `env.mem` and exporting `fns`; with `sharedMemory` the import is a shared
 * memory (its buffer a SharedArrayBuffer) of at most 4 GiB.
 */
export function assemble(fns: readonly FunctionSpec[], sharedMemory = false): Uint8Array {
  const types = section(
    1,
    vec(
      fns.map((f) => [
        0x60,
        ...uleb(f.params.length),
        ...f.params,
        ...uleb(f.results?.length ?? 0),
        ...(f.results ?? []),
      ]),
    ),
  );
  const limits = sharedMemory ? [0x03, 1, ...uleb(65536)] : [0x00, 1];
  const imports = section(2, vec([[...name('env'), ...name('mem'), 0x02, ...limits]]));
  const funcs = section(3, vec(fns.map((_, i) => uleb(i))));
  const exports = section(7, vec(fns.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const bodies = fns.map((f) => {
    const groups: number[][] = [];
    for (const t of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = [...vec(groups.map(([n, t]) => [...uleb(n), t])), ...f.code.bytes, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const code = section(10, vec(bodies));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...imports,
    ...funcs,
    ...exports,
    ...code,
  ]);
}
