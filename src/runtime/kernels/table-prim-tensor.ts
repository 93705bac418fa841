// Kernel table entries for the prim:: operators that cross between Python numbers and tensors: traced
// graphs turn sizes into tensors (prim::NumToTensor), scripted code reads tensors back as nested lists
// (`annotate(List[float], x.tolist())`, prim::tolist).

import { RuntimeError } from '../../errors.js';
import { DTYPES } from '../../tensor/dtype.js';
import { scalarTensor } from '../../tensor/creation.js';
import { FloatScalar } from '../../tensor/scalar.js';
import { Tensor } from '../../tensor/tensor.js';
import { itemOf } from './table-tensor.js';
import { intArg, scalarArg, tensorArg, type KernelResult, type KernelTable } from './types.js';

// prim::tolist's element kinds (the third input), as the IR emitter encodes them.
const TOLIST_KINDS = ['int', 'float', 'bool'] as const;

function nestedList(t: Tensor, dim: number, offset: number): KernelResult {
  const out: KernelResult[] = [];
  for (let i = 0; i < t.shape[dim]; i++) {
    const at = offset + i * t.strides[dim];
    if (dim === t.shape.length - 1) out.push(itemOf(new Tensor(t.storage, [], [], at)));
    else out.push(nestedList(t, dim + 1, at));
  }
  return out;
}

/** prim::tolist(x, dims, kind): x as nested lists, checked against the annotated depth and element kind. */
export function toList(t: Tensor, dims: number, kind: number): KernelResult {
  if (t.shape.length !== dims)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `Output annotation list dimension and runtime tensor dimension must match for tolist() (${dims} vs ${t.shape.length})`,
    );
  const info = DTYPES[t.dtype];
  const actual = info.isFloatingPoint ? 'float' : t.dtype === 'bool' ? 'bool' : 'int';
  if (TOLIST_KINDS[kind] !== actual)
    throw new RuntimeError(
      'INVALID_ARGUMENT',
      `Output annotation element type and runtime tensor element type must match for tolist() (${TOLIST_KINDS[kind] ?? kind} vs ${t.dtype})`,
    );
  if (dims === 0)
    throw new RuntimeError('INVALID_ARGUMENT', 'tolist() of a 0-dim tensor needs a list annotation');
  return nestedList(t, 0, t.offset);
}

/** The kernels of this file, keyed by schema name. */
export function primTensorKernels(): KernelTable {
  return {
    // A Python number as a 0-dim tensor: int -> int64, float -> float64, bool -> bool (c10::scalar_to_tensor).
    'prim::NumToTensor.Scalar': (a) => {
      const s = scalarArg(a, 0);
      const dtype = s instanceof FloatScalar ? 'float64' : typeof s === 'boolean' ? 'bool' : 'int64';
      return scalarTensor(s, { dtype });
    },
    'prim::NumToTensor.bool': (a) => scalarTensor(scalarArg(a, 0), { dtype: 'bool' }),
    'prim::tolist': (a) => toList(tensorArg(a, 0), intArg(a, 1), intArg(a, 2)),
  };
}
