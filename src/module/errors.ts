// Error factories of the module layer: one stable `code` each, messages that name the class and member.

import { TsFreezeError } from '../errors.js';

/** Codes of the errors the module layer throws; tests assert on these. */
export const ModuleErrorCode = {
  NO_ATTRIBUTE: 'NO_ATTRIBUTE',
  ATTRIBUTE_TYPE: 'ATTRIBUTE_TYPE',
  UNSET_ATTRIBUTE: 'UNSET_ATTRIBUTE',
  CONSTANT_ATTRIBUTE: 'CONSTANT_ATTRIBUTE',
  DUPLICATE_ATTRIBUTE: 'DUPLICATE_ATTRIBUTE',
  NO_METHOD: 'NO_METHOD',
  DUPLICATE_METHOD: 'DUPLICATE_METHOD',
  BAD_METHOD: 'BAD_METHOD',
  DUPLICATE_CLASS: 'DUPLICATE_CLASS',
  NOT_A_MODULE: 'NOT_A_MODULE',
  BAD_ARGUMENTS: 'BAD_ARGUMENTS',
  NO_INTERPRETER: 'NO_INTERPRETER',
  NO_SUBMODULE: 'NO_SUBMODULE',
  /** The module was consumed (freeze(module, { consume: true })) and may not be used again. */
  MODULE_CONSUMED: 'MODULE_CONSUMED',
} as const;

/** One of the module layer's error codes. */
export type ModuleErrorCode = (typeof ModuleErrorCode)[keyof typeof ModuleErrorCode];

function known(names: readonly string[]): string {
  return names.length ? ` (it has: ${names.join(', ')})` : ' (it has none)';
}

/** `getAttr('foo')` on a class without `foo`. */
export function noAttribute(className: string, name: string, available: readonly string[]): TsFreezeError {
  return new TsFreezeError(
    ModuleErrorCode.NO_ATTRIBUTE,
    `${className} has no attribute '${name}'${known(available)}`,
  );
}

/** A value that does not fit the attribute's declared type. */
export function attributeType(className: string, name: string, expected: string, got: string): TsFreezeError {
  return new TsFreezeError(
    ModuleErrorCode.ATTRIBUTE_TYPE,
    `cannot set attribute '${name}' of ${className}: expected a value of type ${expected}, got ${got}`,
  );
}

/** The type declares the attribute but this object never received a value. */
export function unsetAttribute(className: string, name: string): TsFreezeError {
  return new TsFreezeError(
    ModuleErrorCode.UNSET_ATTRIBUTE,
    `attribute '${name}' of ${className} has no value`,
  );
}

/** Assigning to a `Final` constant. */
export function constantAttribute(className: string, name: string): TsFreezeError {
  return new TsFreezeError(
    ModuleErrorCode.CONSTANT_ATTRIBUTE,
    `cannot set '${name}' of ${className}: it is a constant (Final)`,
  );
}

/** Declaring a member twice. */
export function duplicateMember(
  className: string,
  what: 'attribute' | 'constant' | 'method',
  name: string,
): TsFreezeError {
  const code = what === 'method' ? ModuleErrorCode.DUPLICATE_METHOD : ModuleErrorCode.DUPLICATE_ATTRIBUTE;
  const article = what === 'attribute' ? 'an' : 'a';
  return new TsFreezeError(code, `${className} already has ${article} ${what} named '${name}'`);
}

/** `getMethod('foo')` on a class without `foo`. */
export function noMethod(className: string, name: string, available: readonly string[]): TsFreezeError {
  return new TsFreezeError(
    ModuleErrorCode.NO_METHOD,
    `${className} has no method '${name}'${known(available)}`,
  );
}

/** A method whose graph does not fit its class. */
export function badMethod(className: string, name: string, why: string): TsFreezeError {
  return new TsFreezeError(ModuleErrorCode.BAD_METHOD, `method '${name}' of ${className}: ${why}`);
}
