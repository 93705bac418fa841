// How many of an operator call's inputs the printer writes: trailing arguments equal to their schema
// default are left out, keyword-only `out=` arguments are named (PyTorch's CalculateNecessaryArgs).

import { Device, Tuple, type IValue } from '../../ir/ivalue.js';
import { toIValue } from '../../ir/constants.js';
import { ListType, TupleType, type Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import type { Argument } from '../../ops/schema.js';

/** Inputs to print positionally (`necessary`) and trailing `out=` arguments (`outs`). */
export interface NecessaryArgs {
  readonly necessary: number;
  readonly outs: number;
}

/** PyTorch's rule: skip trailing `out=` args, then drop trailing inputs that are constants equal to the default. */
export function necessaryArgs(args: readonly Argument[], inputs: readonly Value[]): NecessaryArgs {
  if (args.length === 0) return { necessary: 0, outs: 0 };
  let at = args.length - 1;
  while (at >= 0 && args[at].isOut) at--;
  const outs = args.length - at - 1;
  if (args.length < inputs.length) return { necessary: inputs.length, outs };
  for (; at >= 0; at--) {
    const arg = args[at];
    if (arg.defaultValue === undefined) return { necessary: at + 1, outs };
    const input = inputs[at];
    const actual = input === undefined ? undefined : toIValue(input);
    if (actual === undefined) return { necessary: at + 1, outs };
    const defaultType = arg.defaultType ?? arg.type;
    if (!sameValue(arg.defaultValue, defaultType, actual, input.type)) return { necessary: at + 1, outs };
  }
  return { necessary: 0, outs };
}

type Kind = 'none' | 'bool' | 'int' | 'float' | 'str' | 'other';

// IValue tags: an int default never equals a float value, even 1 and 1.0.
function kindOf(value: IValue, type: Type | undefined): Kind {
  if (value === null) return 'none';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') {
    const k = type?.kind;
    if (k === 'float') return 'float';
    if (k === 'int' || k === 'Layout' || k === 'ScalarType' || k === 'MemoryFormat') return 'int';
    return Number.isInteger(value) ? 'int' : 'float';
  }
  return 'other';
}

function unwrap(type: Type | undefined): Type | undefined {
  return type && type.kind === 'Optional' ? (type.containedTypes()[0] ?? type) : type;
}

/** IValue equality as the printer uses it: same tag and same value, lists and tuples element-wise; tensors never. */
export function sameValue(a: IValue, aType: Type | undefined, b: IValue, bType: Type | undefined): boolean {
  const ta = unwrap(aType);
  const tb = unwrap(bType);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    const ea = ta instanceof ListType ? ta.elem : undefined;
    const eb = tb instanceof ListType ? tb.elem : undefined;
    return a.every((x, i) => sameValue(x, ea, b[i], eb));
  }
  if (a instanceof Tuple || b instanceof Tuple) {
    if (!(a instanceof Tuple) || !(b instanceof Tuple) || a.items.length !== b.items.length) return false;
    const ea = ta instanceof TupleType ? ta.elements : [];
    const eb = tb instanceof TupleType ? tb.elements : [];
    return a.items.every((x, i) => sameValue(x, ea[i], b.items[i], eb[i]));
  }
  if (a instanceof Device || b instanceof Device) {
    return a instanceof Device && b instanceof Device && a.toString() === b.toString();
  }
  const ka = kindOf(a, ta);
  const kb = kindOf(b, tb);
  if (ka !== kb || ka === 'other') return false;
  if (ka === 'int') return BigInt(a as number | bigint) === BigInt(b as number | bigint);
  return a === b;
}
