// Packed sequences (torch.nn.utils.rnn): packing a padded batch sorted longest first into time-major
// rows, unpacking it again, and running LSTM / GRU / RNN over packed data (the `.data` overloads), where
// only the first batch_sizes[t] sequences step at time t.

import { RuntimeError } from '../../errors.js';
import { copyInto, contiguous, toDType } from '../../tensor/convert.js';
import { DTYPES } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { narrow, select, transpose } from '../../tensor/views.js';
import { f64, finalStates, runLayers, type Mode } from './rnn.js';

function batchSizesOf(t: Tensor): number[] {
  if (t.dim !== 1 || t.dtype !== 'int64')
    throw new RuntimeError('INVALID_ARGUMENT', `batch_sizes should always be a 1D CPU int64 tensor`);
  return t.toArray().map(Number);
}

/** aten::_pack_padded_sequence: [data (sum(lengths), *), batch_sizes (int64)]. */
export function packPaddedSequence(input: Tensor, lengths: Tensor, batchFirst: boolean): Tensor[] {
  if (lengths.dim !== 1 || lengths.dtype !== 'int64')
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `'lengths' argument should be a 1D CPU int64 tensor, but got ${lengths.dim}D ${lengths.device} ${DTYPES[lengths.dtype].irName} tensor`,
    );
  const x = batchFirst ? transpose(input, 0, 1) : input;
  const lens = lengths.toArray().map(Number);
  const B = x.shape[1];
  if (lens.length !== B)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `Expected \`len(lengths)\` to be equal to batch_size, but got ${lens.length} (batch_size=${B})`,
    );
  if (lens[B - 1] <= 0)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0",
    );
  for (let i = 1; i < B; i++)
    if (lens[i] > lens[i - 1])
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        '`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.',
      );
  const T = lens[0];
  if (T > x.shape[0])
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `the longest length ${T} exceeds the sequence length ${x.shape[0]}`,
    );
  const sizes: number[] = [];
  for (let t = 0; t < T; t++) sizes.push(lens.filter((l) => l > t).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const data = Tensor.zeros(x.dtype, [total, ...x.shape.slice(2)]);
  let row = 0;
  for (let t = 0; t < T; t++) {
    copyInto(narrow(data, 0, row, sizes[t]), narrow(select(x, 0, t), 0, 0, sizes[t]));
    row += sizes[t];
  }
  return [data, Tensor.fromArray('int64', sizes.map(BigInt))];
}

/** aten::_pad_packed_sequence: [padded (T, B, *) or (B, T, *), lengths (int64)]. */
export function padPackedSequence(
  data: Tensor,
  batchSizes: Tensor,
  batchFirst: boolean,
  paddingValue: number,
  totalLength: number,
): Tensor[] {
  const sizes = batchSizesOf(batchSizes);
  const maxT = sizes.length;
  let T = maxT;
  if (totalLength > 0) {
    if (totalLength < maxT)
      throw new RuntimeError(
        'INVALID_ARGUMENT',
        `Expected total_length to be at least the length of the longest sequence in input, but got total_length=${totalLength} and max sequence length being ${maxT}`,
      );
    T = totalLength;
  }
  const B = sizes[0] ?? 0;
  const out = Tensor.zeros(data.dtype, [T, B, ...data.shape.slice(1)]);
  if (paddingValue !== 0) for (let i = 0; i < out.numel; i++) out.setFlat(i, paddingValue);
  const lengths = new Array<number>(B).fill(0);
  let row = 0;
  for (let t = 0; t < maxT; t++) {
    copyInto(narrow(select(out, 0, t), 0, 0, sizes[t]), narrow(data, 0, row, sizes[t]));
    row += sizes[t];
    for (let b = 0; b < sizes[t]; b++) lengths[b] = t + 1;
  }
  return [batchFirst ? transpose(out, 0, 1) : out, Tensor.fromArray('int64', lengths.map(BigInt))];
}

/** The `.data` overloads of aten::lstm / gru / rnn_tanh / rnn_relu: [packed output, h_n(, c_n)]. */
export function rnnPacked(
  mode: Mode,
  data: Tensor,
  batchSizes: Tensor,
  hx: readonly Tensor[],
  params: readonly Tensor[],
  hasBiases: boolean,
  numLayers: number,
  dropoutP: number,
  train: boolean,
  bidirectional: boolean,
): Tensor[] {
  if (!DTYPES[data.dtype].isFloatingPoint)
    throw new RuntimeError('DTYPE_MISMATCH', `${mode}: expected a floating point input, got ${data.dtype}`);
  const sizes = batchSizesOf(batchSizes);
  const T = sizes.length;
  const B = sizes[0] ?? 0;
  const I = data.shape[1];
  // Unpack into a zero-padded time-major batch; the steps skip the padding rows.
  const packed = f64(data);
  const x = new Float64Array(T * B * I);
  let row = 0;
  for (let t = 0; t < T; t++) {
    x.set(packed.subarray(row * I, (row + sizes[t]) * I), t * B * I);
    row += sizes[t];
  }
  const r = runLayers(
    mode,
    x,
    T,
    B,
    I,
    hx[0],
    mode === 'lstm' ? hx[1] : null,
    params,
    hasBiases,
    numLayers,
    dropoutP,
    train,
    bidirectional,
    sizes,
  );
  const width = r.D * r.Hout;
  const out = new Float64Array(row * width);
  let at = 0;
  for (let t = 0; t < T; t++) {
    out.set(r.out.subarray(t * B * width, (t * B + sizes[t]) * width), at * width);
    at += sizes[t];
  }
  const results = [Tensor.fromStorage('float64', out, [row, width]), ...finalStates(mode, r, B)];
  return results.map((t) => toDType(contiguous(t), data.dtype));
}
