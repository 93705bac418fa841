// Node attributes, tagged by kind as PyTorch's are (i, f, s, t, ival, ty and their lists).

import type { Tensor } from '../tensor/tensor.js';
import type { IValue } from './ivalue.js';
import type { Type } from './types.js';

/** An attribute value with its kind; the kind decides how it prints (`1` for i, `1.` for f). */
export type Attribute =
  | { readonly kind: 'i'; readonly value: number | bigint }
  | { readonly kind: 'f'; readonly value: number }
  | { readonly kind: 's'; readonly value: string }
  | { readonly kind: 't'; readonly value: Tensor }
  | { readonly kind: 'ival'; readonly value: IValue }
  | { readonly kind: 'ty'; readonly value: Type }
  | { readonly kind: 'is'; readonly value: readonly (number | bigint)[] }
  | { readonly kind: 'fs'; readonly value: readonly number[] }
  | { readonly kind: 'ss'; readonly value: readonly string[] }
  | { readonly kind: 'ts'; readonly value: readonly Tensor[] }
  | { readonly kind: 'tys'; readonly value: readonly Type[] };

export type AttributeKind = Attribute['kind'];
