/**
 * freeze-attributes: folds every attribute a preserved method only reads into a prim::Constant, and
 * keeps those it (or anything aliasing them) may change.
 *   %w = prim::GetAttr[name="weight"](%lin)   =>   %self.lin.weight : Float(3, 2, ...) = prim::Constant[value=<Tensor>]()
 *   %t = prim::GetAttr[name="t"](%self); aten::add_(%t, ...)   =>   unchanged: `t` is mutated, so it stays an attribute
 * Preconditions: method calls inlined (run inline-submodules first); the module is in eval mode.
 * Mirrors AttributePropagator::recordMutableAttrs / propagateAttributes in
 * torch/csrc/jit/passes/freeze_module.cpp: mutation is found with alias analysis in frozen mode
 * (in-place writes through the attribute, a view of it, or a container holding it; prim::SetAttr).
 * Each (module instance, attribute) becomes one interned constant named `self.path.attr`; tensors are
 * detached. Unused attributes, methods and submodules are removed later by freeze-cleanup.
 */

import {
  FreezeError,
  NoneType,
  OPERATOR_REGISTRY,
  OperatorRegistry,
  OptionalType,
  ScriptModule,
  Tensor,
  Tuple,
  describeNode,
  freshValueWriters,
  insertConstant,
  pass,
  tensorTypeOf,
  type Graph,
  type IValue,
  type Node,
  type ModulePass,
  type ModuleTarget,
  type PassContext,
  type PassResult,
  type ScriptObject,
  type Type,
  type Value,
  inject,
  wildcardsSurelyUnwritten,
} from '../src/index.js';
import { AliasDb } from './alias-analysis.js';
import {
  isMutableAttributeType,
  isObject,
  keyOf,
  subValueKeys,
  type IdentityKey,
} from './freeze/identity.js';
import { isModuleType } from './freeze/module-path.js';
import { ModuleResolver } from './freeze/module-resolver.js';
import { checkEvalMode, PRESERVE_OPTIONS, resolvePreserved, type PreservedSet } from './freeze/preserved.js';
import { freezeReportOf, type FreezeReport } from './freeze/report.js';

/** Where a GetAttr leads: the owning module instance and its dotted path, or why it cannot be folded. */
type AttrLookup =
  | { readonly ok: true; readonly owner: ScriptModule; readonly path: readonly string[]; readonly type: Type }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly owner?: ScriptModule;
      readonly path?: readonly string[];
    };

@pass({
  name: 'freeze-attributes',
  summary: 'Inline attributes that preserved methods only read as constants; keep the mutated ones',
  target: 'module',
  options: PRESERVE_OPTIONS,
  statistics: [
    { name: 'attributes-folded', description: 'distinct (module, attribute) pairs turned into constants' },
    { name: 'getattrs-folded', description: 'prim::GetAttr nodes replaced by a constant' },
    { name: 'attributes-mutable', description: 'attributes kept because a preserved method may change them' },
  ],
  required: true,
})
export class FreezeAttributes implements ModulePass {
  constructor(@inject(OPERATOR_REGISTRY) private readonly ops: OperatorRegistry) {}

  run(target: ModuleTarget, context: PassContext<{ preserve: readonly string[] }>): PassResult {
    if (!(target instanceof ScriptModule))
      throw new FreezeError('NOT_A_MODULE', 'freeze-attributes runs on a ScriptModule');
    checkEvalMode(target);
    const preserved = resolvePreserved(target, context.options.preserve);
    const report = freezeReportOf(target);
    for (const name of context.options.preserve) report.note(name, { kind: 'preserved', by: 'user' });
    // No forward and nothing preserved (a bare nn.LSTM): PyTorch freezes nothing and keeps every method.
    if (preserved.methods.size === 0) return { changed: false };
    // Methods nobody preserved are dropped now, as cleanup would, so later passes never work on them.
    let changed = false;
    for (const fn of [...target.type.methods]) {
      if (preserved.methods.has(fn)) continue;
      target.type.removeMethod(fn.name);
      changed = true; // removing a method changes the module's IR
    }
    const methods = [...preserved.methods];
    const used = new Map<IdentityKey, IValue>();
    const modules = methods.map(([fn, owner]) => new ModuleResolver(fn.graph, owner, preserved));
    // The GetAttrs of each method, in program order (recording changes no graph: one walk serves both).
    const getAttrs = methods.map(([fn], i) =>
      this.recordMutableAttrs(fn.graph, fn.name, modules[i], preserved, report, used, context),
    );
    checkNoOverlaps(used);
    methods.forEach(([fn], i) => {
      changed = propagate(fn.graph, getAttrs[i], modules[i], preserved, report, context) || changed;
    });
    return { changed };
  }

  // A preserved method that may write an attribute (SetAttr, or a write seen by alias analysis) keeps it.
  // Returns the method's prim::GetAttr nodes in program order.
  private recordMutableAttrs(
    graph: Graph,
    method: string,
    modules: ModuleResolver,
    preserved: PreservedSet,
    report: FreezeReport,
    used: Map<IdentityKey, IValue>,
    context: PassContext,
  ): Node[] {
    const writersOf = this.attributeWriters(graph);
    const getAttrs: Node[] = [];
    for (const n of graph.allNodes()) {
      if (n.kind === 'prim::GetAttr') getAttrs.push(n);
      else if (n.kind !== 'prim::SetAttr') continue;
      const name = n.s('name');
      const found = findConstantAttr(n.input(0), name, modules, preserved);
      if (!found.ok) continue;
      const value = found.owner.getAttr(name);
      if (n.kind === 'prim::GetAttr') {
        if (isObject(value) || !isMutableAttributeType(found.type)) continue;
        // One entry per alias identity (tensors sharing a storage are one value), as HashAliasedIValues.
        const key = keyOf(value);
        if (key && !used.has(key)) used.set(key, value);
        const writers = writersOf(n.output());
        if (writers.length === 0) continue;
        preserved.insertAttribute(found.owner, name);
        report.note(attributePath(found.path, name), {
          kind: 'mutated',
          method,
          node: describeNode(writers[0]) + source(writers[0].sourceRange),
        });
      } else {
        preserved.insertAttribute(found.owner, name);
        report.note(attributePath(found.path, name), {
          kind: 'mutated',
          method,
          node: describeNode(n) + source(n.sourceRange),
        });
      }
      context.count('attributes-mutable');
    }
    return getAttrs;
  }

  /**
   * Who may write what a GetAttr read, as the frozen-mode AliasDb says. Most reads are only passed to
   * operators that neither write nor keep them: their uses answer exactly (freshValueWriters); a read that
   * escapes (transformer weights into split/chunk) is answered the same way when no write in the graph can
   * reach escaped memory. The whole-graph analysis is built only for a read neither answers.
   */
  private attributeWriters(graph: Graph): (read: Value) => readonly Node[] {
    let aliases: AliasDb | undefined;
    let wildcardsUnwritten: boolean | undefined;
    const entryOf = (n: Node) => this.ops.entryForNode(n);
    return (read) => {
      let writers = freshValueWriters(read, entryOf, true);
      if (!writers && (wildcardsUnwritten ??= wildcardsSurelyUnwritten(graph, entryOf, true)))
        writers = freshValueWriters(read, entryOf, true, true);
      // Several writers: the report names the first in the analysis's order, which only the AliasDb knows.
      if (writers && writers.length <= 1) return writers;
      return (aliases ??= new AliasDb(graph, this.ops, { frozen: true })).writersOf(read);
    };
  }
}

// `layer1.0.conv1.weight`: the dotted path of attribute `name` of the module at `path` (built only when
// reported: freezing asks for thousands of attributes).
function attributePath(path: readonly string[], name: string): string {
  return path.length === 0 ? name : `${path.join('.')}.${name}`;
}

function source(range: string | undefined): string {
  return range ? ` (${range})` : '';
}

// PyTorch refuses attributes whose values overlap (a tensor and a list holding it): alias analysis
// cannot follow sub-values.
function checkNoOverlaps(used: Map<IdentityKey, IValue>): void {
  const seen = new Set<IdentityKey>();
  for (const value of used.values()) {
    const keys = subValueKeys(value);
    for (const k of keys) {
      if (seen.has(k))
        throw new FreezeError('OVERLAPPING_ATTRIBUTES', 'module contains attributes values that overlaps');
    }
    for (const k of keys) seen.add(k);
  }
}

/** PyTorch's findConstantAttr: can this GetAttr/SetAttr's attribute be treated as a constant? */
export function findConstantAttr(
  input: Value,
  name: string,
  modules: ModuleResolver,
  preserved: PreservedSet,
): AttrLookup {
  if (!isModuleType(input)) return { ok: false, reason: 'not an attribute of a module' };
  const module = modules.resolve(input);
  if (!module.ok) return module;
  const { owner, path } = module;
  const attr = owner.type.findAttribute(name);
  if (!attr) return { ok: false, reason: `no attribute ${name}` };
  const value = owner.getAttr(name);
  if (!isMutableAttributeType(attr.type)) {
    return preserved.isScalarPreserved(owner, name)
      ? { ok: false, reason: 'preserved', owner, path }
      : { ok: true, owner, path, type: attr.type };
  }
  if (preserved.values.has(value)) return { ok: false, reason: 'preserved', owner, path };
  if (!isObject(value) && preserved.values.overlapsAnyNonObject(value))
    return { ok: false, reason: 'aliased', owner, path };
  return { ok: true, owner, path, type: attr.type };
}

// Replaces foldable GetAttrs (`getAttrs`: the graph's, in program order) with interned constants at the top
// of the graph.
function propagate(
  graph: Graph,
  getAttrs: readonly Node[],
  modules: ModuleResolver,
  preserved: PreservedSet,
  report: FreezeReport,
  context: PassContext,
): boolean {
  const interned = new Map<ScriptObject, Map<string, Value>>();
  // Constants go to the top of the graph, in the order they are made (after the previous one).
  let lastConstant: Value | undefined;
  let changed = false;
  for (const n of getAttrs) {
    const name = n.s('name');
    const found = findConstantAttr(n.input(0), name, modules, preserved);
    if (!found.ok) {
      if (found.owner && found.path)
        notePreservedReason(report, attributePath(found.path, name), found.reason);
      continue;
    }
    let constant = interned.get(found.owner)?.get(name);
    if (!constant) {
      const path = attributePath(found.path, name);
      const value = detachTensors(found.owner.getAttr(name));
      if (value instanceof ScriptModule) continue; // modules stay GetAttrs until their attributes are folded
      try {
        const at = lastConstant ? lastConstant.node.next! : (graph.block.firstNode ?? graph.returnNode);
        constant = graph.withInsertPoint(at, () =>
          insertConstant(graph, value, constantTypeFor(value, found.type)),
        );
        lastConstant = constant;
      } catch (error) {
        report.note(path, {
          kind: 'not-materializable',
          reason: error instanceof Error ? error.message : String(error),
        });
        continue;
      }
      constant.setDebugName(`self.${path}`);
      const byName = interned.get(found.owner) ?? new Map<string, Value>();
      byName.set(name, constant);
      interned.set(found.owner, byName);
      report.note(path, { kind: 'folded', constant: constant.debugName });
      context.count('attributes-folded');
    }
    n.output().replaceAllUsesWith(constant);
    n.destroy(); // we walk a list made before, so destroying here is safe; PyTorch leaves it for DCE

    context.count('getattrs-folded');
    changed = true;
  }
  return changed;
}

function notePreservedReason(report: FreezeReport, path: string, reason: string): void {
  if (reason === 'aliased')
    report.note(path, { kind: 'aliased', with: 'an attribute that is mutated or preserved' });
  else if (reason.startsWith('submodule')) report.note(path, { kind: 'submodule-kept', reason });
}

// PyTorch's overrideGradient: constants never require grad.
function detachTensors(v: IValue): IValue {
  if (v instanceof Tensor) {
    if (!v.requiresGrad) return v;
    const d = v.detach();
    d.requiresGrad = false;
    return d;
  }
  if (Array.isArray(v)) return v.some(needsDetach) ? v.map(detachTensors) : v;
  if (v instanceof Tuple)
    return v.items.some(needsDetach) ? new Tuple(v.items.map(detachTensors), v.type) : v;
  return v;
}

function needsDetach(v: IValue): boolean {
  if (v instanceof Tensor) return v.requiresGrad;
  if (Array.isArray(v)) return v.some(needsDetach);
  if (v instanceof Tuple) return v.items.some(needsDetach);
  return false;
}

// Tensors get their complete type (as PyTorch prints frozen constants); objects their class; others
// their declared type.
function constantTypeFor(value: IValue, declared: Type): Type {
  if (value === null) return NoneType;
  if (value instanceof Tensor) return tensorTypeOf(value);
  if (isObject(value)) return (value as { type: Type }).type;
  return declared instanceof OptionalType ? declared.elem : declared;
}
