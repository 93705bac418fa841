// ModuleResolver (passes/freeze/module-resolver.ts) answers, for every module-typed value and in any order
// of questions, what walking the value's GetAttr chain from `self` answers (the walk freeze-attributes made
// per attribute read before), and drops its answers when the preserved set grows.

import { expect } from 'chai';
import fc from 'fast-check';
import { ScriptModule, Tensor, moduleBuilder, type Graph, type Value } from '../../src/index.js';
import { isModuleType, modulePath } from '../../passes/freeze/module-path.js';
import { ModuleResolver, type ModuleLookup } from '../../passes/freeze/module-resolver.js';
import { resolvePreserved, type PreservedSet } from '../../passes/freeze/preserved.js';

// Root M { a: A { b: B { w }, c: B { w } }, t }; forward reads through chains, repeated chains, a chain from
// a graph input that is not `self`, and a chain through a tensor attribute.
function tree(): ScriptModule {
  const leaf = (): ScriptModule =>
    moduleBuilder('B')
      .attribute('w', Tensor.fromArray('float32', [1], [1]))
      .build();
  const a = moduleBuilder('A').submodule('b', leaf()).submodule('c', leaf()).build();
  return moduleBuilder('M')
    .submodule('a', a)
    .attribute('t', Tensor.fromArray('float32', [2], [1]))
    .method(
      'forward',
      `graph(%self : __torch__.M, %x : Tensor, %other : __torch__.B):
  %a : __torch__.A = prim::GetAttr[name="a"](%self)
  %b : __torch__.B = prim::GetAttr[name="b"](%a)
  %w : Tensor = prim::GetAttr[name="w"](%b)
  %a2 : __torch__.A = prim::GetAttr[name="a"](%self)
  %c : __torch__.B = prim::GetAttr[name="c"](%a2)
  %w2 : Tensor = prim::GetAttr[name="w"](%c)
  %b2 : __torch__.B = prim::GetAttr[name="b"](%a2)
  %ow : Tensor = prim::GetAttr[name="w"](%other)
  %t : Tensor = prim::GetAttr[name="t"](%self)
  %y : Tensor = aten::add(%w, %w2, %t)
  return (%y)
`,
    )
    .build();
}

// The walk: the chain's names from `self`, then each step from the base, first failure wins.
function walk(value: Value, graph: Graph, base: ScriptModule, preserved: PreservedSet): ModuleLookup {
  const path = modulePath(value, graph);
  if (!path) return { ok: false, reason: 'the module is not reached by a GetAttr chain from self' };
  let owner = base;
  for (const step of path) {
    const next = owner.getAttr(step);
    if (preserved.values.has(next)) return { ok: false, reason: `submodule ${step} is preserved` };
    if (!(next instanceof ScriptModule)) return { ok: false, reason: `${step} is not a module` };
    owner = next;
  }
  return { ok: true, owner, path };
}

function moduleValues(graph: Graph): Value[] {
  const out: Value[] = [...graph.inputs.filter(isModuleType)];
  for (const n of graph.allNodes()) out.push(...n.outputs.filter(isModuleType));
  return out;
}

describe('freeze: ModuleResolver', () => {
  it('answers as the chain walk does, in any order of questions, with any submodule preserved', () => {
    const root = tree();
    const graph = root.findMethod('forward')!.graph;
    const values = moduleValues(graph);
    expect(values).to.have.length(7);
    const preserveChoices = [[], ['a'], ['a.b'], ['a.c']];
    fc.assert(
      fc.property(
        fc.constantFrom(...preserveChoices),
        fc.array(fc.nat(values.length - 1), { minLength: 1, maxLength: 20 }),
        (names, order) => {
          const preserved = resolvePreserved(root, names);
          const resolver = new ModuleResolver(graph, root, preserved);
          for (const i of order)
            expect(resolver.resolve(values[i])).to.deep.equal(walk(values[i], graph, root, preserved));
        },
      ),
    );
  });

  it('resolves a chain once: the same answer object for every read through it', () => {
    const root = tree();
    const graph = root.findMethod('forward')!.graph;
    const resolver = new ModuleResolver(graph, root, resolvePreserved(root, []));
    const [b] = graph.nodesOfKind('prim::GetAttr').filter((n) => n.output().debugName === 'b');
    const first = resolver.resolve(b.output());
    expect(first).to.include({ ok: true, owner: (root.getAttr('a') as ScriptModule).getAttr('b') });
    expect(resolver.resolve(b.output())).to.equal(first);
  });

  it('drops its answers when the preserved set grows', () => {
    const root = tree();
    const graph = root.findMethod('forward')!.graph;
    const preserved = resolvePreserved(root, []);
    const resolver = new ModuleResolver(graph, root, preserved);
    const c = graph
      .nodesOfKind('prim::GetAttr')
      .find((n) => n.output().debugName === 'c')!
      .output();
    expect(resolver.resolve(c).ok).to.equal(true);
    preserved.insertAttribute(root.getAttr('a') as ScriptModule, 'c');
    expect(resolver.resolve(c)).to.deep.equal({ ok: false, reason: 'submodule c is preserved' });
  });
});
