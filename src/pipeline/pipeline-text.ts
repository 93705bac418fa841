// The pipeline text form: `a,b{opt=1,list=[x,y]},fixpoint{max=10}(c,d),when{option=optimizeNumerics}(e)`,
// `methods(forward,helper: cse)`, `submodules(layer1.0: ...)`.
// A recursive-descent parser that reports the column of any mistake, and the canonical printer.
// Grammar: docs/pipelines.md. print(parse(t)) is t for canonical t; parse(print(p)) equals p.

import type { OptionLiteral } from './contracts.js';
import { LimitError, currentLimits } from '../limits.js';
import { pipelineSyntaxError } from './errors.js';
import {
  isOptionRef,
  METHOD_NAME,
  setOrigin,
  SUBMODULE_PATH,
  type AnchorKind,
  type OptionExpr,
  type Pipeline,
  type PipelineElement,
} from './pipeline.js';

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_.-]/;
const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const BAREWORD_START = /[A-Za-z_]/;
const BAREWORD_CHAR = /[A-Za-z0-9_.:/-]/;
const BAREWORD = /^[A-Za-z_][A-Za-z0-9_.:/-]*$/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parses pipeline text. Throws PipelineError `PIPELINE_SYNTAX` naming the column, with a caret. */
export function parsePipelineText(text: string): Pipeline {
  return new TextParser(text).parse();
}

class TextParser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly text: string) {}

  // Groups and option lists nest; past maxNestingDepth the pipeline is refused (the parser recurses).
  private nested<T>(parse: () => T): T {
    if (this.depth >= currentLimits().maxNestingDepth)
      throw new LimitError(
        'maxNestingDepth',
        this.depth + 1,
        `pipeline text, column ${this.pos + 1}: nested too deeply`,
      );
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  parse(): Pipeline {
    const elements = this.elements(undefined);
    this.ws();
    if (this.pos < this.text.length) {
      const c = this.text[this.pos];
      throw this.error(c === ')' ? "unmatched ')'" : `expected ',' or the end of the pipeline, found '${c}'`);
    }
    return { elements };
  }

  // A comma-separated list of elements, ending before `close` (or at the end of text when undefined).
  private elements(close: string | undefined): PipelineElement[] {
    const out: PipelineElement[] = [];
    this.ws();
    if (this.atEnd() || this.peek() === close) return out;
    for (;;) {
      out.push(this.element());
      this.ws();
      if (this.peek() !== ',') return out;
      this.pos++;
      this.ws();
    }
  }

  private element(): PipelineElement {
    const start = this.pos;
    const c = this.peek();
    if (c === undefined) throw this.error('expected a pass name, found the end of the pipeline');
    if (c === '@') {
      this.pos++;
      const point = this.key("an extension point name after '@'");
      const element: PipelineElement = { kind: 'extension', name: point };
      setOrigin(element, this.text, start);
      return element;
    }
    if (!NAME_START.test(c)) throw this.error(`expected a pass name, found '${c}'`);
    while (!this.atEnd() && NAME_CHAR.test(this.text[this.pos])) this.pos++;
    const name = this.text.slice(start, this.pos);
    this.ws();
    if ((name === 'methods' || name === 'submodules') && (this.peek() === '(' || this.peek() === '{')) {
      if (this.peek() === '{') throw this.error(`${name}(...) takes no options`);
      const element = this.anchor(name);
      setOrigin(element, this.text, start);
      return element;
    }
    const options = this.peek() === '{' ? this.options() : [];
    this.ws();
    let element: PipelineElement;
    if (name === 'fixpoint' || name === 'when') {
      const body = this.body(name);
      element =
        name === 'fixpoint'
          ? this.fixpoint(options, body)
          : options[0]?.key === 'changed'
            ? this.whenChanged(options, body)
            : this.when(options, body, start);
    } else {
      if (this.peek() === '(')
        throw this.error(
          `'${name}' is a pass, not a group: only fixpoint, when, methods and submodules take '(...)'`,
        );
      element = { kind: 'pass', name, options: Object.fromEntries(options.map((o) => [o.key, o.value])) };
    }
    setOrigin(element, this.text, start);
    return element;
  }

  private body(group: string): PipelineElement[] {
    if (this.peek() !== '(') throw this.error(`expected '(' after ${group}`);
    this.pos++;
    return this.rest(group);
  }

  // The elements of a group up to its ')'.
  private rest(group: string): PipelineElement[] {
    const body = this.nested(() => this.elements(')'));
    this.ws();
    if (this.peek() !== ')')
      throw this.error(
        this.atEnd() ? `missing ')' to close ${group}(` : `expected ',' or ')', found '${this.peek()}'`,
      );
    this.pos++;
    return body;
  }

  // methods(a,b: ...) / submodules(x.0,y: ...): names, ':', then the body.
  private anchor(on: AnchorKind): PipelineElement {
    this.pos++; // '('
    const what = on === 'methods' ? 'a method name' : 'a submodule path';
    const valid = on === 'methods' ? METHOD_NAME : SUBMODULE_PATH;
    const names: string[] = [];
    for (;;) {
      this.ws();
      const at = this.pos;
      while (!this.atEnd() && /[A-Za-z0-9_.]/.test(this.text[this.pos])) this.pos++;
      const name = this.text.slice(at, this.pos);
      if (!valid.test(name))
        throw pipelineSyntaxError(
          this.text,
          at,
          name ? `'${name}' is not ${what}` : `expected ${what} in ${on}(...), found ${this.found()}`,
        );
      if (names.includes(name)) throw pipelineSyntaxError(this.text, at, `${on}(...) names '${name}' twice`);
      names.push(name);
      this.ws();
      const c = this.peek();
      this.pos++;
      if (c === ':') break;
      if (c !== ',') {
        this.pos--;
        throw this.error(`expected ',' or ':' after ${what}, found ${this.found()}`);
      }
    }
    return { kind: 'anchor', on, names, body: this.rest(on) };
  }

  private found(): string {
    return this.atEnd() ? 'the end of the pipeline' : `'${this.peek()}'`;
  }

  private fixpoint(options: ParsedOption[], body: PipelineElement[]): PipelineElement {
    let max: number | undefined;
    for (const o of options) {
      if (o.key !== 'max')
        throw pipelineSyntaxError(this.text, o.at, `fixpoint takes only {max=N}, not '${o.key}'`);
      if (typeof o.value !== 'number' || !Number.isInteger(o.value) || o.value < 1) {
        throw pipelineSyntaxError(this.text, o.valueAt, 'fixpoint max must be a positive integer');
      }
      max = o.value;
    }
    return max === undefined ? { kind: 'fixpoint', body } : { kind: 'fixpoint', max, body };
  }

  private when(options: ParsedOption[], body: PipelineElement[], start: number): PipelineElement {
    let option: string | undefined;
    let equals: OptionLiteral | undefined;
    for (const o of options) {
      if (o.key === 'option') {
        if (typeof o.value !== 'string' || !KEY.test(o.value))
          throw pipelineSyntaxError(this.text, o.valueAt, 'when{option=NAME} needs a pipeline option name');
        option = o.value;
      } else if (o.key === 'equals') {
        if (hasRef(o.value))
          throw pipelineSyntaxError(
            this.text,
            o.valueAt,
            'when{equals=...} takes a literal, not a $reference',
          );
        equals = o.value as OptionLiteral;
      } else {
        throw pipelineSyntaxError(
          this.text,
          o.at,
          `when takes {option=NAME} and optionally {equals=VALUE}, not '${o.key}'`,
        );
      }
    }
    if (option === undefined)
      throw pipelineSyntaxError(this.text, start, 'when needs {option=NAME}: the pipeline option it tests');
    return equals === undefined ? { kind: 'when', option, body } : { kind: 'when', option, equals, body };
  }

  // when{changed=PASS}(...): the body runs when the latest run of PASS changed the IR.
  private whenChanged(options: ParsedOption[], body: PipelineElement[]): PipelineElement {
    const [o, extra] = options;
    if (extra) throw pipelineSyntaxError(this.text, extra.at, 'when{changed=PASS} takes nothing else');
    if (typeof o.value !== 'string' || !KEY.test(o.value))
      throw pipelineSyntaxError(this.text, o.valueAt, 'when{changed=PASS} needs a pass name');
    return { kind: 'when-changed', pass: o.value, body };
  }

  private options(): ParsedOption[] {
    this.pos++; // '{'
    const out: ParsedOption[] = [];
    this.ws();
    if (this.peek() === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      const at = this.pos;
      const key = this.key('an option name');
      if (out.some((o) => o.key === key))
        throw pipelineSyntaxError(this.text, at, `option '${key}' is given twice`);
      this.ws();
      if (this.peek() !== '=') throw this.error(`expected '=' after option '${key}'`);
      this.pos++;
      this.ws();
      const valueAt = this.pos;
      out.push({ key, value: this.value(), at, valueAt });
      this.ws();
      const c = this.peek();
      this.pos++;
      if (c === '}') return out;
      if (c !== ',') {
        this.pos--;
        throw this.error(
          c === undefined ? "missing '}' to close the options" : `expected ',' or '}', found '${c}'`,
        );
      }
    }
  }

  private key(what: string): string {
    const start = this.pos;
    if (!this.atEnd() && NAME_START.test(this.text[this.pos])) {
      this.pos++;
      while (!this.atEnd() && /[A-Za-z0-9_-]/.test(this.text[this.pos])) this.pos++;
    }
    if (this.pos === start)
      throw this.error(
        `expected ${what}, found ${this.atEnd() ? 'the end of the pipeline' : `'${this.peek()}'`}`,
      );
    return this.text.slice(start, this.pos);
  }

  private value(): OptionExpr {
    const c = this.peek();
    if (c === '$') {
      this.pos++;
      return { ref: this.key("a pipeline option name after '$'") };
    }
    if (c === '[') {
      this.pos++;
      const items: OptionExpr[] = [];
      this.ws();
      if (this.peek() === ']') {
        this.pos++;
        return items;
      }
      for (;;) {
        this.ws();
        items.push(this.nested(() => this.value()));
        this.ws();
        const d = this.peek();
        this.pos++;
        if (d === ']') return items;
        if (d !== ',') {
          this.pos--;
          throw this.error(
            d === undefined ? "missing ']' to close the list" : `expected ',' or ']', found '${d}'`,
          );
        }
      }
    }
    if (c === '"') return this.string();
    if (c !== undefined && (c === '-' || /[0-9]/.test(c))) {
      const start = this.pos;
      NUMBER.lastIndex = this.pos;
      const m = NUMBER.exec(this.text);
      if (!m) throw this.error('malformed number');
      this.pos += m[0].length;
      if (!this.atEnd() && BAREWORD_CHAR.test(this.text[this.pos])) {
        throw pipelineSyntaxError(this.text, start, 'malformed number (quote it if it is a string)');
      }
      return Number(m[0]);
    }
    if (c !== undefined && BAREWORD_START.test(c)) {
      const start = this.pos;
      while (!this.atEnd() && BAREWORD_CHAR.test(this.text[this.pos])) this.pos++;
      const word = this.text.slice(start, this.pos);
      return word === 'true' ? true : word === 'false' ? false : word;
    }
    throw this.error(
      c === undefined ? 'expected a value, found the end of the pipeline' : `expected a value, found '${c}'`,
    );
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    while (!this.atEnd() && this.text[this.pos] !== '"') {
      if (this.text[this.pos] === '\\') this.pos++;
      this.pos++;
    }
    if (this.atEnd()) throw pipelineSyntaxError(this.text, start, 'unterminated string');
    this.pos++;
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      throw pipelineSyntaxError(this.text, start, 'malformed string escape');
    }
  }

  private ws(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.pos])) this.pos++;
  }
  private peek(): string | undefined {
    return this.text[this.pos];
  }
  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  private error(reason: string) {
    return pipelineSyntaxError(this.text, this.pos, reason);
  }
}

interface ParsedOption {
  readonly key: string;
  readonly value: OptionExpr;
  readonly at: number;
  readonly valueAt: number;
}

function hasRef(value: OptionExpr): boolean {
  return isOptionRef(value) || (Array.isArray(value) && (value as readonly OptionExpr[]).some(hasRef));
}

/** Prints a pipeline in canonical text form (no spaces; options in the order given). */
export function printPipelineText(pipeline: Pipeline): string {
  return printElements(pipeline.elements);
}

function printElements(elements: readonly PipelineElement[]): string {
  return elements.map(printElement).join(',');
}

function printElement(e: PipelineElement): string {
  switch (e.kind) {
    case 'pass': {
      const entries = Object.entries(e.options);
      return entries.length
        ? `${e.name}{${entries.map(([k, v]) => `${k}=${printValue(v)}`).join(',')}}`
        : e.name;
    }
    case 'fixpoint':
      return `fixpoint${e.max === undefined ? '' : `{max=${e.max}}`}(${printElements(e.body)})`;
    case 'when-changed':
      return `when{changed=${e.pass}}(${printElements(e.body)})`;
    case 'when':
      return `when{option=${e.option}${e.equals === undefined ? '' : `,equals=${printValue(e.equals)}`}}(${printElements(e.body)})`;
    case 'extension':
      return `@${e.name}`;
    case 'anchor':
      return `${e.on}(${e.names.join(',')}:${printElements(e.body)})`;
  }
}

/** Prints one option value as pipeline text writes it. */
export function printValue(value: OptionExpr): string {
  if (isOptionRef(value)) return `$${value.ref}`;
  if (Array.isArray(value)) return `[${(value as readonly OptionExpr[]).map(printValue).join(',')}]`;
  if (typeof value === 'string')
    return BAREWORD.test(value) && value !== 'true' && value !== 'false' ? value : JSON.stringify(value);
  return String(value);
}
