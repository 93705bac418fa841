/**
 * Content equality of constant tensors, as PyTorch's tensorEqual (CSE's EqualNode, constant pooling): equal
 * dtype and shape (the callers' keys) and equal elements, NaN never equal to itself, 0 equal to -0.
 * Verdicts and NaN scans are kept per storage region (the bytes of a contiguous float tensor), not per
 * Tensor object, for one pass run: no pass writes a constant's storage while CSE or pooling runs, but a
 * numerics pass may fold weights in place between runs, so nothing is kept across runs. Two views of the
 * very same bytes are never memcmp'd: constant propagation makes fresh views of merged storages (the
 * in_proj slices of TransformerEncoder's 12 deep-copied layers, whose weights CSE merged), which pooling
 * met as 66 other Tensor objects of the same bytes (19.5M elements compared with themselves).
 */

import { Tensor, holdsNaN } from '../src/index.js';

type FloatElements = Float32Array | Float64Array;

/** What is known of one region of a storage: whether it holds a NaN, its verdicts against other regions. */
interface Region {
  nan: boolean | undefined;
  readonly verdicts: Map<Region, boolean>;
}

/** The equality verdicts of constant tensors during one pass run (see the file comment). */
export class TensorEquality {
  private readonly regions = new Map<ArrayBufferLike, Map<string, Region>>();
  private readonly pairs = new Map<Tensor, Map<Tensor, boolean>>();

  /**
   * The elements of two tensors of equal dtype and shape are equal. Two views of the same bytes are equal
   * unless those hold a NaN; other regions are compared once (memcmp, then an element loop only when the
   * bytes differ: 0 and -0).
   */
  same(s: Tensor, t: Tensor): boolean {
    if (s === t) return true;
    const p = floatElements(s);
    const q = floatElements(t);
    if (!p || !q || p.length !== q.length || p.constructor !== q.constructor) return this.byElement(s, t);
    const a = this.region(p);
    const b = this.region(q);
    if (a === b) return !this.holdsNaN(b, q);
    let same = a.verdicts.get(b);
    if (same === undefined) {
      // Equal bytes are equal numbers unless one is NaN; different bytes may still be equal numbers.
      same = sameBytes(p, q) ? !this.holdsNaN(b, q) : sameNumbers(p, q);
      a.verdicts.set(b, same);
      b.verdicts.set(a, same);
    }
    return same;
  }

  // Tensors not read as one float region (other dtypes, strided views), compared once per pair of objects.
  private byElement(s: Tensor, t: Tensor): boolean {
    let verdicts = this.pairs.get(s);
    if (!verdicts) this.pairs.set(s, (verdicts = new Map()));
    let same = verdicts.get(t);
    if (same === undefined) verdicts.set(t, (same = sameByElement(s, t)));
    return same;
  }

  private region(elements: FloatElements): Region {
    let byPlace = this.regions.get(elements.buffer);
    if (!byPlace) this.regions.set(elements.buffer, (byPlace = new Map()));
    const place = `${elements.byteOffset}:${elements.length}:${elements.BYTES_PER_ELEMENT}`;
    let region = byPlace.get(place);
    if (!region) byPlace.set(place, (region = { nan: undefined, verdicts: new Map() }));
    return region;
  }

  // WebAssembly SIMD over the big ones (holdsNaN): transformer_12x768's 8.9M kept elements, 15.7 -> ~8 ms.
  private holdsNaN(region: Region, elements: FloatElements): boolean {
    return (region.nan ??= holdsNaN(elements, elements instanceof Float32Array ? 'float32' : 'float64'));
  }
}

// dtype, shape, device and a hash of the elements: equal tensors hash alike (collisions are checked later).
// Equal tensors must hash equal; unequal ones may collide (TensorEquality decides, and the callers keep
// every unequal node of a key, so a collision costs a comparison, never a missed merge). So the hash
// reads at most HASH_RUNS runs of HASH_RUN consecutive elements, evenly spaced from the first element
// to the last — a frozen resnet18 holds 11M weights — and is cached per tensor object. Runs rather than
// single elements spread out: one strided read per element cost a cache and TLB miss each (~13 ms on
// resnet50's 25M weights), a run costs one. 16 runs of 16 tell trained weights apart as well as 64 of 64
// did, and the loop runs cold (resnet50: 320 tensors, 1M elements read at 64x64, ~13 ms of CSE).
const HASH_RUNS = 16;
const HASH_RUN = 16;
const tensorHashes = new WeakMap<Tensor, string>();

/** A key equal for equal tensors (dtype, shape, device, sampled elements); unequal ones may collide. */
export function tensorHash(t: Tensor): string {
  const cached = tensorHashes.get(t);
  if (cached) return cached;
  let h = 0x811c9dc5;
  const n = t.numel;
  const direct = floatElements(t);
  const runs = n <= HASH_RUNS * HASH_RUN ? 1 : HASH_RUNS;
  const run = runs === 1 ? n : HASH_RUN;
  for (let k = 0; k < runs; k++) {
    const start = runs === 1 ? 0 : Math.floor((k * (n - run)) / (runs - 1));
    if (direct)
      for (let i = start; i < start + run; i++) h = Math.imul((h ^ (direct[i] * 65521)) | 0, 0x01000193);
    else
      for (let i = start; i < start + run; i++) h = Math.imul((h ^ (t.getNumber(i) * 65521)) | 0, 0x01000193);
  }
  const key = `${t.dtype}[${t.shape.join(',')}]@${t.device}#${(h >>> 0).toString(16)}`;
  tensorHashes.set(t, key);
  return key;
}

// The elements of a contiguous float32/float64 tensor, in row-major order, read straight from storage
// (the same numbers getNumber/getFlat give, without computing a storage index per element).
function floatElements(t: Tensor): FloatElements | undefined {
  if ((t.dtype !== 'float32' && t.dtype !== 'float64') || !t.isContiguous) return undefined;
  return (t.storage.data as FloatElements).subarray(t.offset, t.offset + t.numel);
}

function sameByElement(s: Tensor, t: Tensor): boolean {
  for (let i = 0; i < s.numel; i++) if (s.getFlat(i) !== t.getFlat(i)) return false;
  return true;
}

function sameNumbers(p: FloatElements, q: FloatElements): boolean {
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false;
  return true;
}

// Byte-wise equality of two typed arrays (a memcmp: an element loop over the 12 equal layers' weights of
// a TransformerEncoder spent most of a second).
function sameBytes(p: FloatElements, q: FloatElements): boolean {
  const a = new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
  const b = new Uint8Array(q.buffer, q.byteOffset, q.byteLength);
  return Buffer.compare(a, b) === 0;
}
