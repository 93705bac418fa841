// The WebAssembly SIMD NaN scan (CSE's and pooling's "does this constant hold a NaN") against the JS
// reference and against known bit patterns: a NaN of every sign and payload (quiet, signalling, negative)
// at every position class (each lane of a 64-byte step, the vector and element tail, the first and last
// element of a 64 KiB chunk, a short last chunk), in float32, float64, float16 and bfloat16; infinities,
// denormals, zeros and the largest finite values are no NaN; views at unaligned offsets.

import { expect } from 'chai';
import { holdsNaN, holdsNaNJs, type NaNScanFormat } from '../../src/index.js';
import { nanScanKernelAvailable } from '../../src/runtime/kernels/nan-scan-wasm.js';

interface Format {
  readonly name: NaNScanFormat;
  readonly bytes: number;
  /** NaN bit patterns: quiet, signalling, negative, largest payload. */
  readonly nans: readonly bigint[];
  /** Bit patterns that are no NaN: +-inf, +-0, smallest denormal, largest finite. */
  readonly others: readonly bigint[];
}

const FORMATS: readonly Format[] = [
  {
    name: 'float32',
    bytes: 4,
    nans: [0x7fc00000n, 0x7f800001n, 0xffc00000n, 0xff800001n, 0x7fffffffn, 0xffffffffn, 0x7fa00000n],
    others: [0x7f800000n, 0xff800000n, 0n, 0x80000000n, 1n, 0x807fffffn, 0x7f7fffffn, 0xff7fffffn],
  },
  {
    name: 'float64',
    bytes: 8,
    nans: [
      0x7ff8000000000000n,
      0x7ff0000000000001n,
      0xfff8000000000000n,
      0xfff0000000000001n,
      0x7fffffffffffffffn,
      0x7ff0000100000000n,
    ],
    others: [0x7ff0000000000000n, 0xfff0000000000000n, 0n, 0x8000000000000000n, 1n, 0x7fefffffffffffffn],
  },
  {
    name: 'float16',
    bytes: 2,
    nans: [0x7e00n, 0x7c01n, 0xfe00n, 0xfc01n, 0x7fffn, 0xffffn],
    others: [0x7c00n, 0xfc00n, 0n, 0x8000n, 1n, 0x7bffn, 0xfbffn, 0x3c00n],
  },
  {
    name: 'bfloat16',
    bytes: 2,
    nans: [0x7fc0n, 0x7f81n, 0xffc0n, 0xff81n, 0x7fffn, 0xffffn],
    others: [0x7f80n, 0xff80n, 0n, 0x8000n, 1n, 0x7f7fn, 0xff7fn, 0x7c01n],
  },
];

// `n` elements of `f` filled with its no-NaN patterns in turn, in a buffer starting `skew` elements in.
function filled(f: Format, n: number, skew = 0): Float32Array | Float64Array | Uint16Array {
  const buffer = new ArrayBuffer((n + skew) * f.bytes);
  const elements =
    f.bytes === 4
      ? new Float32Array(buffer, skew * 4, n)
      : f.bytes === 8
        ? new Float64Array(buffer, skew * 8, n)
        : new Uint16Array(buffer, skew * 2, n);
  const pattern = new Uint8Array(f.others.length * f.bytes);
  const view = new DataView(pattern.buffer);
  f.others.forEach((bits, i) => put(f, view, i, bits));
  const bytes = new Uint8Array(buffer, skew * f.bytes, n * f.bytes);
  for (let at = 0; at < bytes.length; at += pattern.length)
    bytes.set(pattern.subarray(0, Math.min(pattern.length, bytes.length - at)), at);
  return elements;
}

function viewOf(elements: Float32Array | Float64Array | Uint16Array): DataView {
  return new DataView(elements.buffer, elements.byteOffset, elements.byteLength);
}

function put(f: Format, view: DataView, i: number, bits: bigint): void {
  if (f.bytes === 8) view.setBigUint64(i * 8, bits, true);
  else if (f.bytes === 4) view.setUint32(i * 4, Number(bits), true);
  else view.setUint16(i * 2, Number(bits), true);
}

// Positions worth a NaN in an array of n elements of `size` bytes: every lane of the first and last
// 64-byte step, the element tail, both sides of every 64 KiB chunk boundary, the last element.
function positions(n: number, size: number): number[] {
  const step = 64 / size;
  const chunk = 65536 / size;
  const at = new Set<number>();
  for (let i = 0; i < step; i++) {
    at.add(i);
    at.add(Math.floor(n / step) * step - step + i);
    at.add(Math.floor(n / step) * step + i);
  }
  for (let c = chunk; c < n + chunk; c += chunk) for (const d of [-2, -1, 0, 1]) at.add(c + d);
  at.add(n - 1);
  return [...at].filter((i) => i >= 0 && i < n).sort((a, b) => a - b);
}

describe('holdsNaN (WebAssembly SIMD NaN scan)', () => {
  it('takes the WebAssembly kernel here (else the tests below would only test the JS loop)', () => {
    expect(nanScanKernelAvailable()).to.equal(true);
  });

  for (const f of FORMATS) {
    // Sizes: below the kernel's threshold, whole 64-byte steps, vector and element tails, several chunks
    // with a short last one, exactly two chunks.
    const sizes = [1, 7, 4096 / f.bytes, 16384 / f.bytes + 1, 65536 / f.bytes, 3 * (65536 / f.bytes) + 37];
    for (const n of sizes) {
      it(`${f.name}: n=${n}, a NaN of each payload at every position class`, () => {
        const clean = filled(f, n, 1);
        expect(holdsNaN(clean, f.name), 'clean').to.equal(false);
        expect(holdsNaNJs(clean, f.name), 'clean (JS)').to.equal(false);
        const at = positions(n, f.bytes);
        for (let k = 0; k < at.length; k++) {
          const nan = f.nans[k % f.nans.length];
          const elements = filled(f, n, k % 3);
          put(f, viewOf(elements), at[k], nan);
          const where = `NaN 0x${nan.toString(16)} at ${at[k]}`;
          expect(holdsNaN(elements, f.name), where).to.equal(true);
          expect(holdsNaNJs(elements, f.name), `${where} (JS)`).to.equal(true);
        }
      });
    }

    it(`${f.name}: every NaN payload alone in a large array, and every no-NaN pattern`, () => {
      const n = 100003;
      for (const nan of f.nans) {
        const elements = filled(f, n);
        put(f, viewOf(elements), 54321, nan);
        expect(holdsNaN(elements, f.name), `0x${nan.toString(16)}`).to.equal(true);
      }
      for (const other of f.others) {
        const elements = filled(f, n);
        const view = viewOf(elements);
        for (let i = 0; i < n; i++) put(f, view, i, other);
        expect(holdsNaN(elements, f.name), `0x${other.toString(16)}`).to.equal(false);
      }
    });
  }

  it('float32/float64: the same answer as includes(NaN) on random bit patterns', () => {
    let s = 12345;
    const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
    for (let trial = 0; trial < 40; trial++) {
      const n = 5000 + (next() % 30000);
      const bits = new Uint32Array(n);
      // Mostly finite values; now and then exponent bits all set (an infinity or a NaN).
      for (let i = 0; i < n; i++) bits[i] = next() % 50000 === 0 ? next() | 0x7f800000 : next() & 0xbfffffff;
      const f32 = new Float32Array(bits.buffer);
      expect(holdsNaN(f32, 'float32'), `f32 trial ${trial}`).to.equal(f32.includes(NaN));
      const f64 = new Float64Array(bits.buffer, 0, n >> 1);
      expect(holdsNaN(f64, 'float64'), `f64 trial ${trial}`).to.equal(f64.includes(NaN));
    }
  });

  it('leaves the array unchanged', () => {
    const a = new Float32Array(70000).map((_, i) => i * 0.5);
    a[69999] = NaN;
    const before = Buffer.from(a.buffer).toString('hex');
    expect(holdsNaN(a, 'float32')).to.equal(true);
    expect(Buffer.from(a.buffer).toString('hex')).to.equal(before);
  });
});
