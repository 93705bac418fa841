// Option declarations and values: checking declarations, type-checking values, filling defaults.

import { PipelineError } from '../errors.js';
import type {
  OptionDeclaration,
  OptionDeclarations,
  OptionLiteral,
  OptionType,
  OptionValue,
} from './contracts.js';
import { didYouMean } from './edit-distance.js';
import { badOptionError } from './errors.js';

const OPTION_TYPES: readonly OptionType[] = [
  'boolean',
  'integer',
  'number',
  'string',
  'boolean[]',
  'integer[]',
  'number[]',
  'string[]',
];

/** Every option type, for schemas and docs. */
export const optionTypes: readonly OptionType[] = OPTION_TYPES;

/** The value an option takes when neither the pipeline nor the declaration gives one. */
export function zeroValue(type: OptionType): OptionValue {
  if (type.endsWith('[]')) return [];
  if (type === 'boolean') return false;
  if (type === 'string') return '';
  return 0;
}

/** The declared default, or the type's zero value. */
export function defaultValue(decl: OptionDeclaration): OptionValue {
  return decl.default ?? zeroValue(decl.type);
}

/** Checks a table of option declarations (types known, defaults of the declared type). */
export function checkOptionDeclarations(owner: string, decls: OptionDeclarations): void {
  for (const [name, decl] of Object.entries(decls)) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
      throw new PipelineError('BAD_DECLARATION', `${owner}: option name '${name}' must be an identifier`);
    }
    if (!OPTION_TYPES.includes(decl.type)) {
      throw new PipelineError(
        'BAD_DECLARATION',
        `${owner}: option '${name}' has unknown type '${String(decl.type)}' (one of ${OPTION_TYPES.join(', ')})`,
      );
    }
    if (decl.default !== undefined) {
      const problem = typeProblem(decl, decl.default);
      if (problem)
        throw new PipelineError('BAD_DECLARATION', `${owner}: default of option '${name}' ${problem}`);
    }
  }
}

/** Prints a literal the way pipeline text writes it, for messages. */
export function describeLiteral(value: OptionLiteral): string {
  if (Array.isArray(value)) return `[${value.map(describeLiteral).join(',')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function literalKind(value: OptionLiteral): string {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

// Why `value` does not fit `decl`, or undefined when it does (after wrapping a scalar into a list).
function typeProblem(decl: OptionDeclaration, value: OptionLiteral): string | undefined {
  const elementType = decl.type.endsWith('[]') ? (decl.type.slice(0, -2) as OptionType) : undefined;
  if (elementType) {
    const items = Array.isArray(value) ? (value as readonly OptionLiteral[]) : [value];
    for (const item of items) {
      const p = scalarProblem(elementType, decl, item);
      if (p) return `expects ${decl.type}, got ${describeLiteral(value)} (${p})`;
    }
    return undefined;
  }
  const p = scalarProblem(decl.type, decl, value);
  if (!p) return undefined;
  if (typeof value === 'string' && decl.type === 'string' && decl.choices)
    return `expects one of ${decl.choices.join(', ')}, got ${describeLiteral(value)}`;
  return `expects ${decl.type}, got ${literalKind(value)} ${describeLiteral(value)}`;
}

function scalarProblem(type: OptionType, decl: OptionDeclaration, value: OptionLiteral): string | undefined {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${describeLiteral(value)} is not true or false`;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
        ? undefined
        : `${describeLiteral(value)} is not an integer`;
    case 'number':
      return typeof value === 'number' ? undefined : `${describeLiteral(value)} is not a number`;
    default:
      if (typeof value !== 'string') return `${describeLiteral(value)} is not a string; quote it`;
      if (decl.choices && !decl.choices.includes(value))
        return `${describeLiteral(value)} is not one of ${decl.choices.join(', ')}`;
      return undefined;
  }
}

/** Type-checks one value against its declaration and returns it as the pass receives it (lists wrapped). */
export function coerceOption(
  owner: string,
  name: string,
  decl: OptionDeclaration,
  value: OptionLiteral,
  element?: object,
): OptionValue {
  const problem = typeProblem(decl, value);
  if (problem) throw badOptionError(`option '${name}' of ${owner} ${problem}`, element);
  if (decl.type.endsWith('[]') && !Array.isArray(value)) return [value] as OptionValue;
  return value as OptionValue;
}

/** Checks an option name is declared; the error lists the declared ones and the nearest match. */
export function checkOptionName(
  owner: string,
  name: string,
  decls: OptionDeclarations,
  element?: object,
): OptionDeclaration {
  const decl = Object.prototype.hasOwnProperty.call(decls, name) ? decls[name] : undefined;
  if (decl) return decl;
  const known = Object.keys(decls);
  const list = known.length ? `its options: ${known.join(', ')}` : 'it has no options';
  throw badOptionError(`${owner} has no option '${name}'${didYouMean(name, known)} (${list})`, element);
}

/** Validates given values against declarations and fills in defaults. */
export function resolveOptions(
  owner: string,
  decls: OptionDeclarations,
  given: Readonly<Record<string, OptionLiteral>>,
  element?: object,
): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [name, value] of Object.entries(given)) {
    const decl = checkOptionName(owner, name, decls, element);
    out[name] = coerceOption(owner, name, decl, value, element);
  }
  for (const [name, decl] of Object.entries(decls)) if (!(name in out)) out[name] = defaultValue(decl);
  return out;
}

/** Truthiness of a pipeline option for `when{option=x}`: true, a non-zero number, a non-empty string or list. */
export function isTruthy(value: OptionValue | undefined): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

/** Deep equality of option values (for `when{option=x,equals=v}`). */
export function optionValuesEqual(a: OptionLiteral | undefined, b: OptionLiteral | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
