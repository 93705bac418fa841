// The keyed scalar operators: TorchScript builtins on numbers, strings, lists and dicts, each registered
// under the exact overload it implements (`aten::strip`, `prim::max.int`), so kernel coverage counts them
// per overload. The dispatcher tries this table before the older by-name table (SCALAR_OPS).

import type { ScalarOp } from '../scalar-ops.js';
import { BUILTIN_OPS } from './scalar-builtins.js';
import { DICT_OPS } from './scalar-dicts.js';
import { MATH_OPS } from './scalar-math.js';
import { STRING_OPS } from './scalar-strings.js';

/** Scalar operators by overload key. */
export const KEYED_SCALAR_OPS: Readonly<Record<string, ScalarOp>> = Object.freeze({
  ...STRING_OPS,
  ...BUILTIN_OPS,
  ...MATH_OPS,
  ...DICT_OPS,
});
