// The operator table: every schema of PyTorch 1.13's aten/prim namespaces plus the hand-declared prim
// ops, with facts, kernel and shape-rule slots; overload resolution by argument types; and the schema
// an IR node uses. Adding an operator is one call: `registry.register(schemaString, { kernel })`.

import { toIValue } from '../ir/constants.js';
import type { Node } from '../ir/node.js';
import type { Type } from '../ir/types.js';
import type { NodeChecker } from '../ir/verify.js';
import { builtinOperatorNames, builtinOverloads, operatorNameOf } from './builtin-table.js';
import { isDropoutFamily, type OpFacts } from './facts.js';
import { OperatorEntry, OperatorError, type KernelFn, type OperatorOptions } from './operator-entry.js';
import { isMatch, matchSchema, type MatchFailure, type SchemaMatch } from './schema-matching.js';
import { parseSchema } from './schema-parser.js';
import { schemaTypeStr } from './schema-types.js';
import type { FunctionSchema } from './schema.js';
import { isSchemaSubtype } from './type-matching.js';

/** Inversify token of the registry (bind it to one OperatorRegistry per container). */
export const OPERATOR_REGISTRY = Symbol.for('tsfreeze.OperatorRegistry');

/** The overload a call resolved to. */
export interface Resolution extends SchemaMatch {
  readonly entry: OperatorEntry;
  /** True if the match needed PyTorch's implicit conversions (second round). */
  readonly usedConversions: boolean;
}

/** Where a registry's operators come from. */
export interface RegistryOptions {
  /** Start with PyTorch's schemas and the hand-declared prim ops (default true). */
  readonly builtins?: boolean;
}

/** A table of operators by node kind, overloads in declaration order. */
export class OperatorRegistry {
  private readonly byKind = new Map<string, OperatorEntry[]>();
  private readonly nodeKeys = new NodeKeys();
  /** Bumped when an overload is added: node-level caches from before are stale. */
  private generation = 0;
  /**
   * A new object whenever an overload is added: a node's cached overload carries the one it was chosen
   * under, so one identity check tells both that this registry chose it and that no overload came since.
   */
  private stamp: object = {};
  private readonly builtins: boolean;

  constructor(options: RegistryOptions = {}) {
    this.builtins = options.builtins ?? true;
  }

  /** A registry with no operators at all (for tests and custom tables). */
  static empty(): OperatorRegistry {
    return new OperatorRegistry({ builtins: false });
  }

  /**
   * Adds an overload, or fills the slots of an existing identical one (how kernels attach to PyTorch's
   * schemas). A different schema under an existing `name.overload` is a SCHEMA_CONFLICT.
   */
  register(schema: string | FunctionSchema, options: OperatorOptions = {}): OperatorEntry {
    const parsed = typeof schema === 'string' ? parseSchema(schema) : schema;
    const overloads = this.overloadList(parsed.name);
    const existing = overloads.find((e) => e.key === parsed.key);
    if (existing) {
      if (existing.schema.toString() !== parsed.toString()) {
        throw new OperatorError(
          'SCHEMA_CONFLICT',
          `${parsed.key} is already declared as\n  ${existing.schema}\nnot\n  ${parsed}`,
        );
      }
      existing.update(options);
      return existing;
    }
    const entry = new OperatorEntry(parsed, {}, false);
    entry.update(options);
    overloads.push(entry);
    this.nodeKeys.clear();
    this.generation++;
    this.stamp = {};
    return entry;
  }

  /** Attaches a kernel to the overload `key` (`aten::add.Tensor`). */
  implement(key: string, kernel: KernelFn): OperatorEntry {
    const entry = this.requireEntry(key);
    entry.update({ kernel });
    return entry;
  }

  /** True if the table has any overload of node kind `kind`. */
  has(kind: string): boolean {
    return this.overloadList(kind).length > 0;
  }

  /** The overloads of `kind` in declaration order (the order resolution tries them). */
  overloads(kind: string): readonly OperatorEntry[] {
    return this.overloadList(kind);
  }

  /** The overload with key `aten::add.Tensor` (or `aten::relu` for an unnamed overload). */
  lookup(key: string): OperatorEntry | undefined {
    return this.overloadList(operatorNameOf(key)).find((e) => e.key === key);
  }

  /** Like lookup, but throws UNKNOWN_OPERATOR naming the overloads that do exist. */
  requireEntry(key: string): OperatorEntry {
    const entry = this.lookup(key);
    if (entry) return entry;
    const others = this.overloadList(operatorNameOf(key)).map((e) => e.key);
    const hint = others.length ? `; its overloads are ${others.join(', ')}` : '';
    throw new OperatorError('UNKNOWN_OPERATOR', `unknown operator overload '${key}'${hint}`);
  }

  /** Every node kind in the table, sorted. */
  kinds(): string[] {
    const names = new Set(this.builtins ? builtinOperatorNames() : []);
    for (const [kind, list] of this.byKind) if (list.length) names.add(kind);
    return [...names].sort();
  }

  /** Every overload (parses the whole table). */
  entries(): OperatorEntry[] {
    return this.kinds().flatMap((k) => this.overloadList(k));
  }

  /**
   * Picks the overload of `kind` for a call with these argument types, as TorchScript does: the first
   * overload in declaration order that matches without implicit conversions, else the first that matches
   * with them. The last `kwargNames.length` types are keyword arguments. Throws UNKNOWN_OPERATOR or
   * NO_MATCHING_OVERLOAD (listing every overload and why it failed).
   */
  resolve(kind: string, argTypes: readonly Type[], kwargNames: readonly string[] = []): Resolution {
    const overloads = this.overloadList(kind);
    if (!overloads.length) throw new OperatorError('UNKNOWN_OPERATOR', `unknown operator '${kind}'`);
    let failures: MatchFailure[] = [];
    for (const allowConversions of [false, true]) {
      failures = [];
      for (const entry of overloads) {
        const m = matchSchema(entry.schema, argTypes, kwargNames, { allowConversions });
        if (isMatch(m)) return { ...m, entry, usedConversions: allowConversions };
        failures.push(m);
      }
    }
    const nPos = argTypes.length - kwargNames.length;
    const shown = argTypes.map((t, i) =>
      i < nPos ? schemaTypeStr(t) : `${kwargNames[i - nPos]}=${schemaTypeStr(t)}`,
    );
    const lines = failures.map((f) => `  ${f.schema}\n    ${f.reason}`);
    throw new OperatorError(
      'NO_MATCHING_OVERLOAD',
      `no overload of ${kind} accepts (${shown.join(', ')}):\n${lines.join('\n')}`,
    );
  }

  /** Like resolve, but undefined instead of an error. */
  tryResolve(
    kind: string,
    argTypes: readonly Type[],
    kwargNames: readonly string[] = [],
  ): Resolution | undefined {
    try {
      return this.resolve(kind, argTypes, kwargNames);
    } catch (e) {
      if (e instanceof OperatorError) return undefined;
      throw e;
    }
  }

  /**
   * The overload an IR node uses: the first whose arguments accept the node's input types taken
   * positionally (IR nodes carry every argument); when several do, the first whose returns also fit
   * the node's outputs. Cached per kind and types. Undefined when the kind is unknown or nothing fits.
   */
  entryForNode(node: Node): OperatorEntry | undefined {
    // Passes ask several times per node: the answer is kept on the node, valid while the node's kind and
    // input/output types are the very same objects (a changed input, output or type misses the cache).
    // Only the check is here: a small function V8 optimizes early and inlines into its callers cheaply.
    const slot = node.opCache as NodeEntryCache | undefined;
    if (slot !== undefined && slot.stamp === this.stamp && slot.fits(node)) return slot.entry;
    return this.chooseForNode(node);
  }

  // entryForNode when the node's cached overload is missing or stale.
  private chooseForNode(node: Node): OperatorEntry | undefined {
    const overloads = this.overloadList(node.kind);
    // With one overload the node's outputs choose nothing (chooseEntry compares them only among several
    // candidates): neither the key nor the node's cache holds them, so `prim::Constant` or `prim::If`
    // nodes of a thousand different output types share one key.
    const withOutputs = overloads.length > 1;
    let entry: OperatorEntry | null | undefined = null;
    if (overloads.length) {
      const key = this.nodeKeys.keyOf(node, withOutputs);
      entry = key.entry;
      if (entry === undefined) key.entry = entry = this.chooseEntry(node);
    }
    const chosen = entry ?? undefined;
    node.opCache = new NodeEntryCache(this.stamp, node, chosen, withOutputs);
    return chosen;
  }

  private chooseEntry(node: Node): OperatorEntry | null {
    const inputTypes = node.inputs.map((v) => v.type);
    const outputTypes = node.outputs.map((v) => v.type);
    const candidates: { entry: OperatorEntry; match: SchemaMatch }[] = [];
    for (const entry of this.overloadList(node.kind)) {
      const m = matchSchema(entry.schema, inputTypes, [], { node: true });
      if (isMatch(m)) candidates.push({ entry, match: m });
    }
    const fits = (c: { entry: OperatorEntry; match: SchemaMatch }): boolean =>
      c.entry.schema.isVarret ||
      (c.match.returnTypes.length === outputTypes.length &&
        outputTypes.every((t, i) => isSchemaSubtype(t, c.match.returnTypes[i])));
    const chosen = candidates.length > 1 ? (candidates.find(fits) ?? candidates[0]) : candidates[0];
    return chosen?.entry ?? null;
  }

  /** Moves when an overload is added: an answer kept from an earlier version may be stale. */
  get version(): number {
    return this.generation;
  }

  /** @internal the generation a node-level cache must carry to be current. */
  isCurrent(generation: number): boolean {
    return generation === this.generation;
  }

  /** The schema an IR node uses (see entryForNode). */
  schemaForNode(node: Node): FunctionSchema | undefined {
    return this.entryForNode(node)?.schema;
  }

  /** The facts of an overload: a schema, its string, or its key (`aten::add_.Tensor`). */
  facts(target: FunctionSchema | string): OpFacts {
    return this.entryOf(target).facts;
  }

  /** No side effects, no writes, deterministic, no hidden state: may be evaluated at freeze time. */
  isPure(target: FunctionSchema | string): boolean {
    return this.facts(target).pure;
  }

  /** Writes an argument or acts on the outside world (see OpFacts.hasSideEffects). */
  hasSideEffects(target: FunctionSchema | string): boolean {
    return this.facts(target).hasSideEffects;
  }

  /** Random unless proven otherwise per node (see isNondeterministicNode). */
  isNondeterministic(target: FunctionSchema | string): boolean {
    return this.facts(target).nondeterministic;
  }

  /** Indices of the arguments the overload writes. */
  writtenArgs(schema: FunctionSchema): readonly number[] {
    return schema.mutatedArgIndices;
  }

  /** Indices of the arguments output `output` may alias (see FunctionSchema.aliasOf). */
  aliasedArgs(schema: FunctionSchema, output: number): readonly number[] {
    return schema.aliasOf(output);
  }

  /** The facts of the overload `node` uses, or undefined if no schema fits it. */
  factsForNode(node: Node): OpFacts | undefined {
    const entry = this.entryForNode(node);
    if (!entry) return undefined;
    return entry.facts.nondeterministic && !this.isNondeterministicNode(node)
      ? entry.factsWhenDeterministic
      : entry.facts;
  }

  /**
   * Whether this node is random. Dropout ops whose `train` input is the constant False are the identity,
   * hence deterministic (as PyTorch's Node::isNondeterministic). Unknown ops count as random.
   */
  isNondeterministicNode(node: Node): boolean {
    const entry = this.entryForNode(node);
    if (!entry) return true;
    if (!entry.facts.nondeterministic) return false;
    if (!isDropoutFamily(node.kind)) return true;
    const train = entry.schema.argumentIndex('train');
    return !(train >= 0 && train < node.inputs.length && toIValue(node.inputs[train]) === false);
  }

  /** Whether this node may be evaluated ahead of time; unknown ops are not. */
  isPureNode(node: Node): boolean {
    return this.factsForNode(node)?.pure ?? false;
  }

  /** Whether this node writes an input or has external effects; unknown ops are assumed to. */
  hasSideEffectsNode(node: Node): boolean {
    return this.factsForNode(node)?.hasSideEffects ?? true;
  }

  /**
   * A checker for `verify(graph, { checkNode })`: reports a node of a known kind whose input types no
   * overload accepts, or whose number of outputs differs from its schema's. Unknown kinds are not checked.
   */
  nodeChecker(): NodeChecker {
    return (node) => {
      if (!this.has(node.kind)) return undefined;
      const schema = this.schemaForNode(node);
      if (!schema) {
        const types = node.inputs.map((v) => schemaTypeStr(v.type)).join(', ');
        return `no schema of ${node.kind} accepts input types (${types})`;
      }
      if (!schema.isVarret && schema.returns.length !== node.outputs.length) {
        return `${node.kind} has ${node.outputs.length} outputs but its schema returns ${schema.returns.length}: ${schema}`;
      }
      return undefined;
    };
  }

  /**
   * A checker for `verify(graph, { checkNode })` that checks only arity: a node of a known kind must have
   * as many inputs as some overload takes (its arguments without defaults up to all of them, more for a
   * vararg schema) and as many outputs as that overload returns. Passes assume this shape.
   */
  arityChecker(): NodeChecker {
    return (node) => {
      const overloads = this.overloadList(node.kind);
      if (!overloads.length) return undefined;
      const n = node.inputs.length;
      const fits = overloads.some(({ schema }) => {
        const required = schema.arguments.filter((a) => a.defaultValue === undefined && !a.kwargOnly).length;
        const inputsFit =
          n >= Math.min(required, schema.arguments.length) &&
          (schema.isVararg || n <= schema.arguments.length);
        return inputsFit && (schema.isVarret || schema.returns.length === node.outputs.length);
      });
      if (fits) return undefined;
      const shapes = overloads.map(({ schema }) => `${schema.arguments.length} -> ${schema.returns.length}`);
      return `${node.kind} has ${n} inputs and ${node.outputs.length} outputs; its schemas take (inputs -> outputs) ${[...new Set(shapes)].join(', ')}`;
    };
  }

  private entryOf(target: FunctionSchema | string): OperatorEntry {
    if (typeof target === 'string' && !target.includes('(')) return this.requireEntry(target);
    const schema = typeof target === 'string' ? parseSchema(target) : target;
    const entry = this.lookup(schema.key);
    if (entry && entry.schema.toString() === schema.toString()) return entry;
    // Not in the table: derive its facts from the schema alone.
    return new OperatorEntry(schema, {}, false);
  }

  private overloadList(kind: string): OperatorEntry[] {
    let list = this.byKind.get(kind);
    if (!list) {
      list = this.builtins
        ? builtinOverloads(kind).map((b) => new OperatorEntry(b.schema, b.facts, true))
        : [];
      this.byKind.set(kind, list);
    }
    return list;
  }
}

/**
 * entryForNode's table: the overload per kind and sequence of input (and, among several overloads, output)
 * types as schemas spell them, a `Tensor` of any shape being one. A trie of small numbers, one per distinct
 * spelling (kept per Type object), rather than a key string per node: every node of a freeze is asked
 * once, most of them a kind and types already met.
 */
class NodeKeys {
  private readonly roots = new Map<string, KeyNode>();
  private readonly spellings = new Map<string, number>();
  private readonly typeIds = new WeakMap<Type, number>();

  keyOf(node: Node, withOutputs: boolean): KeyNode {
    let at = this.roots.get(node.kind);
    if (!at) this.roots.set(node.kind, (at = new KeyNode()));
    const inputs = node.inputs;
    for (let i = 0; i < inputs.length; i++) at = at.child(this.idOf(inputs[i].type));
    if (withOutputs) {
      at = at.child(OUTPUTS_FOLLOW);
      const outputs = node.outputs;
      for (let i = 0; i < outputs.length; i++) at = at.child(this.idOf(outputs[i].type));
    }
    return at;
  }

  clear(): void {
    this.roots.clear();
  }

  private idOf(type: Type): number {
    let id = this.typeIds.get(type);
    if (id === undefined) {
      const spelling = schemaTypeStr(type);
      id = this.spellings.get(spelling);
      if (id === undefined) this.spellings.set(spelling, (id = this.spellings.size));
      this.typeIds.set(type, id);
    }
    return id;
  }
}

/** Between a key's input and output types (type ids are >= 0). */
const OUTPUTS_FOLLOW = -1;

/** One step of a NodeKeys trie: the overload of the types so far (undefined: not chosen yet). */
class KeyNode {
  entry: OperatorEntry | null | undefined = undefined;
  private next: Map<number, KeyNode> | undefined;

  child(id: number): KeyNode {
    const next = (this.next ??= new Map());
    let node = next.get(id);
    if (!node) next.set(id, (node = new KeyNode()));
    return node;
  }
}

// The overload entryForNode chose for a node, with what it was chosen from: the registry's stamp, the
// node's kind, and the identity of every input type (and output type, when the outputs chose among
// overloads). Fields set in the constructor and the types in an array of exactly their number: one is
// made per node of a freeze.
class NodeEntryCache {
  declare readonly stamp: object;
  declare readonly entry: OperatorEntry | undefined;
  declare private readonly kind: string;
  /** The input types, then (outputCount >= 0) the output types. */
  declare private readonly types: readonly Type[];
  declare private readonly inputCount: number;
  /** -1: the outputs are not compared. */
  declare private readonly outputCount: number;

  constructor(stamp: object, node: Node, entry: OperatorEntry | undefined, withOutputs: boolean) {
    this.stamp = stamp;
    this.entry = entry;
    this.kind = node.kind;
    const { inputs, outputs } = node;
    const n = inputs.length;
    const m = withOutputs ? outputs.length : 0;
    const types: Type[] = n + m === 0 ? NO_TYPES : new Array<Type>(n + m);
    for (let i = 0; i < n; i++) types[i] = inputs[i].type;
    for (let i = 0; i < m; i++) types[n + i] = outputs[i].type;
    this.types = types;
    this.inputCount = n;
    this.outputCount = withOutputs ? m : -1;
  }

  /** True if `node` has the kind and types this choice was made for. */
  fits(node: Node): boolean {
    if (node.kind !== this.kind) return false;
    const inputs = node.inputs;
    const n = this.inputCount;
    if (inputs.length !== n) return false;
    const types = this.types;
    for (let i = 0; i < n; i++) if (inputs[i].type !== types[i]) return false;
    const m = this.outputCount;
    if (m < 0) return true;
    const outputs = node.outputs;
    if (outputs.length !== m) return false;
    for (let i = 0; i < m; i++) if (outputs[i].type !== types[n + i]) return false;
    return true;
  }
}

const NO_TYPES: Type[] = [];
Object.freeze(NO_TYPES);
