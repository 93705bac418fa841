/**
 * AliasDb: which memory locations each value may point to, what containers hold, and which nodes write
 * where — PyTorch's alias analysis (torch/csrc/jit/ir/alias_analysis.cpp) in a points-to form.
 *
 * - A mutable value (tensor, list, dict, object, tuple holding one) points to a set of locations.
 *   Fresh outputs get a new location; `(a)` outputs share their annotated argument's locations.
 * - Containers record what they contain (ListConstruct, append, DictConstruct); reading an element
 *   (`__getitem__`, ListUnpack, TupleIndex) yields the contained locations.
 * - `(a!)` arguments are written; `(a -> *)` arguments escape into the wildcard; unknown operators and
 *   calls write every mutable input and make it, and their outputs, wildcard.
 * - In frozen mode each prim::GetAttr of a module attribute is a fresh location, as in PyTorch's
 *   `AliasDb(graph, isFrozen=true)`, so a write is seen through the GetAttr it came from.
 */

import {
  type Block,
  type FunctionSchema,
  type Graph,
  type Node,
  type OperatorRegistry,
  type Type,
  type Value,
} from '../src/index.js';

/** One abstract memory location. */
export class MemoryLocation {
  constructor(
    readonly id: number,
    /** Where it came from, for dumps: the value that first got it. */
    readonly origin: string,
  ) {}
  toString(): string {
    return `L${this.id}(${this.origin})`;
  }
}

/** Whether values of this type can be written in place or hold things that can. */
export function isMutableType(t: Type): boolean {
  switch (t.kind) {
    case 'Tensor':
    case 'List':
    case 'Dict':
    case 'Class':
    case 'Interface':
    case 'Any':
    case 'Future':
    case 'Var':
      return true;
    case 'Optional':
    case 'Tuple':
    case 'Union':
      return t.containedTypes().some(isMutableType);
    default:
      return false;
  }
}

/** The points-to facts of one graph. */
export class AliasDb {
  private nextId = 0;
  private readonly pointsTo = new Map<Value, Set<MemoryLocation>>();
  private readonly contains = new Map<MemoryLocation, Set<MemoryLocation>>();
  private readonly writers = new Map<MemoryLocation, Node[]>();
  /** Locations that escaped into the unknown (wildcard); a write to any of them may reach all. */
  private readonly escaped = new Set<MemoryLocation>();
  /** The wildcard itself: what unknown code returns. */
  readonly wildcard: MemoryLocation;
  private wildcardWriters: Node[] = [];

  constructor(
    readonly graph: Graph,
    private readonly ops: OperatorRegistry,
    readonly frozen = true,
  ) {
    this.wildcard = new MemoryLocation(this.nextId++, '*');
    this.escaped.add(this.wildcard);
    // Graph inputs may alias each other and anything the caller holds: they are wildcard.
    for (const v of graph.inputs) {
      if (isMutableType(v.type)) this.pointsTo.set(v, new Set([this.wildcard]));
    }
    this.analyzeBlock(graph.block);
  }

  // ---- queries ------------------------------------------------------------------------------

  /** The locations `v` may point to, and everything they (transitively) contain. */
  memoryLocations(v: Value): Set<MemoryLocation> {
    const out = new Set<MemoryLocation>();
    const stack = [...(this.pointsTo.get(v) ?? [])];
    while (stack.length) {
      const loc = stack.pop()!;
      if (out.has(loc)) continue;
      out.add(loc);
      for (const inner of this.contains.get(loc) ?? []) stack.push(inner);
    }
    return out;
  }

  /** The nodes that may write memory `v` points to (or contains). */
  writersOf(v: Value): Node[] {
    const found = new Set<Node>();
    const locs = this.memoryLocations(v);
    let touchesWildcard = false;
    for (const loc of locs) {
      for (const w of this.writers.get(loc) ?? []) found.add(w);
      if (this.escaped.has(loc)) touchesWildcard = true;
    }
    if (touchesWildcard) {
      for (const w of this.wildcardWriters) found.add(w);
      // A write to the wildcard may reach any escaped location, and vice versa.
      for (const loc of this.escaped) for (const w of this.writers.get(loc) ?? []) found.add(w);
    }
    return [...found];
  }

  hasWriters(v: Value): boolean {
    return this.writersOf(v).length > 0;
  }

  /** PyTorch's hasOutputWriters: some output of `node` may be written. */
  hasOutputWriters(node: Node): boolean {
    return node.outputs.some((o) => this.hasWriters(o));
  }

  /** True if `a` and `b` may share memory. */
  mayAlias(a: Value, b: Value): boolean {
    const la = this.memoryLocations(a);
    const lb = this.memoryLocations(b);
    for (const l of la) if (lb.has(l)) return true;
    const escapedA = [...la].some((l) => this.escaped.has(l));
    const escapedB = [...lb].some((l) => this.escaped.has(l));
    return escapedA && escapedB;
  }

  /** True if `node` writes memory that `v` may point to. */
  writesTo(node: Node, v: Value): boolean {
    return this.writersOf(v).includes(node);
  }

  /** A readable dump: every mutable value's locations, containment, writers and the wildcard set. */
  dump(): string {
    const lines: string[] = ['===== alias db ====='];
    const fmt = (s: Iterable<MemoryLocation>): string => `{${[...s].map(String).join(', ')}}`;
    for (const [v, locs] of this.pointsTo) lines.push(`%${v.debugName} : ${v.type.str()} -> ${fmt(locs)}`);
    if (this.contains.size) {
      lines.push('contains:');
      for (const [c, inner] of this.contains) lines.push(`  ${c} holds ${fmt(inner)}`);
    }
    lines.push('writers:');
    const describe = (n: Node): string =>
      `${n.kind}${n.outputs.length ? ` -> %${n.outputs.map((o) => o.debugName).join(', %')}` : ''}${n.sourceRange ? ` # ${n.sourceRange}` : ''}`;
    for (const [loc, ws] of this.writers) lines.push(`  ${loc} <- ${ws.map(describe).join('; ')}`);
    if (this.wildcardWriters.length) lines.push(`  * <- ${this.wildcardWriters.map(describe).join('; ')}`);
    lines.push(`wildcard set: ${fmt(this.escaped)}`);
    return lines.join('\n') + '\n';
  }

  // ---- construction -------------------------------------------------------------------------

  private fresh(v: Value): Set<MemoryLocation> {
    const s = new Set([new MemoryLocation(this.nextId++, v.debugName)]);
    this.pointsTo.set(v, s);
    return s;
  }

  private locsOf(v: Value): Set<MemoryLocation> {
    return this.pointsTo.get(v) ?? new Set();
  }

  private point(v: Value, locs: Iterable<MemoryLocation>): void {
    if (!isMutableType(v.type)) return;
    const s = this.pointsTo.get(v) ?? new Set<MemoryLocation>();
    for (const l of locs) s.add(l);
    this.pointsTo.set(v, s);
  }

  private contain(container: Value, elements: Iterable<Value>): void {
    for (const c of this.locsOf(container)) {
      const held = this.contains.get(c) ?? new Set<MemoryLocation>();
      for (const e of elements) for (const l of this.locsOf(e)) held.add(l);
      this.contains.set(c, held);
    }
  }

  private elementsOf(container: Value): Set<MemoryLocation> {
    const out = new Set<MemoryLocation>();
    for (const c of this.locsOf(container)) {
      for (const l of this.contains.get(c) ?? []) out.add(l);
      if (this.escaped.has(c)) out.add(this.wildcard);
    }
    return out.size ? out : new Set([this.wildcard]);
  }

  private write(node: Node, v: Value, includeContained = false): void {
    const locs = includeContained ? this.memoryLocations(v) : this.locsOf(v);
    for (const l of locs) {
      if (l === this.wildcard) this.wildcardWriters.push(node);
      else {
        const ws = this.writers.get(l) ?? [];
        if (!ws.includes(node)) ws.push(node);
        this.writers.set(l, ws);
      }
    }
  }

  private escape(v: Value): void {
    for (const l of this.memoryLocations(v)) this.escaped.add(l);
  }

  private analyzeBlock(block: Block): void {
    for (const node of block.nodes()) this.analyzeNode(node);
  }

  private analyzeNode(node: Node): void {
    switch (node.kind) {
      case 'prim::Constant':
      case 'prim::Uninitialized':
      case 'prim::ListConstruct':
      case 'prim::TupleConstruct':
      case 'prim::DictConstruct':
        for (const o of node.outputs) if (isMutableType(o.type)) this.fresh(o);
        if (node.kind === 'prim::DictConstruct')
          this.contain(
            node.output(),
            node.inputs.filter((_, i) => i % 2 === 1),
          );
        else if (node.kind !== 'prim::Constant' && node.kind !== 'prim::Uninitialized')
          this.contain(node.output(), node.inputs);
        return;
      case 'prim::GetAttr':
        // Frozen: the attribute's value is a location of its own. Otherwise it is whatever the object holds.
        if (this.frozen) this.fresh(node.output());
        else this.point(node.output(), this.elementsOf(node.input()));
        return;
      case 'prim::SetAttr':
        this.write(node, node.input(0));
        this.escape(node.input(1));
        return;
      case 'prim::ListUnpack':
      case 'prim::TupleUnpack':
      case 'prim::TupleIndex':
        for (const o of node.outputs) this.point(o, this.elementsOf(node.input(0)));
        return;
      case 'prim::unchecked_cast':
      case 'aten::detach':
        this.point(node.output(), this.locsOf(node.input()));
        return;
      case 'prim::If':
        for (const b of node.blocks) this.analyzeBlock(b);
        node.outputs.forEach((o, i) => {
          for (const b of node.blocks) this.point(o, this.locsOf(b.outputs[i]));
        });
        return;
      case 'prim::Loop':
        this.analyzeLoop(node);
        return;
      case 'prim::fork':
        // Captured inputs escape as into any call; the Future holds what the forked block returns.
        this.conservative(node);
        this.fresh(node.output());
        this.contain(node.output(), node.blocks[0]?.outputs ?? []);
        return;
      case 'aten::wait':
        this.point(node.output(), this.elementsOf(node.input()));
        return;
      case 'prim::RaiseException':
      case 'prim::Print':
        return;
      default:
        this.analyzeOperator(node);
    }
  }

  // Loop-carried values may alias both the initial values and what the body feeds back: iterate to a fixpoint.
  private analyzeLoop(node: Node): void {
    const body = node.blocks[0];
    const carried = node.inputs.slice(2);
    carried.forEach((v, i) => this.point(body.inputs[i + 1], this.locsOf(v)));
    for (let round = 0; round < 4; round++) {
      const before = this.sizeOf(body.inputs);
      this.analyzeBlock(body);
      carried.forEach((_, i) => this.point(body.inputs[i + 1], this.locsOf(body.outputs[i + 1])));
      if (this.sizeOf(body.inputs) === before) break;
    }
    node.outputs.forEach((o, i) => {
      this.point(o, this.locsOf(carried[i]));
      this.point(o, this.locsOf(body.outputs[i + 1]));
    });
  }

  private sizeOf(values: readonly Value[]): number {
    return values.reduce((n, v) => n + this.locsOf(v).size, 0);
  }

  private analyzeOperator(node: Node): void {
    const entry = this.ops.entryForNode(node);
    const schema = entry?.schema;
    if (!schema || entry.facts.aliasAnalysis === 'conservative' || node.blocks.length) {
      this.conservative(node);
      return;
    }
    this.fromSchema(node, schema);
  }

  // Unknown code may read and write anything reachable from its inputs and return anything.
  private conservative(node: Node): void {
    for (const v of node.inputs) {
      if (!isMutableType(v.type)) continue;
      this.write(node, v, true);
      this.escape(v);
    }
    for (const b of node.blocks) this.analyzeBlock(b);
    for (const o of node.outputs) if (isMutableType(o.type)) this.pointsTo.set(o, new Set([this.wildcard]));
  }

  private fromSchema(node: Node, schema: FunctionSchema): void {
    const setMembers = new Map<string, Value[]>();
    schema.arguments.forEach((arg, i) => {
      const v = node.inputs[i];
      if (!v || !arg.alias) return;
      for (const s of arg.alias.beforeSets) setMembers.set(s, [...(setMembers.get(s) ?? []), v]);
      if (arg.alias.isWrite) this.write(node, v);
      for (const c of arg.alias.contained) if (c.isWrite) this.write(node, v, true);
      if (arg.alias.isWildcardAfter && !arg.alias.isWildcardBefore) this.escape(v);
    });
    // Varargs beyond the declared arguments are treated as escaping.
    for (let i = schema.arguments.length; i < node.inputs.length; i++)
      if (isMutableType(node.inputs[i].type)) this.escape(node.inputs[i]);
    // An element entering a container we write (`append(self(a!), el(c -> *))`) is now held by it.
    if (node.kind === 'aten::append' || node.kind === 'aten::insert' || node.kind === 'aten::_set_item') {
      this.contain(node.input(0), node.inputs.slice(1));
    }
    node.outputs.forEach((o, i) => {
      if (!isMutableType(o.type)) return;
      const ret = schema.returns[i];
      const alias = ret?.alias;
      if (!alias || alias.beforeSets.length === 0) {
        // `-> t(*)` on a returned element, or a contained annotation: element reads.
        if (alias?.contained.length || schema.returnsWildcard(i)) this.point(o, this.elementsOfInputs(node));
        else this.fresh(o);
        return;
      }
      for (const s of alias.beforeSets) {
        // `-> t(*)`: an element read out of a container: what the container holds, or anything escaped.
        if (s === '*') this.point(o, [this.wildcard, ...this.elementsOfInputs(node)]);
        for (const v of setMembers.get(s) ?? []) this.point(o, this.locsOf(v));
      }
      if (!this.pointsTo.has(o)) this.fresh(o);
    });
  }

  // `aten::__getitem__.t(t[](a) list, int idx) -> t(*)`: the result is one of the list's elements.
  private elementsOfInputs(node: Node): Set<MemoryLocation> {
    const out = new Set<MemoryLocation>();
    for (const v of node.inputs) if (isMutableType(v.type)) for (const l of this.elementsOf(v)) out.add(l);
    return out.size ? out : new Set([this.wildcard]);
  }
}
