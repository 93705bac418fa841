// Recurrent layers as aten::lstm / aten::gru / aten::rnn_tanh / aten::rnn_relu run them (the input
// overloads: num_layers, bidirectional, batch_first, LSTM projections, inter-layer dropout in training),
// plus the single-step cells. Gate order: LSTM i, f, g, o; GRU r, z, n. Math in double, cast at the end.

import { RuntimeError } from '../../errors.js';
import { DTYPES, type DType } from '../../tensor/dtype.js';
import { contiguous, toDType } from '../../tensor/convert.js';
import { Tensor } from '../../tensor/tensor.js';
import { select, squeeze, transpose, unsqueeze } from '../../tensor/views.js';
import { dropout } from './dropout.js';
import { gemm } from './gemm.js';
import { stack } from './shape.js';

/** Which recurrence. */
export type Mode = 'lstm' | 'gru' | 'rnn_tanh' | 'rnn_relu';

const GATES: Record<Mode, number> = { lstm: 4, gru: 3, rnn_tanh: 1, rnn_relu: 1 };

/** A tensor's elements as a fresh contiguous float64 array. */
export function f64(t: Tensor): Float64Array {
  return contiguous(toDType(t, 'float64', true)).storage.data as Float64Array;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** One direction's weights, as float64 arrays. */
export interface Weights {
  wih: Float64Array;
  whh: Float64Array;
  bih: Float64Array | null;
  bhh: Float64Array | null;
  whr: Float64Array | null;
  inSize: number;
}

/**
 * Runs one direction of one layer over x [T, B, I] (float64, time-major) from h0 [B, Hout] (and c0 [B, H]),
 * returning the outputs [T, B, Hout] and the final states. With `batchSizes` (packed sequences, sorted
 * longest first) only the first batchSizes[t] rows step at time t; the others keep their state.
 */
export function runDirection(
  mode: Mode,
  x: Float64Array,
  T: number,
  B: number,
  w: Weights,
  H: number,
  Hout: number,
  h0: Float64Array,
  c0: Float64Array | null,
  reverse: boolean,
  batchSizes: readonly number[] | null = null,
): { out: Float64Array; h: Float64Array; c: Float64Array | null } {
  const G = GATES[mode] * H;
  const I = w.inSize;
  // Input projections for all time steps at once: [T*B, G] = x @ W_ih^T (+ b_ih).
  const xg = new Float64Array(T * B * G);
  gemm(
    T * B,
    G,
    I,
    { data: x, offset: 0, rowStride: I, colStride: 1 },
    { data: w.wih, offset: 0, rowStride: 1, colStride: I },
    { data: xg, offset: 0, rowStride: G },
    1,
    0,
  );
  let h = Float64Array.from(h0);
  const c = c0 === null ? null : Float64Array.from(c0);
  const hg = new Float64Array(B * G);
  const out = new Float64Array(T * B * Hout);
  const hRaw = new Float64Array(B * H);
  for (let step = 0; step < T; step++) {
    const t = reverse ? T - 1 - step : step;
    gemm(
      B,
      G,
      Hout,
      { data: h, offset: 0, rowStride: Hout, colStride: 1 },
      { data: w.whh, offset: 0, rowStride: 1, colStride: Hout },
      { data: hg, offset: 0, rowStride: G },
      1,
      0,
    );
    const active = batchSizes === null ? B : batchSizes[t];
    for (let b = 0; b < active; b++) {
      const xo = (t * B + b) * G;
      const ho = b * G;
      const gate = (k: number, j: number, withHidden = true): number =>
        xg[xo + k * H + j] +
        (w.bih ? w.bih[k * H + j] : 0) +
        (withHidden ? hg[ho + k * H + j] + (w.bhh ? w.bhh[k * H + j] : 0) : 0);
      for (let j = 0; j < H; j++) {
        let hv: number;
        if (mode === 'lstm') {
          const ig = sigmoid(gate(0, j));
          const fg = sigmoid(gate(1, j));
          const gg = Math.tanh(gate(2, j));
          const og = sigmoid(gate(3, j));
          const cv = fg * (c as Float64Array)[b * H + j] + ig * gg;
          (c as Float64Array)[b * H + j] = cv;
          hv = og * Math.tanh(cv);
        } else if (mode === 'gru') {
          const r = sigmoid(gate(0, j));
          const z = sigmoid(gate(1, j));
          const hn = hg[ho + 2 * H + j] + (w.bhh ? w.bhh[2 * H + j] : 0);
          const n = Math.tanh(gate(2, j, false) + r * hn);
          hv = (1 - z) * n + z * h[b * Hout + j];
        } else {
          const v = gate(0, j);
          hv = mode === 'rnn_tanh' ? Math.tanh(v) : Math.max(v, 0);
        }
        hRaw[b * H + j] = hv;
      }
    }
    if (w.whr !== null) {
      const next = new Float64Array(B * Hout);
      gemm(
        B,
        Hout,
        H,
        { data: hRaw, offset: 0, rowStride: H, colStride: 1 },
        { data: w.whr, offset: 0, rowStride: 1, colStride: H },
        { data: next, offset: 0, rowStride: Hout },
        1,
        0,
      );
      if (active < B) next.set(h.subarray(active * Hout), active * Hout);
      h = next;
    } else {
      const next = Float64Array.from(hRaw);
      if (active < B) next.set(h.subarray(active * Hout), active * Hout);
      h = next;
    }
    out.set(h, t * B * Hout);
  }
  return { out, h, c };
}

/** What the stacked layers produce: outputs [T, B, D*Hout] and per layer-direction final states. */
export interface LayerStack {
  readonly out: Float64Array;
  readonly hN: Float64Array[];
  readonly cN: Float64Array[];
  readonly H: number;
  readonly Hout: number;
  readonly D: number;
}

/** Shared by the padded and packed overloads: every layer and direction over time-major x [T, B, I]. */
export function runLayers(
  mode: Mode,
  x: Float64Array,
  T: number,
  B: number,
  inputSize: number,
  h0: Tensor,
  c0: Tensor | null,
  params: readonly Tensor[],
  hasBiases: boolean,
  numLayers: number,
  dropoutP: number,
  train: boolean,
  bidirectional: boolean,
  batchSizes: readonly number[] | null = null,
): LayerStack {
  const D = bidirectional ? 2 : 1;
  const perDir = params.length / (numLayers * D);
  const base = hasBiases ? 4 : 2;
  if (!Number.isInteger(perDir) || (perDir !== base && perDir !== base + 1)) {
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `${mode}: got ${params.length} parameters for ${numLayers} layer(s) x ${D} direction(s)`,
    );
  }
  const hasProj = perDir === base + 1;
  const H = params[0].shape[0] / GATES[mode];
  const Hout = hasProj ? params[base].shape[0] : H;
  let layerInput = x;
  let inSize = inputSize;
  const hN: Float64Array[] = [];
  const cN: Float64Array[] = [];
  for (let layer = 0; layer < numLayers; layer++) {
    const outs: Float64Array[] = [];
    for (let dir = 0; dir < D; dir++) {
      const k = (layer * D + dir) * perDir;
      const w: Weights = {
        wih: f64(params[k]),
        whh: f64(params[k + 1]),
        bih: hasBiases ? f64(params[k + 2]) : null,
        bhh: hasBiases ? f64(params[k + 3]) : null,
        whr: hasProj ? f64(params[k + base]) : null,
        inSize,
      };
      const idx = layer * D + dir;
      const r = runDirection(
        mode,
        layerInput,
        T,
        B,
        w,
        H,
        Hout,
        f64(select(h0, 0, idx)),
        c0 ? f64(select(c0, 0, idx)) : null,
        dir === 1,
        batchSizes,
      );
      outs.push(r.out);
      hN.push(r.h);
      if (r.c) cN.push(r.c);
    }
    let merged: Float64Array;
    if (D === 1) merged = outs[0];
    else {
      merged = new Float64Array(T * B * 2 * Hout);
      for (let i = 0; i < T * B; i++) {
        merged.set(outs[0].subarray(i * Hout, (i + 1) * Hout), i * 2 * Hout);
        merged.set(outs[1].subarray(i * Hout, (i + 1) * Hout), i * 2 * Hout + Hout);
      }
    }
    if (train && dropoutP > 0 && layer < numLayers - 1) {
      const dropped = dropout(Tensor.fromStorage('float64', merged, [T, B, D * Hout]), dropoutP, true);
      merged = contiguous(dropped).storage.data as Float64Array;
    }
    layerInput = merged;
    inSize = D * Hout;
  }
  return { out: layerInput, hN, cN, H, Hout, D };
}

/** The input overload of aten::lstm / gru / rnn_tanh / rnn_relu: [output, h_n(, c_n)]. */
export function rnn(
  mode: Mode,
  input: Tensor,
  hx: readonly Tensor[],
  params: readonly Tensor[],
  hasBiases: boolean,
  numLayers: number,
  dropoutP: number,
  train: boolean,
  bidirectional: boolean,
  batchFirst: boolean,
): Tensor[] {
  const dtype: DType = input.dtype;
  if (!DTYPES[dtype].isFloatingPoint)
    throw new RuntimeError('DTYPE_MISMATCH', `${mode}: expected a floating point input, got ${dtype}`);
  const batched = input.dim === 3;
  if (input.dim !== 2 && input.dim !== 3)
    throw new RuntimeError(
      'SHAPE_MISMATCH',
      `${mode}: Expected input to be 2-D or 3-D but received ${input.dim}-D tensor`,
    );
  let x = batched ? input : unsqueeze(input, 1);
  if (batched && batchFirst) x = transpose(x, 0, 1);
  const states = hx.map((s) => (batched ? s : unsqueeze(s, 1)));
  const [T, B] = x.shape;
  const r = runLayers(
    mode,
    f64(x),
    T,
    B,
    x.shape[2],
    states[0],
    mode === 'lstm' ? states[1] : null,
    params,
    hasBiases,
    numLayers,
    dropoutP,
    train,
    bidirectional,
  );
  let output = Tensor.fromStorage('float64', r.out, [T, B, r.D * r.Hout]);
  if (batched && batchFirst) output = transpose(output, 0, 1);
  const results = [contiguous(output), ...finalStates(mode, r, B)];
  return results.map((t) => {
    const c = toDType(contiguous(t), dtype);
    return batched ? c : squeeze(c, 1);
  });
}

/** h_n (and c_n for LSTM) stacked over layers and directions: [L*D, B, Hout] / [L*D, B, H]. */
export function finalStates(mode: Mode, r: LayerStack, B: number): Tensor[] {
  const finalH = stack(r.hN.map((h) => Tensor.fromStorage('float64', h, [B, r.Hout])));
  if (mode !== 'lstm') return [finalH];
  return [finalH, stack(r.cN.map((c) => Tensor.fromStorage('float64', c, [B, r.H])))];
}

/** One step of a recurrent cell: [h'] (gru/rnn) or [h', c'] (lstm). hx is [h] or [h, c]. */
export function rnnCell(
  mode: Mode,
  input: Tensor,
  hx: readonly Tensor[],
  wih: Tensor,
  whh: Tensor,
  bih: Tensor | null,
  bhh: Tensor | null,
): Tensor[] {
  const batched = input.dim === 2;
  const x = batched ? input : unsqueeze(input, 0);
  const states = hx.map((s) => (batched ? s : unsqueeze(s, 0)));
  const params = bih !== null && bhh !== null ? [wih, whh, bih, bhh] : [wih, whh];
  const seq = unsqueeze(x, 0);
  const h0 = unsqueeze(states[0], 0);
  const res = rnn(
    mode,
    seq,
    mode === 'lstm' ? [h0, unsqueeze(states[1], 0)] : [h0],
    params,
    params.length === 4,
    1,
    0,
    false,
    false,
    false,
  );
  const outs = res.slice(1).map((t) => select(t, 0, 0));
  return outs.map((t) => (batched ? t : squeeze(t, 0)));
}
