/**
 * inline-submodules: replaces method and function calls by the callee's body, recursively.
 *   %lin : Linear = prim::GetAttr[name="lin"](%self)            %lin : Linear = prim::GetAttr[name="lin"](%self)
 *   %y = prim::CallMethod[name="forward"](%lin, %x)      =>     %weight = prim::GetAttr[name="weight"](%lin)
 *                                                               %bias = prim::GetAttr[name="bias"](%lin)
 *                                                               %y = aten::linear(%x, %weight, %bias)
 *   %f : Function = prim::Constant[name="__torch__.helper"]()
 *   %z = prim::CallFunction(%f, %a)                      =>     (helper's body on %a; %z names its result)
 * The callee of prim::CallMethod is method `name` of the class type of input 0 (found from the type, so
 * it works on a bare graph as well as on every method of a module); a prim::CallFunction's callee is the
 * free function its Function constant names, looked up in the compilation units of the classes in play.
 * Callee graphs are copied, never changed; each is inlined once per run and reused for every call site
 * (copied into each; the last call site, known from counting call sites up front, takes the body itself).
 * Inlined nodes get the receiver's attribute path as inlinedFrom (`layer1.0.conv1`), so pictures can group them.
 * Names: callee values keep their names where free (the caller's holder moves to `name.N`, as PyTorch's
 * setDebugName does) and a named call output passes its name to the value replacing it.
 * Run on a module, a call on an interface-typed submodule (`prim::GetAttr` chain from self) is inlined too:
 * the attribute's object gives the concrete class, and the GetAttr is retyped to it (PyTorch's freezing
 * does this with freezeInterfaces on; option `interfaces`). Skipped when the graph sets that attribute.
 * With preservedOnly (freeze's setting), methods freezing drops (neither forward nor preserved) are left
 * alone: PyTorch's freezing inlines only the preserved methods, and freeze-attributes removes the rest.
 * Other interface calls and unknown methods/functions stay, with a remark; recursion is refused
 * (RECURSIVE_CALL, PyTorch's words). Cached inlined bodies are bounded (a deep chain would be quadratic).
 * A graph a run left with nothing to act on is not walked again until it changes (its epoch moves).
 * What is inlined is each callee's optimized graph, as PyTorch's GraphFunction::optimized_graph makes it
 * (preoptimizeGraph): the callee with its own calls inlined, then its None checks and int identities
 * simplified, constants folded on immutable types (a `dropout(x, p, True, False)` call keeps only the
 * not-in-place branch), dead code removed and constants pooled. The graph being inlined into is not
 * optimized itself.
 * Mirrors torch/csrc/jit/passes/inliner.cpp (Inline), ir.cpp's inlineCallTo, graph_executor.cpp's
 * preoptimizeGraph and freeze_module.cpp's inlineInterfaceCalls.
 */

import {
  ClassType,
  cloneGraph,
  CompilationUnit,
  inject,
  OPERATOR_REGISTRY,
  OperatorRegistry,
  FreezeError,
  FunctionRef,
  insertGraphBefore,
  joinModulePath,
  isObjectValue,
  moveGraphBefore,
  pass,
  ScriptModule,
  toIValue,
  type Block,
  type Function,
  type Graph,
  type GraphPass,
  type IValue,
  type Node,
  type ObjectValue,
  type OptionsOf,
  type PassContext,
  type PassResult,
  type Value,
} from '../src/index.js';
import { preoptimize } from './inline-preoptimize.js';
import { resolvePreserved } from './freeze/preserved.js';

/** A call that can be inlined, or why not. */
type CallMatch =
  | { readonly ok: true; readonly callee: Function; readonly args: readonly Value[] }
  | { readonly ok: false; readonly reason: string };

/** The callee of a prim::CallMethod: method `name` of input 0's class type. */
export function matchMethodCall(node: Node): CallMatch {
  const receiver = node.inputs[0];
  if (!receiver) return { ok: false, reason: 'prim::CallMethod without a receiver' };
  const name = node.s('name');
  if (!(receiver.type instanceof ClassType)) {
    return {
      ok: false,
      reason: `the receiver has type ${receiver.type.str()}, not a class: method '${name}' is only known at run time`,
    };
  }
  const callee = receiver.type.findMethod(name);
  if (!callee) return { ok: false, reason: `${receiver.type.qualifiedName} has no method '${name}'` };
  if (callee.graph.inputs.length !== node.inputs.length)
    return {
      ok: false,
      reason: `${node.inputs.length} arguments for a method taking ${callee.graph.inputs.length}`,
    };
  return { ok: true, callee, args: node.inputs };
}

/** The callee of a prim::CallFunction: the free function its Function constant names, in one of `units`. */
export function matchFunctionCall(node: Node, units: Iterable<CompilationUnit>): CallMatch {
  const ref = node.inputs[0] ? toIValue(node.inputs[0]) : undefined;
  if (!(ref instanceof FunctionRef))
    return { ok: false, reason: 'the function is not a prim::Constant naming it' };
  for (const cu of units) {
    const callee = cu.findFunction(ref.qualifiedName);
    if (callee) return { ok: true, callee, args: node.inputs.slice(1) };
  }
  return {
    ok: false,
    reason: `function ${ref.qualifiedName} is not defined in any compilation unit in reach`,
  };
}

const OPTIONS = {
  interfaces: {
    type: 'boolean',
    default: true,
    description: 'on a module, inline calls on interface-typed submodules through the concrete submodule',
  },
  preservedOnly: {
    type: 'boolean',
    default: false,
    description:
      "on a module, inline only into the methods freezing keeps (forward and `preserve`'s), as PyTorch's freezing does: the others are dropped unchanged",
  },
  preserve: {
    type: 'string[]',
    default: [],
    description: 'with preservedOnly: the attributes and methods freezing keeps besides forward',
  },
} as const;

type Options = OptionsOf<typeof OPTIONS>;

@pass({
  name: 'inline-submodules',
  summary: 'Inline prim::CallMethod and prim::CallFunction recursively (PyTorch Inline)',
  options: OPTIONS,
  statistics: [
    { name: 'methods-inlined', description: 'prim::CallMethod call sites replaced by the method body' },
    { name: 'functions-inlined', description: 'prim::CallFunction call sites replaced by the function body' },
    { name: 'interface-calls-inlined', description: 'calls on interface-typed submodules inlined' },
  ],
  establishesProperties: ['inlined'],
})
export class InlineSubmodules implements GraphPass<Options> {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  run(graph: Graph, context: PassContext<Options>): PassResult {
    if (settledGraphs.get(graph) === graph.epoch) return { changed: false };
    if (context.options.preservedOnly && droppedByFreezing(graph, context)) return { changed: false };
    const inliner = new Inliner(context, this.ops);
    const self = graph.inputs[0]?.type;
    if (self instanceof ClassType) inliner.units.add(self.cu);
    const module = context.module as unknown as IValue;
    if (isObjectValue(module) && module.type instanceof ClassType) inliner.units.add(module.type.cu);
    const counts = inliner.inlineCalls(graph);
    if (context.options.interfaces && isObjectValue(module) && graph.inputs[0]?.type === module.type) {
      counts.interfaces = inliner.inlineInterfaceCalls(graph, module);
      if (inliner.nothingLeft) settledGraphs.set(graph, graph.epoch);
    }
    if (counts.methods) context.count('methods-inlined', counts.methods);
    if (counts.functions) context.count('functions-inlined', counts.functions);
    if (counts.interfaces) context.count('interface-calls-inlined', counts.interfaces);
    return { changed: counts.methods + counts.functions + counts.interfaces > 0 };
  }
}

/**
 * Graphs a run left with no call and no interface-typed prim::GetAttr (nothing this pass acts on), by their
 * epoch then (it moves with every IR change). Freeze's fixpoint reruns the pass to confirm nothing changed:
 * on the same epoch there is nothing to find, and the walks of the whole inlined graph are skipped.
 */
const settledGraphs = new WeakMap<Graph, number>();

// True for a method graph of a module that freezing drops: neither forward nor preserved (while a module
// with neither keeps every method, as PyTorch's freezing does for a bare nn.LSTM).
function droppedByFreezing(graph: Graph, context: PassContext<Options>): boolean {
  const module = context.module;
  if (!(module instanceof ScriptModule)) return false;
  const kept = resolvePreserved(module, context.options.preserve).methods;
  if (kept.size === 0) return false;
  for (const fn of kept.keys()) if (fn.graph === graph) return false;
  return module.type.methods.some((fn) => fn.graph === graph);
}

/**
 * One run's inlining: callee bodies are inlined once, cached, and copied into each call site; the last call
 * site moves the body instead (most bodies have one call site: resnet50 67 of 84, densenet121 198 of 238).
 */
const MAX_CACHED_NODES = 200_000;

// PyTorch refuses recursion when it compiles the method; tsfreeze cannot inline it either.
function recursionError(callee: Function): FreezeError {
  const what = callee.owner instanceof ClassType ? 'method' : 'function';
  return new FreezeError(
    'RECURSIVE_CALL',
    `${what} '${callee.name}' is called recursively. Recursive calls are not supported`,
  );
}

class Inliner {
  readonly units = new Set<CompilationUnit>();
  /** Set by inlineInterfaceCalls: the graph it finished has no call and no interface-typed GetAttr. */
  nothingLeft = false;
  private readonly bodies = new Map<Function, Graph>();
  private cachedNodes = 0;
  private readonly inProgress = new Set<Function>();
  /** Callees that reach themselves: never inlined (TorchScript has no recursion; guard anyway). */
  private readonly recursive = new Set<Function>();
  /**
   * Call sites each callee's body is still to be inlined at, counted over the call graph at the first call
   * (a body is built once per run, so each caller's sites count once). Only speed depends on the count:
   * a body moved away too early is rebuilt on its next use, exactly as after the cache starts over.
   */
  private usesLeft: Map<Function, number> | undefined;

  constructor(
    private readonly context: PassContext<Options>,
    private readonly ops: OperatorRegistry,
  ) {}

  /** Inlines every call in `graph` (nested blocks too); returns how many call sites were replaced. */
  inlineCalls(graph: Graph): { methods: number; functions: number; interfaces: number } {
    const counts = { methods: 0, functions: 0, interfaces: 0 };
    const blocks: Block[] = [graph.block];
    for (let block = blocks.pop(); block; block = blocks.pop()) {
      // A direct walk of the links (cheaper than the iterator in cold code): an inlined body goes before
      // its call, which is then destroyed; the node after it is read first.
      const end = block.returnNode;
      for (let node = end.next!, after = node.next!; node !== end; node = after, after = node.next!) {
        if (node.kind !== 'prim::CallMethod' && node.kind !== 'prim::CallFunction') {
          const inner = node.blocks;
          for (let i = 0; i < inner.length; i++) blocks.push(inner[i]);
          continue;
        }
        const isMethod = node.kind === 'prim::CallMethod';
        const match = isMethod ? matchMethodCall(node) : matchFunctionCall(node, this.units);
        if (!match.ok) {
          this.context.remark(node, `not inlined: ${match.reason}`);
          continue;
        }
        this.usesLeft ??= this.countCallSites(graph);
        const last = this.takeUse(match.callee);
        const body = this.inlinedBody(match.callee, last);
        if (!body) throw recursionError(match.callee);
        inlineCallTo(node, body, match.args, last);
        counts[isMethod ? 'methods' : 'functions']++;
      }
    }
    return counts;
  }

  /**
   * Inlines calls on interface-typed GetAttrs reached from self, through the concrete submodule `module`
   * holds there, and retypes each GetAttr to its class; rounds until none is left (bodies bring new ones).
   */
  inlineInterfaceCalls(graph: Graph, module: ObjectValue): number {
    let inlined = 0;
    // The attributes the graph sets, as it is before any interface call is inlined (made on the first one).
    let written: Set<string> | undefined;
    const seen = new Set<Node>();
    const pending = (): Node[] => {
      const scan: Scan = { getAttrs: [], seen, left: false };
      scanBlock(graph.block, scan);
      this.nothingLeft = !scan.left;
      return scan.getAttrs;
    };
    for (let round = pending(); round.length; round = pending()) {
      written ??= new Set(nodesWhere(graph, (n) => n.kind === 'prim::SetAttr').map((n) => n.s('name')));
      for (const get of round) {
        seen.add(get);
        if (get.destroyed) continue;
        const name = get.s('name');
        const target = written.has(name) ? undefined : objectAt(get.output(), graph.inputs[0], module);
        if (!target || !(target.type instanceof ClassType)) {
          this.context.remark(
            get,
            `calls on '${name}' not inlined: its module is not known here (or is set)`,
          );
          continue;
        }
        for (const { user, offset } of get.output().uses()) {
          const method = user.kind === 'prim::CallMethod' && offset === 0 ? user.s('name') : undefined;
          const body = method !== undefined && this.inlinedBody(target.type.getMethod(method));
          if (!body) continue;
          inlineCallTo(user, body, user.inputs, false);
          inlined++;
        }
        get.output().setType(target.type);
      }
    }
    return inlined;
  }

  // How many times each callee is called, from `root` and from every callee reached (each once): the
  // call sites inlineCalls will find (in callers' bodies as copied, before they are preoptimized).
  private countCallSites(root: Graph): Map<Function, number> {
    const uses = new Map<Function, number>();
    // Matching must not change what the run finds: function lookups use a copy of the units in reach.
    const units = new Set(this.units);
    const graphs = [root];
    for (let g = graphs.pop(); g; g = graphs.pop()) {
      for (const node of nodesWhere(g, isCall)) {
        const kind = node.kind;
        const match = kind === 'prim::CallMethod' ? matchMethodCall(node) : matchFunctionCall(node, units);
        if (!match.ok) continue;
        const callee = match.callee;
        const seen = uses.get(callee);
        uses.set(callee, (seen ?? 0) + 1);
        if (seen !== undefined) continue;
        if (callee.owner instanceof ClassType) units.add(callee.owner.cu);
        graphs.push(callee.graph);
      }
    }
    return uses;
  }

  // Counts one call site of `callee` as inlined; true if no other is expected (its body may then move).
  private takeUse(callee: Function): boolean {
    const left = this.usesLeft?.get(callee);
    if (left === undefined) return false;
    this.usesLeft!.set(callee, left - 1);
    return left <= 1;
  }

  // A copy of the callee's graph with its own calls inlined; undefined on recursion. For the `last` call
  // site the body leaves the cache (the caller moves it).
  private inlinedBody(callee: Function, last = false): Graph | undefined {
    const cached = this.bodies.get(callee);
    if (cached) {
      if (last) this.bodies.delete(callee);
      return cached;
    }
    if (this.inProgress.has(callee)) {
      for (const f of this.inProgress) this.recursive.add(f);
    }
    if (this.recursive.has(callee)) return undefined;
    this.inProgress.add(callee);
    try {
      if (callee.owner instanceof ClassType) this.units.add(callee.owner.cu);
      const body = cloneGraph(callee.graph);
      this.inlineCalls(body);
      if (this.recursive.has(callee)) return undefined;
      preoptimize(body, this.ops);
      if (last) return body;
      // Bodies of a deep submodule chain grow level by level: keeping every one cached is quadratic in
      // memory (300 levels took 2.5 GB). Past a budget the cache starts over; a miss only costs time.
      this.cachedNodes += body.nodeIdBound; // a bound on its nodes (some were destroyed): enough for a budget
      if (this.cachedNodes > MAX_CACHED_NODES) {
        this.bodies.clear();
        this.cachedNodes = 0;
      }
      this.bodies.set(callee, body);
      return body;
    } finally {
      this.inProgress.delete(callee);
    }
  }
}

const isCall = (n: Node): boolean => n.kind === 'prim::CallMethod' || n.kind === 'prim::CallFunction';

// The nodes of `graph` (nested blocks too, in allNodes order) that `keep` accepts, by a walk of the links:
// a full walk of a big inlined graph by the allNodes iterator costs ~1 µs a node in cold code.
function nodesWhere(graph: Graph, keep: (n: Node) => boolean): Node[] {
  const out: Node[] = [];
  const walk = (block: Block): void => {
    const end = block.returnNode;
    for (let n = end.next!; n !== end; n = n.next!) {
      if (keep(n)) out.push(n);
      const blocks = n.blocks;
      for (let i = 0; i < blocks.length; i++) walk(blocks[i]);
    }
  };
  walk(graph.block);
  return out;
}

/** What a walk of the graph for interface calls finds. */
interface Scan {
  /** The interface-typed prim::GetAttrs not in `seen`, in allNodes order. */
  readonly getAttrs: Node[];
  readonly seen: ReadonlySet<Node>;
  /** True when a call or an interface-typed prim::GetAttr (seen or not) is left in the graph. */
  left: boolean;
}

// One walk of the links (each node read once, no callback per node: this walk covers the whole inlined
// graph, in cold code).
function scanBlock(block: Block, scan: Scan): void {
  const end = block.returnNode;
  for (let n = end.next!; n !== end; n = n.next!) {
    const kind = n.kind;
    if (kind === 'prim::GetAttr') {
      if (n.outputs[0]?.type.kind === 'Interface') {
        scan.left = true;
        if (!scan.seen.has(n)) scan.getAttrs.push(n);
      }
    } else if (kind === 'prim::CallMethod' || kind === 'prim::CallFunction') scan.left = true;
    const blocks = n.blocks;
    for (let i = 0; i < blocks.length; i++) scanBlock(blocks[i], scan);
  }
}

// The object a chain of prim::GetAttr from `self` reaches in `module`, if it is one.
function objectAt(v: Value, self: Value | undefined, module: ObjectValue): ObjectValue | undefined {
  const names: string[] = [];
  for (; v !== self; v = v.node.input(0)) {
    if (v.node.kind !== 'prim::GetAttr') return undefined;
    names.unshift(v.node.s('name'));
  }
  let obj: IValue = module;
  for (const name of names) {
    if (!isObjectValue(obj) || !obj.hasAttr(name)) return undefined;
    obj = obj.getAttr(name);
  }
  return isObjectValue(obj) ? obj : undefined;
}

// The attribute path of a method call's receiver from the graph's `self` (`layer1.0`), if it is a
// prim::GetAttr chain from there: the module the inlined nodes come from.
function receiverPath(call: Node): string | undefined {
  const self = call.owningGraph.inputs[0];
  const names: string[] = [];
  for (let v = call.inputs[0]; v !== self; v = v.node.inputs[0]) {
    if (!v || v.node.kind !== 'prim::GetAttr') return undefined;
    names.unshift(v.node.s('name'));
  }
  return names.length ? names.join('.') : undefined;
}

// Transforms `%y = prim::Call*(args)` into the body's nodes on `args`; %y's name passes to its replacement.
// With `move` the body's own nodes go there (same result as a copy; the body is left empty).
function inlineCallTo(call: Node, body: Graph, args: readonly Value[], move: boolean): void {
  const inlinedFromPrefix = joinModulePath(
    call.inlinedFrom,
    call.kind === 'prim::CallMethod' ? receiverPath(call) : undefined,
  );
  const results = (move ? moveGraphBefore : insertGraphBefore)(call, body, args, { inlinedFromPrefix });
  call.outputs.forEach((old, i) => {
    const replacement = results[i];
    if (old.hasDebugName) replacement.setDebugName(old.debugName);
    old.replaceAllUsesWith(replacement);
  });
  call.destroy();
}
