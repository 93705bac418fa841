// Consumed module objects: after freeze(module, { consume: true }) the input's state lives in the frozen
// module (its method graphs moved there, its tensors may have been folded in place), so the old object must
// not run or be read again. Rather than a check in each of its methods, the object loses its own fields
// and its prototype becomes a proxy that throws: every property read or write, method call, `in` test,
// `instanceof` or isScriptModule check of it throws MODULE_CONSUMED, naming what consumed it.

import { TsFreezeError } from '../errors.js';
import { ModuleErrorCode } from './errors.js';

/** The error any use of a consumed module throws. */
export function consumedError(what: string, by: string): TsFreezeError {
  return new TsFreezeError(
    ModuleErrorCode.MODULE_CONSUMED,
    `${what} was consumed by ${by}: its state moved into the result, which is what to use now ` +
      `(freeze without consume to keep the input usable)`,
  );
}

/**
 * Makes `object` unusable: any later use throws MODULE_CONSUMED. `what` names it in the message
 * (`module __torch__.Net`), `by` names the consumer (`freeze(module, { consume: true })`).
 */
export function markConsumed(object: object, what: string, by: string): void {
  const fail = (): never => {
    throw consumedError(what, by);
  };
  const poisoned = new Proxy(Object.create(null) as object, {
    get: fail,
    set: fail,
    has: fail,
    getPrototypeOf: fail,
    defineProperty: fail,
    deleteProperty: fail,
  });
  for (const key of Reflect.ownKeys(object)) Reflect.deleteProperty(object, key);
  Object.setPrototypeOf(object, poisoned);
}

const owners = new WeakSet<object>();

/**
 * Declares that nothing outside `module` holds its tensors (it was made by consumeModule from a module
 * nobody can use again): a pass may then overwrite a tensor's memory in place when nothing inside the
 * module shares it either (the numerics folds check that: see passes/frozen-folding.ts).
 */
export function markOwnsItsTensors(module: object): void {
  owners.add(module);
}

/** Whether markOwnsItsTensors was called on `module`. */
export function ownsItsTensors(module: object): boolean {
  return owners.has(module);
}
