// The WebAssembly SIMD per-row scaling of the frozen folds against the JS loops it replaces: bit for bit
// on random float32 bit patterns (normal, denormal, zero, infinite and NaN values and factors), for row
// sizes with and without a vector tail, rows longer than the kernel's chunk, and in place.
// The same for results in a Float32Arena (scaled where they lie).

import { expect } from 'chai';
import { scaleRowsJs } from '../../passes/frozen-folding.js';
import {
  Float32Arena,
  batchNormFactorsFloat32,
  scaleRowsFloat32,
  type BatchNormFloat32,
} from '../../src/index.js';

// A deterministic generator of float32 bit patterns: mostly random bits (every exponent, so ~0.4%
// denormals, ~0.4% inf/NaN), plus a share of the special values themselves.
function patterns(n: number, seed: number): Float32Array {
  const bits = new Uint32Array(n);
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
  const special = [
    0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f7fffff,
  ];
  for (let i = 0; i < n; i++) {
    const r = next();
    if (r % 16 === 0) bits[i] = special[(r >>> 4) % special.length];
    else if (r % 16 === 1)
      bits[i] = (next() & 0x807fffff) >>> 0; // a denormal (or zero)
    else if (r % 16 === 2)
      bits[i] = ((next() & 0x80ffffff) | 0x3f000000) >>> 0; // near 1: products stay normal
    else bits[i] = next();
  }
  return new Float32Array(bits.buffer);
}

const bitsOf = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

// Bit-identical, except that a NaN may come back as another NaN (WebAssembly leaves NaN payloads to the
// engine); counts the differences.
function differences(a: Float32Array, b: Float32Array): number {
  const [x, y] = [bitsOf(a), bitsOf(b)];
  let n = 0;
  for (let i = 0; i < a.length; i++) if (x[i] !== y[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) n++;
  return n;
}

describe('scaleRowsFloat32 (WebAssembly SIMD) equals the JS per-row scaling bit for bit', () => {
  const shapes: [number, number][] = [
    [1, 1],
    [7, 1],
    [5, 3],
    [6, 4],
    [9, 5],
    [64, 9],
    [33, 147],
    [4, 4096],
    [3, 16383],
    [2, 16384],
    [2, 16385],
    [2, 40001],
  ];
  for (const op of ['mul', 'div'] as const)
    for (const [rows, rowSize] of shapes)
      it(`${op}: ${rows} rows of ${rowSize}`, () => {
        const src = patterns(rows * rowSize, rows * 7919 + rowSize);
        const factor = Float64Array.from(patterns(rows, rowSize * 31 + rows));
        const expected = new Float32Array(src.length);
        scaleRowsJs(src, expected, factor, rowSize, op);
        const out = new Float32Array(src.length).fill(12345);
        expect(scaleRowsFloat32(src, out, factor, rowSize, op === 'div')).to.equal(true);
        expect(differences(out, expected), 'elements differing').to.equal(0);
        const inPlace = src.slice();
        scaleRowsFloat32(inPlace, inPlace, Float32Array.from(factor), rowSize, op === 'div');
        expect(differences(inPlace, expected), 'in place: elements differing').to.equal(0);
      });

  it('the random values cover denormals, infinities and NaNs of both signs', () => {
    const v = patterns(100000, 1);
    const denormal = v.filter((x) => x !== 0 && Math.abs(x) < 1.1754943508222875e-38).length;
    expect(denormal).to.be.greaterThan(1000);
    expect(v.filter((x) => x === Infinity).length).to.be.greaterThan(100);
    expect(v.filter((x) => x === -Infinity).length).to.be.greaterThan(100);
    expect(v.filter((x) => Number.isNaN(x)).length).to.be.greaterThan(100);
  });

  it('rounds float64 factors to float32 (as ATen casts an operand to the float32 compute dtype)', () => {
    const out = new Float32Array(4);
    scaleRowsFloat32(Float32Array.from([1, 1, 3, 3]), out, Float64Array.from([16777217, 0.1]), 2, false);
    expect([...out]).to.deep.equal([
      16777216,
      16777216,
      Math.fround(3 * Math.fround(0.1)),
      Math.fround(3 * Math.fround(0.1)),
    ]);
  });

  it('leaves an empty tensor alone', () => {
    expect(
      scaleRowsFloat32(new Float32Array(0), new Float32Array(0), new Float64Array(0), 0, false),
    ).to.equal(true);
    expect(scaleRowsFloat32(new Float32Array(0), new Float32Array(0), new Float64Array(3), 0, true)).to.equal(
      true,
    );
  });
});

describe('Float32Arena: folded weights in one shared, never-growing WebAssembly memory', () => {
  it('scales into its arrays in place with the same bits as the JS loops, for every shape and op', () => {
    const shapes: [number, number][] = [
      [1, 1],
      [9, 5],
      [33, 147],
      [3, 16383],
      [2, 16385],
      [2, 40001],
    ];
    const total = shapes.reduce((s, [r, c]) => s + r * c, 0);
    const arena = Float32Arena.create(4 * total + 64 * shapes.length)!;
    expect(arena).to.not.equal(null);
    for (const op of ['mul', 'div'] as const)
      for (const [rows, rowSize] of shapes) {
        const src = patterns(rows * rowSize, rows * 31 + rowSize);
        const factor = Float64Array.from(patterns(rows, rowSize * 7 + rows));
        const expected = new Float32Array(src.length);
        scaleRowsJs(src, expected, factor, rowSize, op);
        const out = arena.take(src.length)!;
        expect(out.buffer, 'an arena array lives in a SharedArrayBuffer').to.be.instanceOf(SharedArrayBuffer);
        expect(
          out.every((x) => x === 0),
          'fresh zeros',
        ).to.equal(true);
        expect(arena.scaleRows(src, out, factor, rowSize, op === 'div')).to.equal(true);
        expect(differences(out, expected), `${op} ${rows}x${rowSize}: elements differing`).to.equal(0);
        const inPlace = arena.take(src.length)!;
        inPlace.set(src);
        expect(arena.scaleRows(inPlace, inPlace, factor, rowSize, op === 'div')).to.equal(true);
        expect(differences(inPlace, expected), `${op} ${rows}x${rowSize} in place`).to.equal(0);
      }
  });

  it('arrays handed out never overlap and stay valid; a request past the capacity gets null', () => {
    const arena = Float32Arena.create(100)!;
    const a = arena.take(10)!;
    const b = arena.take(50)!;
    a.fill(1);
    b.fill(2);
    expect(b.byteOffset % 64, 'aligned to a cache line').to.equal(0);
    expect(b.byteOffset).to.be.at.least(a.byteOffset + a.byteLength);
    expect(a.every((x) => x === 1) && b.every((x) => x === 2)).to.equal(true);
    expect(arena.take(1000)).to.equal(null);
    expect(Float32Arena.create(0)).to.equal(null);
  });

  it('an array from elsewhere, or more rows than its factor area holds, goes through the shared scratch', () => {
    const rows = 120000;
    const arena = Float32Arena.create(2 * rows + 64)!;
    const src = patterns(rows * 2, 5);
    const factor = Float64Array.from(patterns(rows, 6));
    const expected = new Float32Array(src.length);
    scaleRowsJs(src, expected, factor, 2, 'mul');
    const inArena = arena.take(src.length)!;
    expect(arena.scaleRows(src, inArena, factor, 2, false)).to.equal(true);
    expect(differences(inArena, expected)).to.equal(0);
    const elsewhere = new Float32Array(src.length);
    expect(arena.scaleRows(src, elsewhere, factor, 2, false)).to.equal(true);
    expect(differences(elsewhere, expected)).to.equal(0);
  });
});

// fold-conv-bn's float32 steps, one Math.fround per operation (its JS loop).
function batchNormReference(p: BatchNormFloat32, eps: number): { scale: Float32Array; bias: Float32Array } {
  const f = Math.fround;
  const n = p.variance.length;
  const [scale, bias] = [new Float32Array(n), new Float32Array(n)];
  const e = f(eps);
  for (let c = 0; c < n; c++) {
    const inv = f(1 / f(Math.sqrt(f(p.variance[c] + e))));
    const g = p.gamma ? p.gamma[c] : 1;
    scale[c] = g * inv;
    bias[c] = f(f(f((p.bias ? p.bias[c] : 0) - p.mean[c]) * inv) * g) + (p.beta ? p.beta[c] : 0);
  }
  return { scale, bias };
}

describe('batchNormFactorsFloat32 (WebAssembly) equals the per-channel float32 steps of fold-conv-bn', () => {
  const n = 3001;
  const positive = (a: Float32Array): Float32Array => a.map(Math.abs);
  const cases: [string, BatchNormFloat32][] = [
    [
      'all parameters, random bit patterns',
      {
        variance: patterns(n, 11),
        mean: patterns(n, 12),
        gamma: patterns(n, 13),
        beta: patterns(n, 14),
        bias: patterns(n, 15),
      },
    ],
    [
      'non-negative variances, no affine parameters, no conv bias',
      { variance: positive(patterns(n, 21)), mean: patterns(n, 22), gamma: null, beta: null, bias: null },
    ],
  ];
  for (const [what, p] of cases)
    for (const eps of [1e-5, 1e-3, 0])
      it(`${what}, eps ${eps}`, () => {
        const expected = batchNormReference(p, eps);
        const [scale, bias] = [new Float32Array(n).fill(7), new Float32Array(n).fill(7)];
        expect(batchNormFactorsFloat32(p, eps, scale, bias)).to.equal(true);
        expect(differences(scale, expected.scale), 'scale').to.equal(0);
        expect(differences(bias, expected.bias), 'bias').to.equal(0);
        const arena = Float32Arena.create(2 * n + 64)!;
        const [scale2, bias2] = [new Float32Array(n), arena.take(n)!];
        expect(arena.batchNormFactors(p, eps, scale2, bias2)).to.equal(true);
        expect(differences(scale2, expected.scale), 'arena: scale').to.equal(0);
        expect(differences(bias2, expected.bias), 'arena: bias').to.equal(0);
      });
});
