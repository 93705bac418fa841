// A WebAssembly SIMD macro-kernel for float32 GEMM, assembled here byte by byte (no toolchain): it walks
// packed A panels (4 rows) and B panels (8 columns) in its linear memory and accumulates 4x8 tiles with
// f32x4 multiply/add into a C block, 8 vector accumulators kept in registers. The JS side (gemm.ts)
// packs into that memory and adds the C block into the destination. Absent SIMD support it is unused.

/** Rows of A per micro-tile and columns of B per micro-tile of the WASM kernel. */
export const WASM_MR = 4;
export const WASM_NR = 8;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
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

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function str(s: string): number[] {
  return [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
}

// Opcodes used below.
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_MUL = 0x6c;
const I32_GE_U = 0x4f;
const I32_EQZ = 0x45;
const BLOCK = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00];
const V128_STORE = [SIMD, 0x0b];
const V128_LOAD32_SPLAT = [SIMD, 0x09];
const V128_CONST = [SIMD, 0x0c];
const F32X4_ADD = [SIMD, ...uleb(0xe4)];
const F32X4_MUL = [SIMD, ...uleb(0xe6)];

// Parameters: kc, mPanels, nPanels, aBase, bBase, cBase, ldc (bytes per C-block row).
const P_KC = 0;
const P_MP = 1;
const P_NP = 2;
const P_A = 3;
const P_B = 4;
const P_C = 5;
const P_LDC = 6;
// i32 locals.
const L_PJ = 7;
const L_PI = 8;
const L_K = 9;
const L_AP = 10;
const L_BP = 11;
const L_CP = 12;
// v128 locals: 8 accumulators, two B vectors, one splatted A value.
const V_ACC = 13;
const V_B0 = 21;
const V_B1 = 22;
const V_A = 23;

function get(i: number): number[] {
  return [LOCAL_GET, ...uleb(i)];
}
function set(i: number): number[] {
  return [LOCAL_SET, ...uleb(i)];
}
function memarg(offset: number): number[] {
  return [0, ...uleb(offset)];
}

function body(): number[] {
  const code: number[] = [];
  const emit = (...parts: (number | number[])[]): void => {
    for (const p of parts) {
      if (typeof p === 'number') code.push(p);
      else code.push(...p);
    }
  };
  emit(I32_CONST, 0, set(L_PJ));
  emit(BLOCK, VOID, LOOP, VOID);
  emit(get(L_PJ), get(P_NP), I32_GE_U, BR_IF, 1);
  emit(I32_CONST, 0, set(L_PI));
  emit(BLOCK, VOID, LOOP, VOID);
  emit(get(L_PI), get(P_MP), I32_GE_U, BR_IF, 1);
  for (let i = 0; i < 8; i++) emit(V128_CONST, new Array<number>(16).fill(0), set(V_ACC + i));
  // a = aBase + pi * kc * 16; b = bBase + pj * kc * 32; k = kc
  emit(get(P_A), get(L_PI), get(P_KC), I32_MUL, I32_CONST, 16, I32_MUL, I32_ADD, set(L_AP));
  emit(get(P_B), get(L_PJ), get(P_KC), I32_MUL, I32_CONST, ...sleb(32), I32_MUL, I32_ADD, set(L_BP));
  emit(get(P_KC), set(L_K));
  emit(BLOCK, VOID, LOOP, VOID);
  emit(get(L_K), I32_EQZ, BR_IF, 1);
  emit(get(L_BP), V128_LOAD, memarg(0), set(V_B0));
  emit(get(L_BP), V128_LOAD, memarg(16), set(V_B1));
  for (let r = 0; r < 4; r++) {
    emit(get(L_AP), V128_LOAD32_SPLAT, memarg(4 * r), set(V_A));
    emit(get(V_ACC + 2 * r), get(V_A), get(V_B0), F32X4_MUL, F32X4_ADD, set(V_ACC + 2 * r));
    emit(get(V_ACC + 2 * r + 1), get(V_A), get(V_B1), F32X4_MUL, F32X4_ADD, set(V_ACC + 2 * r + 1));
  }
  emit(get(L_AP), I32_CONST, 16, I32_ADD, set(L_AP));
  emit(get(L_BP), I32_CONST, ...sleb(32), I32_ADD, set(L_BP));
  emit(get(L_K), I32_CONST, 1, I32_SUB, set(L_K));
  emit(BR, 0, END, END);
  // c = cBase + pi * 4 * ldc + pj * 32; add the tile into the C block row by row.
  emit(
    get(P_C),
    get(L_PI),
    I32_CONST,
    4,
    I32_MUL,
    get(P_LDC),
    I32_MUL,
    I32_ADD,
    get(L_PJ),
    I32_CONST,
    ...sleb(32),
    I32_MUL,
    I32_ADD,
    set(L_CP),
  );
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) {
      emit(
        get(L_CP),
        get(L_CP),
        V128_LOAD,
        memarg(16 * h),
        get(V_ACC + 2 * r + h),
        F32X4_ADD,
        V128_STORE,
        memarg(16 * h),
      );
    }
    emit(get(L_CP), get(P_LDC), I32_ADD, set(L_CP));
  }
  emit(get(L_PI), I32_CONST, 1, I32_ADD, set(L_PI));
  emit(BR, 0, END, END);
  emit(get(L_PJ), I32_CONST, 1, I32_ADD, set(L_PJ));
  emit(BR, 0, END, END);
  emit(END);
  return code;
}

function moduleBytes(): Uint8Array {
  const i32 = 0x7f;
  const v128 = 0x7b;
  const type = section(1, [1, 0x60, 7, ...new Array<number>(7).fill(i32), 0]);
  const imports = section(2, [1, ...str('env'), ...str('mem'), 0x02, 0x00, 1]);
  const funcs = section(3, [1, 0]);
  const exports = section(7, [1, ...str('block'), 0x00, 0]);
  const locals = [2, 6, i32, 11, v128];
  const fn = [...locals, ...body()];
  const code = section(10, [1, ...uleb(fn.length), ...fn]);
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...type,
    ...imports,
    ...funcs,
    ...exports,
    ...code,
  ]);
}

/** The instantiated kernel and the memory it works in. */
export interface WasmGemm {
  /** Runs the macro-kernel over mPanels x nPanels tiles (all offsets in bytes). */
  block(
    kc: number,
    mPanels: number,
    nPanels: number,
    aBase: number,
    bBase: number,
    cBase: number,
    ldcBytes: number,
  ): void;
  /** Grows memory to at least `bytes`; returns a fresh Float32Array over all of it. */
  floats(bytes: number): Float32Array;
}

// The slice of the WebAssembly JS API used here (the compile target's lib has no WebAssembly types).
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number }) => {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

function instantiate(): WasmGemm | null {
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (wasm === undefined) return null;
    const bytes = moduleBytes();
    if (!wasm.validate(bytes)) return null;
    const memory = new wasm.Memory({ initial: 1 });
    const instance = new wasm.Instance(new wasm.Module(bytes), { env: { mem: memory } });
    const block = instance.exports.block as WasmGemm['block'];
    let view = new Float32Array(memory.buffer);
    return {
      block,
      floats(need: number): Float32Array {
        if (memory.buffer.byteLength < need)
          memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
        if (view.buffer !== memory.buffer || view.length * 4 !== memory.buffer.byteLength)
          view = new Float32Array(memory.buffer);
        return view;
      },
    };
  } catch {
    return null;
  }
}

let cached: WasmGemm | null | undefined;

/** The WASM SIMD kernel, or null where WebAssembly SIMD is unavailable (set TSFREEZE_NO_WASM=1 to disable). */
export function wasmGemm(): WasmGemm | null {
  if (cached === undefined) cached = process.env.TSFREEZE_NO_WASM ? null : instantiate();
  return cached;
}
