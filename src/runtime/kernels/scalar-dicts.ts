// dict() and dict(x) keyed by overload: an empty dict, a dict from a list of (key, value) tuples
// (`OrderedDict([("0", features)])` in torchvision's detection models), or a shallow copy of a dict.

import { RuntimeError } from '../../errors.js';
import { Tuple, type DictKey, type IValue } from '../../ir/ivalue.js';
import type { ScalarOp } from '../scalar-ops.js';

type Dict = Map<DictKey, IValue>;

function fromPairs(pairs: IValue): Dict {
  const out: Dict = new Map();
  for (const pair of pairs as IValue[]) {
    if (!(pair instanceof Tuple) || pair.items.length !== 2)
      throw new RuntimeError('VALUE_ERROR', 'dictionary update sequence element has length != 2');
    out.set(pair.items[0] as DictKey, pair.items[1]);
  }
  return out;
}

const KEY_TYPES = ['str', 'int', 'bool', 'float', 'complex', 'Tensor'];

/** aten::dict overloads. */
export const DICT_OPS: Readonly<Record<string, ScalarOp>> = Object.fromEntries([
  ['aten::dict', () => new Map()],
  ...KEY_TYPES.flatMap((k): [string, ScalarOp][] => [
    [`aten::dict.${k}`, (c) => fromPairs(c.args[0])],
    [`aten::dict.Dict_${k}`, (c) => new Map(c.args[0] as Dict)],
  ]),
]);
