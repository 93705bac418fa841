// The zoo's output check: our outputs against the float64 reference, allowed twice PyTorch's own float32
// error plus a small absolute slack. Complex leaves follow the same rule (complex128 reference, complex64
// error, |a - b| of complex values); other leaves must equal PyTorch's exactly. Score-ranked records
// (detections) are first aligned to the reference's rows within ties (record-alignment.ts); their integer
// leaves then equal the reference's exactly.

import { DTYPES, Tensor, Tuple, cloneContiguous, toDType, type IValue } from '../../src/index.js';
import { alignRecords, findRecordGroups, permuteRows } from './record-alignment.js';

/** The elements of a real tensor as float64, row-major. */
function float64Elements(t: Tensor): Float64Array {
  return cloneContiguous(toDType(t, 'float64')).storage.data as Float64Array;
}

/** The elements of a tensor as complex128, row-major: [re, im] pairs (a real tensor gets im 0). */
function complex128Elements(t: Tensor): Float64Array {
  return cloneContiguous(toDType(t, 'complex128')).storage.data as Float64Array;
}

const isComplex = (t: Tensor): boolean => DTYPES[t.dtype].isComplex;

/** One leaf of a value: its path (output.0.boxes uses positions and dict keys) and the value there. */
export interface Leaf {
  readonly path: string;
  readonly value: IValue;
}

/** Leaves in tree order, paths as scripts/zoo/values.py builds them. */
export function leavesOf(value: IValue, path = 'output', out: Leaf[] = []): Leaf[] {
  if (value instanceof Tuple) value.items.forEach((v, i) => leavesOf(v, `${path}.${i}`, out));
  else if (Array.isArray(value)) value.forEach((v, i) => leavesOf(v, `${path}.${i}`, out));
  else if (value instanceof Map) for (const [k, v] of value) leavesOf(v, `${path}.${String(k)}`, out);
  else out.push({ path, value });
  return out;
}

/**
 * Largest |a - b| over two float or complex tensors of one shape, complex elements by the modulus of
 * their difference (NaN in both places counts as equal, as in scripts/zoo/values.py's max_error).
 */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (isComplex(a) || isComplex(b)) return maxComplexDiff(complex128Elements(a), complex128Elements(b));
  const x = float64Elements(a);
  const y = float64Elements(b);
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === y[i] || (Number.isNaN(x[i]) && Number.isNaN(y[i]))) continue;
    const d = Math.abs(x[i] - y[i]);
    if (!(d <= worst)) worst = d; // NaN on one side only makes the error NaN, i.e. a failure
  }
  return worst;
}

function maxComplexDiff(x: Float64Array, y: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < x.length; i += 2) {
    const [ar, ai, br, bi] = [x[i], x[i + 1], y[i], y[i + 1]];
    if (ar === br && ai === bi) continue;
    // torch.isnan of a complex value: either part is NaN
    if ((Number.isNaN(ar) || Number.isNaN(ai)) && (Number.isNaN(br) || Number.isNaN(bi))) continue;
    const d = Math.hypot(ar - br, ai - bi);
    if (!(d <= worst)) worst = d; // NaN on one side only makes the error NaN, i.e. a failure
  }
  return worst;
}

function maxAbs(t: Tensor): number {
  let m = 0;
  if (isComplex(t)) {
    const z = complex128Elements(t);
    for (let i = 0; i < z.length; i += 2) {
      const v = Math.hypot(z[i], z[i + 1]);
      if (Number.isFinite(v) && v > m) m = v;
    }
    return m;
  }
  for (const v of float64Elements(t)) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/** How one leaf compared. */
export interface LeafCheck {
  readonly path: string;
  readonly ok: boolean;
  /** Our max error against the reference (float and complex leaves). */
  readonly error?: number;
  /** PyTorch's own float32 (complex64) error on the same leaf. */
  readonly torchError?: number;
  /** What the error had to stay below. */
  readonly limit?: number;
  readonly problem?: string;
  /** Why a leaf passed under a special rule (keypoints at heatmap ties). */
  readonly note?: string;
}

/** Everything the output check needs for one run. */
export interface CompareInputs {
  readonly ours: IValue;
  /** float64 / complex128 reference, or null when PyTorch could not compute one (then `torchOutput` stands in). */
  readonly reference: IValue | null;
  /** PyTorch's float32 output of the same run (exact target of leaves neither float nor complex). */
  readonly torchOutput: IValue;
  /** PyTorch's float32 / complex64 error per float or complex leaf path. */
  readonly torchErrors: Readonly<Record<string, number | null>>;
  /** Absolute slack, times (1 + max |reference|). */
  readonly atol: number;
}

/** Float and complex tensors: compared against the reference with a tolerance, not exactly. */
const isInexactTensor = (v: IValue): v is Tensor =>
  v instanceof Tensor && (DTYPES[v.dtype].isFloatingPoint || DTYPES[v.dtype].isComplex);

function describeLeaf(v: IValue): string {
  if (v instanceof Tensor) return `Tensor ${v.dtype} [${v.shape.join(', ')}]`;
  return v === null ? 'None' : `${typeof v} ${String(v)}`;
}

function sameScalar(a: IValue, b: IValue): boolean {
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || Math.abs(a - b) <= 1e-6 * (1 + Math.abs(b));
  if (typeof a === 'bigint' || typeof b === 'bigint') return String(a) === String(b);
  return a === b;
}

function sameTensor(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join()) return false;
  return maxAbsDiff(a, b) === 0;
}

/** Score-ranked records of ours put in the reference's row order; see record-alignment.ts. */
interface Aligned {
  /** Our leaves, with the rows of every aligned record group permuted. */
  readonly ours: readonly Leaf[];
  /** Exact leaves of aligned groups: compared with the reference's value, not PyTorch's. */
  readonly againstReference: Set<string>;
  /** Exact leaves of groups that could not be aligned, with why. */
  readonly problems: Map<string, string>;
}

function alignToReference(ours: readonly Leaf[], reference: Leaf[], input: CompareInputs): Aligned {
  const againstReference = new Set<string>();
  const problems = new Map<string, string>();
  const tensors = (ls: readonly Leaf[]): Map<string, Tensor> =>
    new Map(ls.filter((l) => l.value instanceof Tensor).map((l) => [l.path, l.value as Tensor]));
  const ourTensors = tensors(ours);
  const refTensors = tensors(reference);
  const permuted = new Map<string, Tensor>();
  for (const group of findRecordGroups(reference)) {
    const refKey = refTensors.get(group.key)!;
    const keyError = input.reference === null ? 0 : (input.torchErrors[group.key] ?? 0);
    const tolerance = 2 * keyError + input.atol * (1 + maxAbs(refKey));
    const alignment = alignRecords(group, ourTensors, refTensors, tolerance);
    const exact = group.rows.filter((p) => !isInexactTensor(refTensors.get(p)!));
    if ('problem' in alignment) {
      for (const p of exact) problems.set(p, alignment.problem);
      continue;
    }
    for (const p of group.rows) permuted.set(p, permuteRows(ourTensors.get(p)!, alignment.perm));
    for (const p of exact) againstReference.add(p);
  }
  const aligned = ours.map((l) => ({ path: l.path, value: permuted.get(l.path) ?? l.value }));
  return { ours: aligned, againstReference, problems };
}

/**
 * Keypoints (keypointrcnn: `keypoints` [N, K, 3] beside `keypoints_scores` [N, K]) are the argmax of a
 * heatmap: where two peaks tie within float32 noise, a rounding difference moves the keypoint to the
 * other peak (a jump of at least half a pixel, not an error of 1e-5). Such a keypoint is excused when its score (the
 * heatmap value at the chosen pixel) still equals the reference's within that leaf's limit, so the
 * chosen peak is as high as the reference's; at most 1 keypoint in 200 (at least one) may be excused,
 * so a systematic error still fails. Returns the check of the remaining keypoints, or undefined when
 * the rule does not apply.
 */
function keypointTies(
  path: string,
  got: Tensor,
  ref: Tensor,
  leaves: { ours: ReadonlyMap<string, IValue>; reference: ReadonlyMap<string, IValue> },
  limitOf: (path: string, ref: Tensor) => number,
): LeafCheck | undefined {
  if (!path.endsWith('.keypoints') || ref.shape.length !== 3 || ref.shape[2] !== 3) return undefined;
  const scoresPath = `${path}_scores`;
  const [ourScores, refScores] = [leaves.ours.get(scoresPath), leaves.reference.get(scoresPath)];
  if (!(ourScores instanceof Tensor) || !(refScores instanceof Tensor)) return undefined;
  const [n, k] = ref.shape;
  if (refScores.shape.join() !== `${n},${k}` || ourScores.shape.join() !== `${n},${k}`) return undefined;
  const limit = limitOf(path, ref);
  const scoreLimit = limitOf(scoresPath, refScores);
  const [x, y] = [float64Elements(got), float64Elements(ref)];
  const [gs, rs] = [float64Elements(ourScores), float64Elements(refScores)];
  let error = 0;
  const excused: string[] = [];
  for (let i = 0; i < n * k; i++) {
    let d = 0;
    for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(x[3 * i + c] - y[3 * i + c]));
    if (!(d > limit)) {
      error = Math.max(error, d);
      continue;
    }
    // torchvision upsamples a box's heatmap to the box's size in pixels (ceil), so the peaks sit on a grid
    // of pitch in (0.5, 1]: a jump to another peak moves x or y by at least half a pixel.
    if (!(d >= 0.5) || !(Math.abs(gs[i] - rs[i]) <= scoreLimit)) return undefined;
    excused.push(
      `[${Math.floor(i / k)}, ${i % k}] moved ${d.toPrecision(3)} at score ${rs[i].toPrecision(8)}`,
    );
  }
  if (!excused.length || excused.length > Math.max(1, Math.floor((n * k) / 200))) return undefined;
  const note = `${excused.length} keypoint(s) at a heatmap tie (score within ${scoreLimit.toExponential(2)}): ${excused.join('; ')}`;
  return { path, ok: true, error, limit, note };
}

/** Compares every leaf; the result lists each leaf (ok or with its problem). */
export function compareOutputs(input: CompareInputs): LeafCheck[] {
  const torch = leavesOf(input.torchOutput);
  const reference = input.reference === null ? torch : leavesOf(input.reference);
  const paths = (ls: readonly Leaf[]): string => ls.map((l) => l.path).join(', ');
  const unaligned = leavesOf(input.ours);
  if (paths(unaligned) !== paths(torch)) {
    return [
      {
        path: 'output',
        ok: false,
        problem: `structure: ours (${paths(unaligned)}) vs PyTorch (${paths(torch)})`,
      },
    ];
  }
  const { ours, againstReference, problems } = alignToReference(unaligned, reference, input);
  const refByPath = new Map(reference.map((l) => [l.path, l.value]));
  const ourByPath = new Map(ours.map((l) => [l.path, l.value]));
  const torchErrorOf = (path: string): number =>
    input.reference === null ? 0 : (input.torchErrors[path] ?? 0);
  const limitOf = (path: string, ref: Tensor): number =>
    2 * torchErrorOf(path) + input.atol * (1 + maxAbs(ref));
  return ours.map((leaf, i): LeafCheck => {
    const ref = refByPath.get(leaf.path);
    const want = againstReference.has(leaf.path) && ref !== undefined ? ref : torch[i].value;
    const got = leaf.value;
    const problem = problems.get(leaf.path);
    if (problem) return { path: leaf.path, ok: false, problem };
    if (isInexactTensor(want) && ref instanceof Tensor && isInexactTensor(ref)) {
      if (!(got instanceof Tensor) || got.dtype !== want.dtype || got.shape.join() !== want.shape.join())
        return { path: leaf.path, ok: false, problem: `${describeLeaf(got)}, PyTorch ${describeLeaf(want)}` };
      if (ref.shape.join() !== got.shape.join())
        return { path: leaf.path, ok: false, problem: `reference has shape [${ref.shape.join(', ')}]` };
      const torchError = torchErrorOf(leaf.path);
      const error = maxAbsDiff(got, ref);
      const limit = limitOf(leaf.path, ref);
      if (!(error <= limit)) {
        const ties = keypointTies(leaf.path, got, ref, { ours: ourByPath, reference: refByPath }, limitOf);
        if (ties) return { ...ties, torchError };
      }
      return { path: leaf.path, ok: error <= limit, error, torchError, limit };
    }
    if (want instanceof Tensor) {
      const ok = got instanceof Tensor && sameTensor(got, want);
      return ok
        ? { path: leaf.path, ok }
        : {
            path: leaf.path,
            ok,
            problem: `${describeLeaf(got)} differs from PyTorch's ${describeLeaf(want)}`,
          };
    }
    const ok = sameScalar(got, want);
    return ok
      ? { path: leaf.path, ok }
      : { path: leaf.path, ok, problem: `${describeLeaf(got)}, PyTorch ${describeLeaf(want)}` };
  });
}

/** Node kinds of a graph's counts that differ (prim::Constant aside: pooling constants is cosmetic). */
export function countDifferences(
  ours: Readonly<Record<string, number>>,
  torch: Readonly<Record<string, number>>,
): string[] {
  const kinds = new Set([...Object.keys(ours), ...Object.keys(torch)]);
  kinds.delete('prim::Constant');
  return [...kinds]
    .sort()
    .filter((k) => (ours[k] ?? 0) !== (torch[k] ?? 0))
    .map((k) => `${k} ${ours[k] ?? 0} vs ${torch[k] ?? 0}`);
}

/**
 * The counts step: ours against PyTorch's frozen counts. PyTorch 1.13's own counts depend on glibc's
 * allocator (its constant propagation keeps an AliasDb keyed by Value addresses while destroying
 * values; a constant allocated at a freed value's address may "have writers" and stay unfolded:
 * docs/zoo.md), so counts PyTorch gives when freed memory is never reused (`countsNoReuse`) are accepted too,
 * and the detail says so.
 */
export function countsVerdict(
  ours: Readonly<Record<string, number>>,
  counts: Readonly<Record<string, number>>,
  countsNoReuse?: Readonly<Record<string, number>>,
): { readonly status: 'pass' | 'fail'; readonly detail?: string } {
  const differences = countDifferences(ours, counts);
  if (!differences.length) return { status: 'pass' };
  if (countsNoReuse && !countDifferences(ours, countsNoReuse).length)
    return {
      status: 'pass',
      detail: `equal to PyTorch's counts without heap address reuse (allocator-dependent in PyTorch: ${differences.join(', ')})`,
    };
  return { status: 'fail', detail: differences.join(', ') };
}
