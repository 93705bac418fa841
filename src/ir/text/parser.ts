// Parses TorchScript IR text (what PyTorch's print(graph) shows) into a Graph. Line-oriented: a header
// `graph(...):`, one node per line, `blockN(...):` headers indented under their node, `-> (...)` ending a
// block, `return (...)` ending the graph. Every malformed input throws IRParseError with file:line:col.

import { setConstantAttribute } from '../constants.js';
import { Graph } from '../graph.js';
import type { Block } from '../block.js';
import type { Node } from '../node.js';
import type { Type } from '../types.js';
import type { Value } from '../value.js';
import { isWordChar, Lexer } from './lexer.js';
import type { TensorStyle } from './tensor-text.js';
import { setNodeScope } from './printer.js';
import { TypeParser, type ResolveClass } from './type-parser.js';
import { constantMismatch, parseAttribute, parseIValue, type ValueContext } from './value-text.js';

/** Options of parseIR. */
export interface ParseOptions {
  /** Name used in error messages (default `<ir>`). */
  readonly file?: string;
  /** Maps class names onto class types (default: a NamedClassType per name, shared within the parse). */
  readonly resolveClass?: ResolveClass;
  /**
   * Which tensor constant forms to accept: 'any' (default), 'lossless' (only `tensor<...>"..."`: refuses
   * PyTorch's lossy forms, for inputs that must be exact) or 'pytorch' (refuses `tensor<...>`).
   */
  readonly tensorStyle?: TensorStyle | 'any';
}

/** Parses IR text into a new Graph. Throws IRParseError (code IR_PARSE) on malformed input. */
export function parseIR(text: string, options: ParseOptions = {}): Graph {
  const source = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  return new IRParser(new Lexer(source, options.file ?? '<ir>'), options).parseGraph();
}

interface PendingOutput {
  readonly name: string;
  readonly type: Type;
  readonly at: number;
}

class IRParser {
  private readonly graph = new Graph();
  private readonly types: TypeParser;
  private readonly cx: ValueContext;
  // Values visible at the current point; each open block lists the names it defined, removed when it closes.
  private readonly visible = new Map<string, Value>();
  // Outputs of nodes whose blocks are being parsed: not usable inside those blocks.
  private readonly pending = new Set<string>();

  constructor(
    private readonly lx: Lexer,
    options: ParseOptions,
  ) {
    this.types = new TypeParser(lx, options.resolveClass);
    this.cx = { lx, types: this.types, accept: options.tensorStyle ?? 'any' };
  }

  parseGraph(): Graph {
    const lx = this.lx;
    lx.skipBlankLines();
    if (lx.atEnd) throw lx.error("empty input: expected 'graph(...):'");
    const indent = lx.readIndent();
    if (!lx.eat('graph') || isWordChar(lx.peek())) {
      throw lx.error(`expected 'graph(...):' to start the IR${lx.found()}`, lx.pos);
    }
    lx.expect('(', "'(' after graph");
    const scope: string[] = [];
    // The header's inputs may span lines (PyTorch puts each on its own line after the first).
    this.skipSpaceAndNewlines();
    if (!lx.eat(')')) {
      for (;;) {
        this.skipSpaceAndNewlines();
        const p = this.readTypedName('graph input');
        this.define(this.graph.addInput(p.type, p.name), p, scope);
        this.skipSpaceAndNewlines();
        if (lx.eat(')')) break;
        if (!lx.eat(',')) throw lx.error(`expected ',' or ')' in the graph's inputs${lx.found()}`);
      }
    }
    lx.expect(':', "':' after graph(...)");
    lx.endLine();
    this.parseBody(this.graph.block, indent, 'return', scope);
    lx.skipBlankLines();
    if (!lx.atEnd) {
      lx.skipSpaces();
      throw lx.error(`unexpected text after the graph's return${lx.found()}`);
    }
    return this.graph;
  }

  // The lines of one block, each at the same indentation (deeper than `outer`), up to its terminator.
  private parseBody(block: Block, outer: number, terminator: 'return' | '->', scope: string[]): void {
    const lx = this.lx;
    let indent = -1;
    for (;;) {
      lx.skipBlankLines();
      if (lx.atEnd) {
        throw lx.error(
          terminator === 'return'
            ? "missing 'return (...)' at the end of the graph"
            : "block is not closed by '-> (...)'",
        );
      }
      const lineStart = lx.pos;
      let ind = lx.readIndent();
      // PyTorch writes a node without outputs as indent + '' + ' = ': its '=' sits one column further in.
      // Accept it at the body's indentation too (hand-written IR).
      if (lx.peek() === 0x3d && (indent < 0 || ind === indent + 1)) ind--;
      if (indent < 0) {
        if (ind <= outer) {
          throw lx.error(
            `wrong indentation: expected more than ${outer} spaces ${terminator === 'return' ? 'inside the graph' : 'inside the block'}, found ${ind}`,
            lineStart + ind,
          );
        }
        indent = ind;
      } else if (ind !== indent) {
        const why = ind < indent && terminator === '->' ? " (a block must end with '-> (...)')" : '';
        throw lx.error(
          `wrong indentation: expected ${indent} spaces like the lines above, found ${ind}${why}`,
          lineStart + ind,
        );
      }
      if (this.atKeyword('return')) {
        if (terminator !== 'return') throw lx.error("'return' inside a block: blocks end with '-> (...)'");
        lx.pos += 'return'.length;
        this.readOutputs(block, "'return'");
        break;
      }
      if (lx.lookingAt('->')) {
        if (terminator !== '->') throw lx.error("'->' outside a block: the graph ends with 'return (...)'");
        lx.pos += 2;
        this.readOutputs(block, "'->'");
        break;
      }
      if (this.atKeyword('block', true))
        throw lx.error('block header without a node owning it (is it indented under its node?)');
      this.parseNode(block, ind, scope);
    }
  }

  // `(%a, %b)` after return / ->, then the end of the line.
  private readOutputs(block: Block, what: string): void {
    const lx = this.lx;
    lx.expect('(', `'(' after ${what}`);
    for (const v of this.readUses(')')) block.registerOutput(v);
    lx.endLine();
  }

  private parseNode(block: Block, indent: number, scope: string[]): void {
    const lx = this.lx;
    const outputs: PendingOutput[] = [];
    if (lx.peek() === 0x25) {
      for (;;) {
        const out = this.readTypedName('output');
        if (outputs.some((o) => o.name === out.name))
          throw lx.error(`redefinition of value %${out.name}`, out.at);
        outputs.push(out);
        lx.skipSpaces();
        if (!lx.eat(',')) break;
        lx.skipSpaces();
        if (lx.peek() !== 0x25)
          throw lx.error(`expected another output '%name : type' after ','${lx.found()}`);
      }
    }
    lx.skipSpaces();
    if (!lx.eat('=')) {
      throw lx.error(
        outputs.length
          ? `expected '=' after the node's outputs${lx.found()}`
          : `expected a node ('%out : type = kind(...)' or ' = kind(...)')${lx.found()}`,
      );
    }
    lx.skipSpaces();
    const kind = this.readKind();
    const node = this.graph.createBareNode(kind);
    if (lx.eat('[')) this.readAttributes(node, outputs);
    lx.expect('(', `'(' with the inputs of ${kind}`);
    for (const v of this.readUses(')')) node.addInput(v);
    lx.skipSpaces();
    if (lx.eat(',')) {
      // A traced graph's `, scope: __module.layer1/__module.layer1.0`.
      lx.expect('scope:', "'scope:' after ','");
      lx.skipSpaces();
      const at = lx.pos;
      while (!lx.atLineEnd && lx.peek() !== 0x20 && lx.peek() !== 0x09) lx.pos++;
      if (lx.pos === at) throw lx.error(`expected a scope name${lx.found()}`);
      setNodeScope(node, lx.text.slice(at, lx.pos));
      lx.skipSpaces();
    }
    if (lx.eat('#')) {
      const end = lx.text.indexOf('\n', lx.pos);
      const comment = lx.text.slice(lx.pos, end < 0 ? lx.text.length : end).trim();
      lx.pos = end < 0 ? lx.text.length : end;
      if (comment) node.sourceRange = comment;
    }
    lx.endLine(`end of line after ${kind}(...)`);
    block.appendNode(node);
    const values = outputs.map((o) => node.addOutput(o.type, o.name));
    // A node's outputs exist only after its blocks ran: define them once the blocks are parsed.
    for (const o of outputs) this.pending.add(o.name);
    this.parseBlocks(node, indent);
    outputs.forEach((o, i) => {
      this.pending.delete(o.name);
      this.define(values[i], o, scope);
    });
  }

  // `blockN(%p : T, ...):` headers indented under the node, each followed by its body.
  private parseBlocks(node: Node, indent: number): void {
    const lx = this.lx;
    let headerIndent = -1;
    for (;;) {
      lx.skipBlankLines();
      if (lx.atEnd) return;
      const lineStart = lx.pos;
      const spaces = lx.readIndent();
      const ind = lx.peek() === 0x3d ? spaces - 1 : spaces;
      lx.pos = lineStart;
      if (ind <= indent) return;
      lx.pos = lineStart + spaces;
      if (!this.atKeyword('block', true)) {
        throw lx.error(
          `wrong indentation: only 'block${node.blocks.length}(...):' may be indented under ${node.kind}`,
        );
      }
      if (headerIndent >= 0 && ind !== headerIndent) {
        throw lx.error(`wrong indentation: expected ${headerIndent} spaces like block0, found ${ind}`);
      }
      headerIndent = ind;
      lx.pos += 'block'.length;
      const numberAt = lx.pos;
      const n = lx.readNumber();
      if (n !== String(node.blocks.length))
        throw lx.error(`expected block${node.blocks.length}`, numberAt - 'block'.length);
      lx.expect('(', `'(' after block${n}`);
      const block = node.addBlock();
      const scope: string[] = [];
      lx.skipSpaces();
      if (!lx.eat(')')) {
        for (;;) {
          lx.skipSpaces();
          const p = this.readTypedName('block input');
          this.define(block.addInput(p.type, p.name), p, scope);
          lx.skipSpaces();
          if (lx.eat(')')) break;
          if (!lx.eat(',')) throw lx.error(`expected ',' or ')' in the block's inputs${lx.found()}`);
        }
      }
      lx.expect(':', `':' after block${n}(...)`);
      lx.endLine();
      lx.nested(() => this.parseBody(block, ind, '->', scope));
      // The block is closed: what it defined is no longer visible.
      for (const name of scope) this.visible.delete(name);
    }
  }

  // `[name=value, ...]`; the '[' is consumed.
  private readAttributes(node: Node, outputs: readonly PendingOutput[]): void {
    const lx = this.lx;
    lx.skipSpaces();
    if (lx.eat(']')) return;
    for (;;) {
      lx.skipSpaces();
      const at = lx.pos;
      const name = lx.readIdent();
      if (!name) throw lx.error(`expected an attribute name${lx.found()}`);
      if (node.hasAttribute(name)) throw lx.error(`attribute '${name}' given twice`, at);
      lx.expect('=', `'=' after attribute '${name}'`);
      if (node.kind === 'prim::Constant' && name === 'value' && outputs.length === 1) {
        // Rebuild the value through the IR's own constant rules, so it reads back as insertConstant makes it.
        const valueAt = lx.pos;
        const type = outputs[0].type;
        const value = parseIValue(this.cx, type);
        const problem = constantMismatch(value, type);
        if (problem) throw lx.error(`bad attribute value: ${problem}`, valueAt);
        setConstantAttribute(node, value, type);
      } else {
        node.setAttribute(name, parseAttribute(this.cx));
      }
      lx.skipSpaces();
      if (lx.eat(']')) return;
      if (!lx.eat(',')) throw lx.error(`expected ',' or ']' after attribute '${name}'${lx.found()}`);
    }
  }

  // `%a, %b` up to `close` (the '(' is consumed): each must name a visible value.
  private readUses(close: string): Value[] {
    const lx = this.lx;
    const values: Value[] = [];
    lx.skipSpaces();
    if (lx.eat(close)) return values;
    for (;;) {
      lx.skipSpaces();
      const at = lx.pos;
      if (!lx.eat('%')) throw lx.error(`expected a value '%name'${lx.found()}`);
      const name = lx.readDottedWord();
      if (!name) throw lx.error(`expected a value name after '%'${lx.found()}`);
      values.push(this.use(name, at));
      lx.skipSpaces();
      if (lx.eat(close)) return values;
      if (!lx.eat(',')) throw lx.error(`expected ',' or '${close}'${lx.found()}`);
    }
  }

  private use(name: string, at: number): Value {
    const v = this.visible.get(name);
    if (v) return v;
    if (this.pending.has(name)) {
      throw this.lx.error(`value %${name} is used inside the blocks of the node that produces it`, at);
    }
    if (this.graph.valueByName(name)) {
      throw this.lx.error(
        `value %${name} is defined inside a block that has ended: it is not visible here`,
        at,
      );
    }
    throw this.lx.error(`undefined value %${name} (values must be defined before they are used)`, at);
  }

  // `%name : type`.
  private readTypedName(what: string): PendingOutput {
    const lx = this.lx;
    const at = lx.pos;
    if (!lx.eat('%')) throw lx.error(`expected ${what} '%name : type'${lx.found()}`);
    const name = lx.readDottedWord();
    if (!name) throw lx.error(`expected a value name after '%'${lx.found()}`);
    if (this.graph.valueByName(name)) throw lx.error(`redefinition of value %${name}`, at);
    lx.skipSpaces();
    if (!lx.eat(':'))
      throw lx.error(`expected ' : <type>' after %${name} (every ${what} needs a type)${lx.found()}`);
    const type = this.types.parse();
    return { name, type, at };
  }

  private define(value: Value, p: PendingOutput, scope: string[]): void {
    this.visible.set(p.name, value);
    scope.push(p.name);
  }

  // `ns::name`, e.g. aten::add_, prim::Constant, torchvision::nms.
  private readKind(): string {
    const lx = this.lx;
    const at = lx.pos;
    const ns = lx.readIdent();
    if (!ns || !lx.eat('::')) throw lx.error(`expected an operator kind like aten::add${lx.found()}`, at);
    const name = lx.readDottedWord();
    if (!name) throw lx.error(`expected an operator name after '${ns}::'${lx.found()}`);
    return `${ns}::${name}`;
  }

  private atKeyword(word: string, digitFollows = false): boolean {
    const lx = this.lx;
    if (!lx.lookingAt(word)) return false;
    const next = lx.peek(word.length);
    return digitFollows ? next >= 0x30 && next <= 0x39 : !isWordChar(next);
  }

  private skipSpaceAndNewlines(): void {
    const lx = this.lx;
    for (;;) {
      lx.skipSpaces();
      if (lx.peek() !== 0x0a) return;
      lx.pos++;
    }
  }
}
