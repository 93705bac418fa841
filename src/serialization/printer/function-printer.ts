// Prints one function (a method graph or a free function) as TorchScript source, statement by
// statement, the way PyTorch's python_print.cpp does: constants first (inlined unless long), named
// values kept, single-use expressions inlined, long inlines split into `_N = ...` lines, `if`/`else`,
// `for _0 in range(n):` and `while` loops with their carried values, tuple unpacking and SetAttr.

import { UnsupportedError } from '../../errors.js';
import type { Block } from '../../ir/block.js';
import type { Node } from '../../ir/node.js';
import { TupleType, NoneType, type Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { toIValue } from '../../ir/constants.js';
import type { Function } from '../../module/function.js';
import type { PrintContext } from './context.js';
import { minVersionForNode } from './operator-versions.js';
import { InlineScanner } from './inline-scan.js';
import { formatConstant } from './literals.js';
import { printRHS, type RhsHost } from './rhs.js';

const INT64_MAX = 2n ** 63n - 1n;

/** Bytes of `text` in UTF-8: PyTorch measures line length in bytes. */
function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function isUnionLike(type: Type): boolean {
  return type.kind === 'Optional' || type.kind === 'Union';
}

function unprintable(node: Node, why: string): UnsupportedError {
  return new UnsupportedError(`cannot print ${node.kind} as TorchScript source: ${why}`, 'UNSERIALIZABLE');
}

/** Writes one function into `out` (lines with their newline); reusable state lives in the context. */
export class FunctionPrinter implements RhsHost {
  private inline = new Set<Node>();
  private readonly exprs = new Map<Value, string>();
  private readonly idents = new Map<Value, string>();
  private readonly splitScanned = new Map<Node, number>();
  private readonly seenConstants = new Set<Node>();
  private readonly annotatedUnions = new Set<Value>();

  constructor(
    readonly cx: PrintContext,
    private readonly out: string[],
    private level: number,
  ) {}

  /** `def name(args) -> T:` and the body. `printSelfType` is false for `module.code`, which omits self's type. */
  printFunction(fn: Function, printSelfType: boolean): void {
    const cx = this.cx;
    cx.names.resetLocals();
    const sig = fn.signature;
    const inputs = fn.graph.inputs;
    let header = `${this.indent()}def ${fn.name}(`;
    sig.arguments.forEach((arg, i) => {
      cx.deps.addType(arg.type);
      const name = cx.names.generate(arg.name);
      if (i === 0) header += printSelfType ? `${name}: ${cx.types.annotation(arg.type)}` : name;
      else header += `,\n    ${name}: ${cx.types.annotation(arg.type)}`;
      if (arg.defaultValue !== undefined)
        header += `=${formatConstant(arg.defaultValue, arg.type, cx.constants, cx.nonAsciiLiterals)}`;
      if (inputs[i]) this.idents.set(inputs[i], name);
    });
    const returns = sig.returns;
    const returnType: Type =
      returns.length === 1 ? returns[0] : returns.length === 0 ? NoneType : new TupleType(returns);
    cx.deps.addType(returnType);
    this.out.push(`${header}) -> ${cx.types.annotation(returnType)}:\n`);
    this.printBody(fn.graph.block);
  }

  /** How `value` reads at its use. */
  useOf(value: Value): string {
    const name = this.idents.get(value);
    if (name !== undefined) return name;
    const expr = this.exprs.get(value);
    if (expr !== undefined) return expr;
    throw unprintable(value.node, `%${value.debugName} is used before it is defined`);
  }

  private indent(): string {
    return '  '.repeat(this.level);
  }

  private emit(line: string): void {
    this.out.push(`${this.indent()}${line}\n`);
  }

  private isLongLine(text: string): boolean {
    return byteLength(text) + this.level * 2 >= 40;
  }

  private assignNames(values: readonly Value[]): void {
    for (const v of values) this.idents.set(v, this.cx.names.forValue(v));
  }

  private valueList(values: readonly Value[]): string {
    return values.map((v) => this.useOf(v)).join(', ');
  }

  // Constants used anywhere in the body, in order of first use (nested blocks included).
  private constantList(block: Block, found: Node[]): Node[] {
    const visit = (node: Node): void => {
      for (const input of node.inputs) {
        if (input.node.kind === 'prim::Constant' && !this.seenConstants.has(input.node)) {
          found.push(input.node);
          this.seenConstants.add(input.node);
        }
      }
      for (const b of node.blocks) this.constantList(b, found);
    };
    for (const node of block.nodes()) visit(node);
    visit(block.returnNode);
    return found;
  }

  private printBody(block: Block): void {
    const constants = this.constantList(block, []);
    const scanner = new InlineScanner();
    scanner.scanBlock(block);
    this.inline = scanner.inline;
    this.level++;
    for (const c of constants) this.printNode(c, true);
    this.printBlock(block, block.returnNode.inputs.length > 0);
    this.printNode(block.returnNode, false);
    this.level--;
  }

  private printBlock(block: Block, hasOtherStatements: boolean): void {
    if (!hasOtherStatements && block.isEmpty) this.emit('pass');
    for (const node of block.nodes()) this.printNode(node, false);
  }

  // A single Optional/Union local is annotated the first time it is assigned, so reading the code back
  // gives it the wide type (not the type of the first value it receives).
  private printAssignment(lhs: readonly Value[], rhs: readonly Value[]): void {
    if (lhs.length === 0) return;
    let annotation = '';
    const v = lhs[0];
    if (lhs.length === 1 && !this.exprs.has(v) && isUnionLike(v.type) && !this.annotatedUnions.has(v)) {
      annotation = ` : ${this.cx.types.annotation(v.type)}`;
      this.annotatedUnions.add(v);
    }
    this.emit(`${this.valueList(lhs)}${annotation} = ${this.valueList(rhs)}`);
  }

  private requiresAnnotation(lhs: Value, rhs: Value): boolean {
    if (isUnionLike(lhs.type)) {
      if (this.annotatedUnions.has(lhs)) return false;
      this.annotatedUnions.add(lhs);
      return true;
    }
    return !lhs.type.equals(rhs.type);
  }

  private printOutputDefinition(node: Node, expr: string): void {
    this.assignNames(node.outputs);
    this.emit(node.outputs.length > 0 ? `${this.valueList(node.outputs)} = ${expr}` : expr);
  }

  private scanTypeDependencies(node: Node): void {
    const deps = this.cx.deps;
    for (const v of node.inputs) deps.addType(v.type);
    for (const v of node.outputs) deps.addType(v.type);
    for (const name of node.attributeNames()) {
      const attr = node.attribute(name);
      if (attr?.kind === 'ty') deps.addType(attr.value);
      else if (attr?.kind === 'tys') attr.value.forEach((t) => deps.addType(t));
    }
  }

  private printNode(node: Node, printConst: boolean): void {
    this.scanTypeDependencies(node);
    this.cx.minVersion = Math.max(this.cx.minVersion, minVersionForNode(node, this.cx.registry));
    if (!printConst && node.kind === 'prim::Constant') return;
    switch (node.kind) {
      case 'prim::Return':
        if (this.cx.enforceImportable && node.inputs.length !== 1) {
          throw unprintable(node, 'exportable methods must have a single return value');
        }
        if (node.inputs.length > 0) this.emit(`return ${this.valueList(node.inputs)}`);
        return;
      case 'prim::Loop':
        return this.printLoop(node);
      case 'prim::If':
        return this.printIf(node);
      case 'prim::TupleUnpack':
      case 'prim::ListUnpack':
        this.assignNames(node.outputs);
        // The trailing comma forces an unpack when the source is read back (`a, = t`).
        this.emit(
          `${node.outputs.length > 0 ? `${this.valueList(node.outputs)}, = ` : ''}${this.useOf(node.input())}`,
        );
        return;
      case 'prim::SetAttr':
        this.emit(`${this.useOf(node.input(0))}.${node.s('name')} = ${this.useOf(node.input(1))}`);
        return;
      case 'prim::Enter': {
        const out = node.output();
        let line = `with ${this.useOf(node.input())}`;
        if (out.hasUses()) {
          this.idents.set(out, this.cx.names.forValue(out));
          line += ` as ${this.useOf(out)}`;
        }
        this.emit(`${line}:`);
        this.level++;
        return;
      }
      case 'prim::Exit':
        if (node.prev?.kind === 'prim::Enter') this.emit('pass');
        this.level--;
        return;
      case 'prim::ModuleContainerIndex': {
        const out = node.output();
        this.assignNames([out]);
        this.emit(
          `${this.useOf(out)} : ${this.cx.types.annotation(out.type)} = ${this.useOf(node.input(0))}[${this.useOf(node.input(1))}]`,
        );
        return;
      }
      case 'prim::fork':
        return this.printFork(node);
      case 'prim::Closure':
      case 'prim::rpc_async':
        throw unprintable(node, 'closures and forked subgraphs are not supported');
      default:
        return this.printExpressionNode(node);
    }
  }

  private printExpressionNode(node: Node): void {
    const rhs = printRHS(this, node);
    if (!this.inline.has(node) || (node.kind === 'prim::Constant' && this.isLongLine(rhs))) {
      this.printOutputDefinition(node, rhs);
      return;
    }
    this.exprs.set(node.output(), rhs);
    // Too long to inline: give it (and the inlined arguments left of it, to keep their order) a local.
    if (this.isLongLine(rhs)) this.splitLongInlines(node.output());
  }

  private splitLongInlines(value: Value): void {
    const toSplit: Value[] = [];
    const use = value.uses()[0];
    this.scanLongInlines(use.user, use.offset, toSplit);
    for (let i = toSplit.length - 1; i >= 0; i--)
      this.printOutputDefinition(toSplit[i].node, this.useOf(toSplit[i]));
  }

  // Collects, right to left, the inlined arguments at or before `offset` of `user`; when `user` is
  // itself inlined, continues with the arguments before it in its own user (a loop, not recursion:
  // the chain of inlined users can be as long as the function).
  private scanLongInlines(user: Node, offset: number, toSplit: Value[]): void {
    for (;;) {
      const scannedTo = this.splitScanned.get(user);
      const stop = scannedTo === undefined ? 0 : scannedTo + 1;
      for (let i = offset; i >= stop; i--) {
        const prev = user.input(i);
        if (prev.node.kind !== 'prim::Constant' && this.inline.has(prev.node)) toSplit.push(prev);
      }
      this.splitScanned.set(user, offset);
      if (scannedTo !== undefined || !this.inline.has(user)) return;
      // The user's own slot is still being printed, so only its earlier siblings are split.
      const use = user.output().uses()[0];
      user = use.user;
      offset = use.offset - 1;
    }
  }

  // As python_print.cpp prints a forked subgraph: a nested `def __forked_functionN():` whose body reads
  // the captured values by their names in the enclosing function, then `fut = fork(__forked_functionN)`.
  // Our fork block already reads those values directly, so its body prints as it stands.
  private printFork(node: Node): void {
    const block = node.blocks[0];
    const name = this.cx.names.generate('__forked_function');
    this.emit(`def ${name}():`);
    this.level++;
    this.printBlock(block, true);
    this.printNode(block.returnNode, false);
    this.level--;
    this.printOutputDefinition(node, `fork(${name})`);
  }

  private printIf(node: Node): void {
    const [thenBlock, elseBlock] = node.blocks;
    this.assignNames(node.outputs);
    this.emit(`if ${this.useOf(node.input())}:`);
    this.level++;
    this.printBlock(thenBlock, node.outputs.length > 0);
    this.printAssignment(node.outputs, thenBlock.outputs);
    this.level--;
    this.emit('else:');
    this.level++;
    this.printBlock(elseBlock, node.outputs.length > 0);
    this.printAssignment(node.outputs, elseBlock.outputs);
    this.level--;
  }

  // For, While or (after some optimizations) neither: the loop view PyTorch derives from the constants.
  private loopType(node: Node): 'for' | 'while' {
    const body = node.blocks[0];
    const trip = toIValue(node.input(0));
    const condIn = toIValue(node.input(1));
    const condNext = toIValue(body.outputs[0]);
    const alwaysTrue = condIn === true && condNext === true;
    const tripSpecified =
      trip === undefined ||
      !(typeof trip === 'number' || typeof trip === 'bigint') ||
      BigInt(trip) !== INT64_MAX ||
      body.inputs[0].hasUses();
    if (alwaysTrue) return tripSpecified ? 'for' : 'while';
    if (tripSpecified)
      throw unprintable(
        node,
        'the loop mixes a trip count and a condition (an optimization combined a for and a while loop)',
      );
    return 'while';
  }

  private printLoop(node: Node): void {
    const kind = this.loopType(node);
    const body = node.blocks[0];
    const carriedOutputs = node.outputs;
    this.assignNames(carriedOutputs);
    // Inside the body, the carried block inputs read as the loop's outputs (an alias, not a local).
    body.inputs.slice(1).forEach((input, i) => this.exprs.set(input, this.useOf(carriedOutputs[i])));
    const carriedInputs = node.inputs.slice(2);
    carriedOutputs.forEach((lhs, i) => {
      const rhs = carriedInputs[i];
      const annotation = this.requiresAnnotation(lhs, rhs) ? `: ${this.cx.types.annotation(lhs.type)}` : '';
      this.emit(`${this.useOf(lhs)}${annotation} = ${this.useOf(rhs)}`);
    });
    const trip = body.inputs[0];
    this.assignNames([trip]);
    if (kind === 'for') {
      this.emit(`for ${this.useOf(trip)} in range(${this.useOf(node.input(0))}):`);
    } else {
      // A while loop reuses the trip-count value as its condition variable.
      this.printAssignment([trip], [node.input(1)]);
      this.emit(`while ${this.useOf(trip)}:`);
    }
    this.level++;
    const offset = kind === 'for' ? 1 : 0;
    const carriedBlockInputs = body.inputs.slice(offset);
    this.printBlock(body, carriedBlockInputs.length > 0);
    this.printAssignment(carriedBlockInputs, body.outputs.slice(offset));
    this.level--;
  }
}
