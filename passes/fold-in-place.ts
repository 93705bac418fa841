// When a fold may write a folded weight into the weight's own memory instead of fresh memory (resnet50:
// 94 MB of weights not copied, no page faults for new ones). Only in a consume freeze (the module owns its
// tensors: ownsItsTensors), and only for a tensor that is the whole of its storage, held by one constant
// with one use, and by nothing else in the module: no other use of a constant (of any method graph) nor
// attribute holds a tensor on the same storage. Anything else is copied as before, so a folded result is
// the same bytes either way. See docs/freeze.md ("consume").

import {
  ScriptObject,
  Tensor,
  Tuple,
  isScriptModule,
  ownsItsTensors,
  toIValue,
  type IValue,
  type PassContext,
  type ScriptModule,
  type Storage,
  type Value,
} from '../src/index.js';

/** Answers "may this constant's tensor be overwritten?" for one pass run over a module that owns its tensors. */
export class InPlaceFolds {
  private holders: Map<Storage, number> | undefined;

  private constructor(private readonly module: ScriptModule) {}

  /** For a pass run in `context`: null unless its module owns its tensors (a consume freeze). */
  static of(context: PassContext): InPlaceFolds | null {
    const module = context.module;
    return module && isScriptModule(module) && ownsItsTensors(module) ? new InPlaceFolds(module) : null;
  }

  /**
   * Whether `tensor`, the value of the constant `value`, may be overwritten by the fold rewriting its one
   * use: it covers its whole storage, contiguously, and nothing else in the module holds that storage.
   */
  mayOverwrite(value: Value, tensor: Tensor): boolean {
    if (value.node.kind !== 'prim::Constant' || value.uses().length !== 1) return false;
    if (tensor.offset !== 0 || tensor.numel !== tensor.storage.numel || !tensor.isContiguous) return false;
    return this.census().get(tensor.storage) === 1;
  }

  // How many holds each storage has: every use of a constant of every method graph of every module, and
  // every attribute value (however deeply nested). Counted on the first question of the run and kept: a
  // storage shared when the run started stays untouched all run, even once its other users got their
  // copies (a fold that overwrites moves its one hold to its new constant).
  private census(): Map<Storage, number> {
    if (this.holders) return this.holders;
    const holders = new Map<Storage, number>();
    const seen = new Set<object>();
    // `n`: the holds one holder stands for (a constant: one per use).
    const visit = (v: IValue, n = 1): void => {
      if (v === null || typeof v !== 'object') return;
      if (v instanceof Tensor) {
        holders.set(v.storage, (holders.get(v.storage) ?? 0) + n);
        return;
      }
      if (seen.has(v)) return;
      seen.add(v);
      if (Array.isArray(v)) for (const x of v) visit(x, n);
      else if (v instanceof Tuple) for (const x of v.items) visit(x, n);
      else if (v instanceof Map) {
        for (const [k, x] of v) {
          visit(k as IValue, n);
          visit(x, n);
        }
      } else if (v instanceof ScriptObject) {
        for (const [, x] of v.namedValues()) visit(x);
        if (isScriptModule(v)) {
          for (const fn of v.methods) {
            for (const node of fn.graph.allNodes()) {
              if (node.kind !== 'prim::Constant' || node.outputs.length !== 1) continue;
              const uses = node.output().uses().length;
              if (uses > 0) visit(toIValue(node.output()) ?? null, uses);
            }
          }
        }
      }
    };
    visit(this.module);
    this.holders = holders;
    return holders;
  }
}
