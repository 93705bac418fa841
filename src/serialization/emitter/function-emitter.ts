// The state of emitting one TorchScript function into a Graph (PyTorch's to_ir): the graph, the frame
// stack, variable reads and writes, name resolution of globals, and node/constant insertion helpers.
// Statements, expressions, calls and control flow live in their own files and drive this object.

import { constantType, createConstant } from '../../ir/constants.js';
import type { Graph } from '../../ir/graph.js';
import type { IValue } from '../../ir/ivalue.js';
import type { Node } from '../../ir/node.js';
import {
  BoolType,
  FloatType,
  IntType,
  NamedClassType,
  StringType,
  TupleType,
  type Type,
} from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import type { FunctionSignature } from '../../module/function.js';
import type { OperatorRegistry } from '../../ops/registry.js';
import type { FunctionDef, SourceRange, TypeExpr } from '../torchscript/ast.js';
import { compileError, type EmitErrorCode } from './emit-errors.js';
import { Frame, meaningfulName, type Binding, type FrameKind } from './frames.js';
import type { Sugared } from './sugared.js';
import { resolveTypeExpr } from './type-exprs.js';

/** One entry of an archive's constant table, with the type its constant node gets (PyTorch's `IValue::type()`). */
export interface CodeConstant {
  readonly value: IValue;
  readonly type: Type;
}

/** What the emitter needs from the code importer: types and functions by qualified name, constants, ops. */
export interface EmitterHost {
  readonly registry: OperatorRegistry;
  /** `CONSTANTS.c<N>` (constants.pkl): tensors and values code cannot spell as literals. */
  readonly constants: readonly CodeConstant[];
  /** A class, interface or named tuple type by qualified name (`__torch__.a.B`). */
  resolveType(qualifiedName: string): Type | undefined;
  /** A class, named-tuple constructor or free function under `__torch__` by qualified name. */
  resolveValue(qualifiedName: string): Sugared | undefined;
  /** Makes sure a function's signature (return type) is known before it is called. */
  ensureSignature?(fn: import('../../module/function.js').Function): void;
  /** Ids for aten::warn nodes (PyTorch's AnnotateWarns counter). */
  nextWarnId(): number;
}

/** A `break` or `continue` in a loop body: its marker node and the variables as they were there. */
export interface ExitSite {
  readonly node: Node;
  /** Copies of the frames' bindings from the site's frame up to the loop body's, innermost first. */
  readonly snapshot: readonly ReadonlyMap<string, Binding>[];
}

/** A loop being emitted. */
export interface LoopContext {
  readonly frame: Frame;
  /** Re-emits the loop condition (while loops) for a `continue`. */
  readonly condFn?: () => Value;
  readonly sites: ExitSite[];
  /** A loop over a tuple, emitted once per element: break and continue are not allowed in it. */
  readonly unrolled?: boolean;
}

/** What to emit. */
export interface EmitRequest {
  readonly host: EmitterHost;
  readonly def: FunctionDef;
  /** Text of the source file (for error carets). */
  readonly text: string;
  /** Class of `self` for methods. */
  readonly selfType?: NamedClassType;
  /** Argument and return types, computed from the def's annotations. */
  readonly signature: FunctionSignature;
  /** `__torch__.M.forward`, for messages. */
  readonly qualifiedName: string;
  /** The graph to fill: its inputs (self first for methods) already made from the signature. */
  readonly graph: Graph;
}

const GLOBAL_BUILTINS: ReadonlyMap<string, Sugared> = new Map<string, Sugared>([
  ['print', { kind: 'print' }],
  ['tuple', { kind: 'special', form: 'tuple' }],
  ['float', { kind: 'cast', type: FloatType, op: 'aten::Float', magic: '__float__' }],
  ['int', { kind: 'cast', type: IntType, op: 'aten::Int', magic: '__int__' }],
  ['bool', { kind: 'cast', type: BoolType, op: 'aten::Bool', magic: '__bool__' }],
  ['str', { kind: 'cast', type: StringType, op: 'aten::str', magic: '__str__' }],
  ['getattr', { kind: 'special', form: 'getattr' }],
  ['hasattr', { kind: 'special', form: 'hasattr' }],
  ['isinstance', { kind: 'special', form: 'isinstance' }],
  ['len', { kind: 'builtin', op: 'aten::len', magic: '__len__' }],
  ['hex', { kind: 'builtin', op: 'aten::hex', magic: '__hex__' }],
  ['oct', { kind: 'builtin', op: 'aten::oct', magic: '__oct__' }],
  ['round', { kind: 'builtin', op: 'aten::round', magic: '__round__' }],
  ['hash', { kind: 'builtin', op: 'aten::hash' }],
  ['id', { kind: 'builtin', op: 'prim::id' }],
  ['min', { kind: 'builtin', op: 'prim::min' }],
  ['max', { kind: 'builtin', op: 'prim::max' }],
  ['abs', { kind: 'builtin', op: 'prim::abs' }],
  ['all', { kind: 'builtin', op: 'aten::all' }],
  ['any', { kind: 'builtin', op: 'aten::any' }],
  ['divmod', { kind: 'builtin', op: 'aten::divmod' }],
  ['sum', { kind: 'builtin', op: 'aten::sum' }],
  ['list', { kind: 'special', form: 'list' }],
  ['dict', { kind: 'special', form: 'dict' }],
  ['ord', { kind: 'builtin', op: 'aten::ord' }],
  ['chr', { kind: 'builtin', op: 'aten::chr' }],
  ['bin', { kind: 'builtin', op: 'aten::bin' }],
  ['pow', { kind: 'builtin', op: 'aten::pow' }],
  ['complex', { kind: 'builtin', op: 'aten::complex' }],
  ['range', { kind: 'special', form: 'range' }],
  ['zip', { kind: 'special', form: 'zip' }],
  ['enumerate', { kind: 'special', form: 'enumerate' }],
  ['rangelist', { kind: 'builtin', op: 'prim::rangelist' }],
  ['sorted', { kind: 'builtin', op: 'aten::sorted' }],
  ['AssertionError', { kind: 'exception', name: 'AssertionError' }],
  // What the source importer puts in scope (import_source.cpp's env_).
  ['torch', { kind: 'module', ns: 'aten' }],
  ['ops', { kind: 'ops' }],
  ['CONSTANTS', { kind: 'constants' }],
  ['fork', { kind: 'special', form: 'fork' }],
  ['annotate', { kind: 'special', form: 'annotate' }],
  ['unchecked_cast', { kind: 'special', form: 'unchecked_cast' }],
  ['uninitialized', { kind: 'special', form: 'uninitialized' }],
]);

/** One function being emitted. */
export class FunctionEmitter {
  readonly graph: Graph;
  readonly host: EmitterHost;
  readonly text: string;
  readonly request: EmitRequest;
  frame: Frame;
  /** The type every `return` so far unifies to (the declared one when annotated). */
  returnType: Type | undefined;
  /** The loops being emitted, innermost last: where `break` and `continue` go. */
  readonly loops: LoopContext[] = [];
  /** Type-annotated reads whose value has a narrower type: placeholder nodes removed when emission ends. */
  readonly pendingLoads: Node[] = [];
  /** Bodies of with statements: emitted in the enclosing frame (a with opens no scope). */
  readonly withBodies = new Set<import('../../ir/block.js').Block>();
  /** Blocks that end in a raise or return: statements after that point are not emitted. */
  readonly exitBlocks = new Set<import('../../ir/block.js').Block>();
  /** The statement being emitted: nodes remember it as their source range (`code/__torch__/m.py:12:4`). */
  statementRange: SourceRange | undefined;
  /** Memoized scalar constants by type and value. */
  private readonly constants = new Map<string, Value>();
  /** Names of variables only defined in one branch of an if: reading them later is an error with this message. */
  readonly typeErrors = new Map<string, string>();

  constructor(request: EmitRequest) {
    this.request = request;
    this.graph = request.graph;
    this.host = request.host;
    this.text = request.text;
    this.frame = new Frame(this.graph.block, null, 'def');
    this.graph.setInsertPoint(this.graph.block);
  }

  get registry(): OperatorRegistry {
    return this.host.registry;
  }

  // ---- errors -------------------------------------------------------------------------------

  error(range: SourceRange, message: string, code: EmitErrorCode = 'TS_COMPILE'): Error {
    return compileError(range, message, this.text, code);
  }

  unsupported(range: SourceRange, what: string): Error {
    return compileError(
      range,
      `${what} is not supported by tsfreeze's TorchScript frontend`,
      this.text,
      'TS_UNSUPPORTED',
    );
  }

  // ---- types --------------------------------------------------------------------------------

  resolveType(expr: TypeExpr): Type {
    return resolveTypeExpr(expr, (name) => this.host.resolveType(name), this.text);
  }

  // ---- frames -------------------------------------------------------------------------------

  /** Runs `fn` with a new frame over `block` and the insert point at the block's end; returns the frame. */
  withFrame(block: import('../../ir/block.js').Block, kind: FrameKind, fn: () => void): Frame {
    const saved = this.frame;
    const frame = new Frame(block, saved, kind);
    this.frame = frame;
    try {
      this.graph.withInsertPoint(block, fn);
    } finally {
      this.frame = saved;
    }
    return frame;
  }

  /** The name a new value should get for variable `name` (PyTorch names values after meaningful variables). */
  nameFor(name: string): string | undefined {
    return meaningfulName(name) ? name : undefined;
  }

  // ---- variables ----------------------------------------------------------------------------

  /** Assigns a first-class value to `name` in the current frame (a prim::Store in PyTorch's terms). */
  setVar(name: string, value: Value, annotated?: Type): void {
    // Name the value after the variable when it is new in this block and still unnamed.
    if (!value.hasDebugName && meaningfulName(name) && this.inFrameBlock(value.node.owningBlock)) {
      value.setDebugName(name);
    }
    this.frame.store(name, value, annotated ?? value.type);
    this.typeErrors.delete(name);
  }

  // The frame's block, or a with body emitted in it.
  private inFrameBlock(block: import('../../ir/block.js').Block | null): boolean {
    while (block && this.withBodies.has(block)) block = block.owningNode?.owningBlock ?? null;
    return block === this.frame.block;
  }

  /** The current binding of a first-class variable, creating loop inputs as needed. */
  lookupVar(name: string): Binding | undefined {
    return this.frame.lookup(name, (n) => this.nameFor(n));
  }

  /** The value of a binding as the emitter sees it: a typed placeholder when its annotation is wider. */
  bindingValue(binding: Binding): Value {
    if (binding.type.equals(binding.value.type)) return binding.value;
    const load = this.graph.insert('prim::Load', [binding.value], [binding.type]);
    this.pendingLoads.push(load);
    return load.output();
  }

  /** What a name denotes here: a variable, a builtin, or a global of the importer (PyTorch's getSugaredVar). */
  readName(name: string, range: SourceRange): Sugared {
    const binding = this.lookupVar(name);
    if (binding) return { kind: 'value', value: this.bindingValue(binding) };
    const sugared = this.frame.findSugared(name) ?? GLOBAL_BUILTINS.get(name) ?? this.resolveGlobal(name);
    if (sugared) return sugared;
    const why = this.typeErrors.get(name);
    if (why) throw this.error(range, `${why} and was used here`);
    throw this.error(range, `undefined value ${name}`);
  }

  private resolveGlobal(name: string): Sugared | undefined {
    if (name === 'inf') return { kind: 'value', value: this.constant(Infinity, FloatType) };
    if (name === 'nan') return { kind: 'value', value: this.constant(NaN, FloatType) };
    if (name === '__torch__') return { kind: 'namespace', name };
    const type = this.host.resolveType(name);
    if (type instanceof TupleType && type.names) return { kind: 'namedtuple', type };
    return this.host.resolveValue(name);
  }

  // ---- insertion ----------------------------------------------------------------------------

  /** Inserts a node at the insert point. */
  insert(kind: string, inputs: readonly Value[], outputTypes: readonly Type[]): Node {
    const node = this.graph.insert(kind, inputs, outputTypes);
    if (this.statementRange) node.sourceRange = sourceLine(this.statementRange);
    return node;
  }

  /**
   * A prim::Constant. Scalars, strings and None are made once per function at its start (PyTorch's
   * materializeConstant); other constants at the insert point. Pooling dedups the rest.
   */
  constant(value: IValue, type?: Type): Value {
    const simple = value === null || typeof value !== 'object';
    if (!simple) return this.graph.insertNode(createConstant(this.graph, value, type)).output();
    const key = `${constantType(value, type).str()}|${typeof value}:${String(value)}`;
    const known = this.constants.get(key);
    if (known) return known;
    const node = createConstant(this.graph, value, type);
    const first = this.graph.block.firstNode;
    if (first) node.insertBefore(first);
    else this.graph.block.appendNode(node);
    this.constants.set(key, node.output());
    return node.output();
  }

  /** A None constant, optionally typed as an Optional (annotate(Optional[T], None)). */
  none(type?: Type): Value {
    return this.constant(null, type);
  }
}

// The last file sourceLine shortened: every node of a function comes from one file, and lastIndexOf
// (a runtime call in V8) once per node was ~4% of a resnet50 load.
// The nodes of one statement share its range (parsed ranges are never changed): its text is made once.
let lastFile = '';
let lastShort = '';
let lastRange: SourceRange | undefined;
let lastLine = '';

/** `code/__torch__/m.py:12:4` for a range in an archive's code file (the archive's own path dropped). */
export function sourceLine(range: SourceRange): string {
  if (range === lastRange) return lastLine;
  if (range.file !== lastFile) {
    const at = range.file.lastIndexOf(':code/');
    lastShort = at >= 0 ? range.file.slice(at + 1) : range.file;
    lastFile = range.file;
  }
  lastRange = range;
  return (lastLine = `${lastShort}:${range.line}:${range.column}`);
}
