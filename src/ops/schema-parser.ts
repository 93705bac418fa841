// Parser of TorchScript operator schema strings, as PyTorch 1.13 writes them, into FunctionSchema:
// overload names, alias annotations, defaults, keyword-only `*`, varargs `...`, fixed-size lists.
// Mirrors the grammar of torch/csrc/jit/frontend/function_schema_parser.cpp (read, not copied).

import {
  DictType,
  FutureType,
  ListType,
  NamedClassType,
  OptionalType,
  StringType,
  TupleType,
  UnionType,
  VarType,
  type Type,
} from '../ir/types.js';
import { parseDefault } from './schema-defaults.js';
import { SHARED_SIMPLE_TYPES } from '../ir/simple-type-names.js';
import { SchemaParseError, tokenize, type Token } from './schema-lexer.js';
import { AliasInfo, Argument, FunctionSchema } from './schema.js';
import { AnyClassType, AnyEnumType, fakeType, QSchemeType, RRefType, SymIntType } from './schema-types.js';

export { SchemaParseError } from './schema-lexer.js';

const BASE_TYPES: ReadonlyMap<string, Type> = new Map<string, Type>([
  ...SHARED_SIMPLE_TYPES,
  // PyTorch spells Dimname arguments `str` in TorchScript; accept the yaml spelling too.
  ['Dimname', StringType],
  ['SymInt', SymIntType],
  ['QScheme', QSchemeType],
  ['AnyClassType', AnyClassType],
  ['AnyEnumType', AnyEnumType],
]);

/** A parsed type with the annotations that belong to the argument: alias info and fixed list size. */
export interface AnnotatedType {
  readonly type: Type;
  readonly alias: AliasInfo | null;
  readonly N: number | null;
}

/** Parses one schema string. Throws SchemaParseError (code SCHEMA_PARSE) with the column of the problem. */
export function parseSchema(text: string): FunctionSchema {
  return new SchemaParser(text).parseSchema();
}

class SchemaParser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parseStandaloneType(): Type {
    const { type } = this.parseType(false);
    if (this.peek().kind !== 'eof')
      this.fail(this.peek(), `unexpected '${this.describe(this.peek())}' after the type`);
    return fakeType(type);
  }

  parseSchema(): FunctionSchema {
    const { name, overloadName } = this.parseName();
    this.expect('(');
    const { args, isVararg } = this.parseArguments();
    this.expect('->');
    const { returns, isVarret } = this.parseReturns();
    if (this.peek().kind !== 'eof')
      this.fail(this.peek(), `unexpected '${this.peek().text}' after the returns`);
    return new FunctionSchema({ name, overloadName, arguments: args, returns, isVararg, isVarret });
  }

  // `ns::name` or `ns::name.overload`.
  private parseName(): { name: string; overloadName: string } {
    const ns = this.expectIdent('an operator namespace (e.g. aten::)');
    this.expect('::');
    const base = this.expectIdent('an operator name');
    const overloadName = this.accept('.') ? this.expectIdent('an overload name').text : '';
    return { name: `${ns.text}::${base.text}`, overloadName };
  }

  private parseArguments(): { args: Argument[]; isVararg: boolean } {
    const args: Argument[] = [];
    let kwargOnly = false;
    let isVararg = false;
    if (this.accept(')')) return { args, isVararg };
    for (;;) {
      const tok = this.peek();
      if (this.accept('*')) {
        if (kwargOnly) this.fail(tok, "a second '*' in the arguments");
        kwargOnly = true;
      } else if (this.accept('...')) {
        isVararg = true;
        if (!this.isPunct(this.peek(), ')')) this.fail(this.peek(), "'...' must be the last argument");
      } else {
        const arg = this.parseArgument(kwargOnly, false);
        if (args.some((a) => a.name === arg.name)) this.fail(tok, `duplicate argument name '${arg.name}'`);
        args.push(arg);
      }
      if (this.accept(')')) return { args, isVararg };
      this.expect(',');
    }
  }

  // `-> Tensor`, `-> (Tensor values, Tensor indices)`, `-> ()`, `-> ...`, `-> ((str, t)[])`.
  private parseReturns(): { returns: Argument[]; isVarret: boolean } {
    if (this.accept('...')) return { returns: [], isVarret: true };
    if (!this.accept('(')) return { returns: [this.parseArgument(false, true)], isVarret: false };
    const returns: Argument[] = [];
    if (this.accept(')')) return { returns, isVarret: false };
    for (;;) {
      if (this.accept('...')) {
        this.expect(')');
        return { returns, isVarret: true };
      }
      returns.push(this.parseArgument(false, true));
      if (this.accept(')')) return { returns, isVarret: false };
      this.expect(',');
    }
  }

  private parseArgument(kwargOnly: boolean, isReturn: boolean): Argument {
    const { type: realType, alias, N } = this.parseType(true);
    let name = '';
    if (this.peek().kind === 'ident') name = this.next().text;
    else if (!isReturn)
      this.fail(this.peek(), `expected an argument name after type, found '${this.describe(this.peek())}'`);
    const type = fakeType(realType);
    if (isReturn || !this.isPunct(this.peek(), '='))
      return new Argument({ name, type, realType, N, kwargOnly, alias });
    const eq = this.next();
    if (this.peek().kind === 'eof') this.fail(this.peek(), 'expected a default value');
    const parsed = parseDefault(this.tokens, this.index, type, N);
    if (!parsed.ok) this.fail(this.tokens[parsed.at] ?? eq, parsed.reason);
    this.index = parsed.next;
    return new Argument({
      name,
      type,
      realType,
      N,
      kwargOnly,
      alias,
      defaultValue: parsed.value,
      defaultType: parsed.type,
    });
  }

  /**
   * `Tensor(a!)`, `int[2]?`, `Tensor?[]`, `t[](a!)`, `Dict(str, t)(a!)`, `(Tensor, tVal)[]`. Alias
   * annotations and the fixed size are only allowed where `annotations` is true (an argument's own type).
   */
  parseType(annotations: boolean): AnnotatedType {
    const start = this.peek();
    let type = this.parseBaseType();
    let alias: AliasInfo | null = this.isPunct(this.peek(), '(') ? this.parseAlias() : null;
    let N: number | null = null;
    for (;;) {
      const tok = this.peek();
      if (this.accept('[')) {
        if (N !== null) this.fail(tok, 'a fixed list size is only allowed on the outermost list');
        if (this.peek().kind === 'number') N = this.parseListSize();
        this.expect(']');
        type = new ListType(type);
        // The element's annotation moves inside; one written after `[]` belongs to the list itself.
        let contained: AliasInfo[] = alias ? [alias] : [];
        alias = contained.length ? new AliasInfo([], [], false, contained) : null;
        if (this.isPunct(this.peek(), '(')) {
          const own = this.parseAlias();
          contained = alias ? [...alias.contained] : [];
          alias = new AliasInfo(own.beforeSets, own.afterSets, own.isWrite, contained);
        }
      } else if (this.accept('?')) {
        type = new OptionalType(type);
        if (this.isPunct(this.peek(), '('))
          this.fail(this.peek(), "an alias annotation must come before '?' (write 'Tensor(a)?')");
      } else {
        break;
      }
    }
    if (!annotations && (alias || N !== null))
      this.fail(start, 'alias annotations and list sizes are not allowed inside this type');
    return { type, alias, N };
  }

  private parseListSize(): number {
    const tok = this.next();
    if (!/^\d+$/.test(tok.text))
      this.fail(tok, `a list size must be a non-negative integer, not '${tok.text}'`);
    return Number(tok.text);
  }

  private parseBaseType(): Type {
    const tok = this.peek();
    if (this.accept('(')) {
      const elements: Type[] = [];
      if (!this.accept(')')) {
        for (;;) {
          elements.push(this.parseType(false).type);
          if (this.accept(')')) break;
          this.expect(',');
        }
      }
      return new TupleType(elements);
    }
    if (tok.kind !== 'ident') this.fail(tok, `expected a type, found '${this.describe(tok)}'`);
    let name = this.next().text;
    while (this.isPunct(this.peek(), '.') && this.tokens[this.index + 1]?.kind === 'ident') {
      this.next();
      name += `.${this.next().text}`;
    }
    switch (name) {
      case 'Dict': {
        const [key, value] = this.parseTypeArgs(2, name);
        return new DictType(key, value);
      }
      case 'Future':
        return new FutureType(this.parseTypeArgs(1, name)[0]);
      case 'RRef':
        return new RRefType(this.parseTypeArgs(1, name)[0]);
      case 'Optional':
        return new OptionalType(this.parseTypeArgs(1, name)[0]);
      case 'Union':
        return new UnionType(this.parseTypeArgs(-1, name));
    }
    const base = BASE_TYPES.get(name);
    if (base) return base;
    if (name.includes('.')) return new NamedClassType(name);
    // As in PyTorch, an unknown lower-case name is a type variable (`t`, `t1`, `tVal`).
    if (/^[a-z]/.test(name)) return new VarType(name);
    return this.fail(tok, `unknown type '${name}'`);
  }

  // `(T)` / `(K, V)` / `(A, B, ...)` after Dict, Future, RRef, Optional, Union. count -1: any number >= 1.
  private parseTypeArgs(count: number, owner: string): Type[] {
    const open = this.peek();
    this.expect('(');
    const types: Type[] = [];
    for (;;) {
      types.push(this.parseType(false).type);
      if (this.accept(')')) break;
      this.expect(',');
    }
    if (count >= 0 && types.length !== count)
      this.fail(open, `${owner} takes ${count} type argument${count === 1 ? '' : 's'}, got ${types.length}`);
    return types;
  }

  // `(a)`, `(a!)`, `(a -> *)`, `(b|a)`, `(*)`.
  private parseAlias(): AliasInfo {
    this.expect('(');
    const before = this.parseAliasSets();
    const isWrite = this.accept('!');
    const after = this.accept('->') ? this.parseAliasSets() : before;
    this.expect(')');
    return new AliasInfo(before, after, isWrite);
  }

  private parseAliasSets(): string[] {
    const sets: string[] = [];
    do {
      const tok = this.next();
      if (tok.kind === 'ident' || this.isPunct(tok, '*')) sets.push(tok.text);
      else this.fail(tok, `expected an alias set name or '*', found '${this.describe(tok)}'`);
    } while (this.accept('|'));
    return sets;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const tok = this.tokens[this.index];
    if (tok.kind !== 'eof') this.index++;
    return tok;
  }

  private isPunct(tok: Token, text: string): boolean {
    return tok.kind === 'punct' && tok.text === text;
  }

  private accept(text: string): boolean {
    if (!this.isPunct(this.peek(), text)) return false;
    this.index++;
    return true;
  }

  private expect(text: string): Token {
    const tok = this.peek();
    if (!this.isPunct(tok, text)) this.fail(tok, `expected '${text}', found '${this.describe(tok)}'`);
    return this.next();
  }

  private expectIdent(what: string): Token {
    const tok = this.peek();
    if (tok.kind !== 'ident') this.fail(tok, `expected ${what}, found '${this.describe(tok)}'`);
    return this.next();
  }

  private describe(tok: Token): string {
    if (tok.kind === 'eof') return 'end of schema';
    return tok.kind === 'string' ? JSON.stringify(tok.text) : tok.text;
  }

  private fail(tok: Token, reason: string): never {
    throw new SchemaParseError(this.text, tok.pos + 1, reason);
  }
}

/** Parses a schema type alone (`int[]?`, `Dict(str, Tensor)`) into the type TorchScript matches with. */
export function parseSchemaType(text: string): Type {
  return new SchemaParser(text).parseStandaloneType();
}
