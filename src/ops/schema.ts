// The parsed form of a TorchScript operator schema (PyTorch's FunctionSchema / Argument / AliasInfo)
// and its printer, which writes back exactly the text PyTorch 1.13 prints for the same schema.

import { intToString, type IValue } from '../ir/ivalue.js';
import { ListType, OptionalType, type Type } from '../ir/types.js';
import { formatFloat, quoteString } from './literals.js';
import { schemaTypeStr } from './schema-types.js';

/** The wildcard alias set `*`: may alias anything that has escaped into a container or an attribute. */
export const WILDCARD = '*';

/**
 * An alias annotation: `(a)` the value belongs to set a; `(a!)` it is written; `(a -> *)` it is in a
 * before the call and in the wildcard set after (it escapes into a container); `(b|a)` may be in b or a.
 * `contained` holds the annotation of a list's elements: `Tensor(a)[]` has none itself, `(a)` inside.
 */
export class AliasInfo {
  constructor(
    readonly beforeSets: readonly string[],
    readonly afterSets: readonly string[],
    readonly isWrite: boolean,
    readonly contained: readonly AliasInfo[] = [],
  ) {}

  /** True if the value is in the wildcard set before the call (`t(*)`). */
  get isWildcardBefore(): boolean {
    return this.beforeSets.includes(WILDCARD);
  }

  /** True if the value is in the wildcard set after the call (`(a -> *)`, `(*)`). */
  get isWildcardAfter(): boolean {
    return this.afterSets.includes(WILDCARD);
  }

  /** True if this annotation, or one of a contained element, is a write (`!`). */
  get writesAnywhere(): boolean {
    return this.isWrite || this.contained.some((c) => c.writesAnywhere);
  }

  /** Every before-set named here or in contained annotations (wildcard included). */
  allBeforeSets(): string[] {
    return [...this.beforeSets, ...this.contained.flatMap((c) => c.allBeforeSets())];
  }

  /** `(a! -> *)`; empty when the annotation only describes contained elements. */
  toString(): string {
    if (this.beforeSets.length === 0) return '';
    const same =
      this.afterSets.length === this.beforeSets.length &&
      this.afterSets.every((s, i) => s === this.beforeSets[i]);
    const after = same ? '' : ` -> ${this.afterSets.join('|')}`;
    return `(${this.beforeSets.join('|')}${this.isWrite ? '!' : ''}${after})`;
  }
}

/** The fields of an Argument. */
export interface ArgumentInit {
  readonly name: string;
  readonly type: Type;
  readonly realType?: Type;
  readonly N?: number | null;
  readonly defaultValue?: IValue;
  readonly defaultType?: Type;
  readonly kwargOnly?: boolean;
  readonly alias?: AliasInfo | null;
}

/** One formal argument or return of a schema. */
export class Argument {
  /** Name; empty for unnamed returns. */
  readonly name: string;
  /** The type TorchScript matches and runs with (PyTorch's fake type: SymInt/ScalarType/Layout/MemoryFormat are `int`). */
  readonly type: Type;
  /** The type as the schema writes it (`SymInt[]`, `ScalarType?`); used for printing. */
  readonly realType: Type;
  /** Fixed list size of a broadcasting list (`int[2]`): a single int is accepted and repeated N times. */
  readonly N: number | null;
  /** The default (ints as number, or bigint beyond 2^53; `int[2] stride=1` is already `[1, 1]`); undefined when none. */
  readonly defaultValue: IValue | undefined;
  /** The type of the default as written (int vs float matters for `Scalar` defaults); undefined when none. */
  readonly defaultType: Type | undefined;
  /** Declared after `*`: may only be passed by name. */
  readonly kwargOnly: boolean;
  /** The alias annotation, or null for a fresh / unaliased value. */
  readonly alias: AliasInfo | null;

  constructor(init: ArgumentInit) {
    this.name = init.name;
    this.type = init.type;
    this.realType = init.realType ?? init.type;
    this.N = init.N ?? null;
    this.defaultValue = init.defaultValue;
    this.defaultType = init.defaultValue === undefined ? undefined : init.defaultType;
    this.kwargOnly = init.kwargOnly ?? false;
    this.alias = init.alias ?? null;
  }

  /** True if the argument has a default (a default of `None` counts). */
  get hasDefault(): boolean {
    return this.defaultValue !== undefined;
  }

  /** True if the argument (or an element of it) is written by the operator. */
  get isWritten(): boolean {
    return this.alias?.writesAnywhere ?? false;
  }

  /** PyTorch's `is_out`: a keyword-only argument the operator writes (the `out=` of `.out` overloads). */
  get isOut(): boolean {
    return this.kwargOnly && this.isWritten;
  }

  /** `Tensor(a!) self`, `int[2] stride=1`, `Tensor(a)[]`. */
  toString(): string {
    let text = printType(this.realType, this.alias, this.N);
    if (this.name) text += ` ${this.name}`;
    if (this.defaultValue !== undefined) text += `=${printDefault(this)}`;
    return text;
  }
}

// Alias annotations sit right after the type they belong to and before `?`: `Tensor(a)?`, `Tensor(a!)[]`, `t[](a!)`.
function printType(type: Type, alias: AliasInfo | null, N: number | null): string {
  if (type instanceof OptionalType) return `${printType(type.elem, alias, N)}?`;
  let text: string;
  if (type instanceof ListType) {
    text = `${printType(type.elem, alias?.contained[0] ?? null, null)}[${N ?? ''}]`;
  } else {
    text = schemaTypeStr(type);
  }
  return alias ? text + alias.toString() : text;
}

function printDefault(arg: Argument): string {
  const value = arg.defaultValue as IValue;
  // PyTorch writes a constant int list default of a (non-optional) `int[N]` as one int: `int[2] stride=1`.
  // It does so for unsized `int[]` too, which its own parser then rejects; we keep those as lists.
  if (
    arg.N !== null &&
    Array.isArray(value) &&
    arg.realType instanceof ListType &&
    arg.realType.elem.kind === 'int' &&
    value.length > 1
  ) {
    const realElem = arg.realType.elem;
    if (realElem.str() === 'int' && value.every((v) => v === value[0]))
      return printValue(value[0], arg.defaultType, true);
  }
  return printValue(value, arg.defaultType, false);
}

function printValue(value: IValue, type: Type | undefined, element: boolean): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'bigint') return intToString(value);
  if (typeof value === 'number') {
    const elemType = element && type instanceof ListType ? type.elem : type;
    const isFloat = elemType
      ? elemType.kind === 'float' || elemType.kind === 'complex'
      : !Number.isInteger(value);
    return isFloat ? formatFloat(value) : intToString(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => printValue(v, type, true)).join(', ')}]`;
  return String(value);
}

/** The fields of a FunctionSchema. */
export interface FunctionSchemaInit {
  readonly name: string;
  readonly overloadName?: string;
  readonly arguments: readonly Argument[];
  readonly returns: readonly Argument[];
  readonly isVararg?: boolean;
  readonly isVarret?: boolean;
}

/** A parsed operator schema: `aten::add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)`. */
export class FunctionSchema {
  /** Qualified operator name: `aten::add_`. */
  readonly name: string;
  /** Overload name: `Tensor`; empty for the unnamed overload. */
  readonly overloadName: string;
  readonly arguments: readonly Argument[];
  readonly returns: readonly Argument[];
  /** Ends its arguments with `...`: takes any number of extra inputs. */
  readonly isVararg: boolean;
  /** Returns `...`: any number of outputs, of types the schema does not say. */
  readonly isVarret: boolean;
  private printed: string | undefined;

  constructor(init: FunctionSchemaInit) {
    this.name = init.name;
    this.overloadName = init.overloadName ?? '';
    this.arguments = init.arguments;
    this.returns = init.returns;
    this.isVararg = init.isVararg ?? false;
    this.isVarret = init.isVarret ?? false;
  }

  /** `aten::add.Tensor`, or `aten::relu` for the unnamed overload: the key facts tables use. */
  get key(): string {
    return this.overloadName ? `${this.name}.${this.overloadName}` : this.name;
  }

  /** `aten` of `aten::add`. */
  get namespace(): string {
    return this.name.slice(0, this.name.indexOf('::'));
  }

  /** `add` of `aten::add`. */
  get baseName(): string {
    return this.name.slice(this.name.indexOf('::') + 2);
  }

  /** True if the operator writes any argument (an in-place op, an `out=` overload, `aten::append`). */
  get isMutable(): boolean {
    return this.arguments.some((a) => a.isWritten);
  }

  /** Indices of the arguments the operator writes (`(a!)`, including elements of `Tensor(a!)[]`). */
  get mutatedArgIndices(): number[] {
    const out: number[] = [];
    this.arguments.forEach((a, i) => {
      if (a.isWritten) out.push(i);
    });
    return out;
  }

  /** Index of the argument named `name`, or -1. */
  argumentIndex(name: string): number {
    return this.arguments.findIndex((a) => a.name === name);
  }

  /**
   * Indices of the arguments output `outputIdx` may alias: those sharing an alias set with it,
   * counting list elements (`chunk(Tensor(a -> *) self) -> Tensor(a)[]` gives [0]). Wildcard-only
   * outputs (`t(*)`) give [] here; see `returnsWildcard`.
   */
  aliasOf(outputIdx: number): number[] {
    const out = this.returns[outputIdx]?.alias;
    if (!out) return [];
    const sets = new Set(out.allBeforeSets().filter((s) => s !== WILDCARD));
    if (sets.size === 0) return [];
    const result: number[] = [];
    this.arguments.forEach((a, i) => {
      if (a.alias?.allBeforeSets().some((s) => sets.has(s))) result.push(i);
    });
    return result;
  }

  /** True if output `outputIdx` is in the wildcard set (`aten::__getitem__.t(...) -> t(*)`): it may alias anything escaped. */
  returnsWildcard(outputIdx: number): boolean {
    return this.returns[outputIdx]?.alias?.allBeforeSets().includes(WILDCARD) ?? false;
  }

  /** The schema text, exactly as PyTorch 1.13 prints it. */
  toString(): string {
    this.printed ??= this.print();
    return this.printed;
  }

  private print(): string {
    const args: string[] = [];
    let seenKwargOnly = false;
    for (const a of this.arguments) {
      if (a.kwargOnly && !seenKwargOnly) {
        args.push('*');
        seenKwargOnly = true;
      }
      args.push(a.toString());
    }
    if (this.isVararg) args.push('...');
    return `${this.key}(${args.join(', ')}) -> ${this.printReturns()}`;
  }

  private printReturns(): string {
    const rets = this.returns.map((r) => r.toString());
    if (this.isVarret) return rets.length === 0 ? '...' : `(${[...rets, '...'].join(', ')})`;
    // One return goes without parentheses unless its text starts with one (a tuple type).
    if (rets.length === 1 && !rets[0].startsWith('(')) return rets[0];
    return `(${rets.join(', ')})`;
  }
}
