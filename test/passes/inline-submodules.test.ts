// inline-submodules: FileCheck cases over test modules, PyTorch's inlined graphs of two fixtures, and
// outputs before/after inlining (and against PyTorch's output for the seed module).

import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  ClassType,
  CompilationUnit,
  Function as ScriptFunction,
  moduleBuilder,
  NoneType,
  parseIR,
  runPipeline,
  Tensor,
  TsFreezeError,
  type Graph,
  type ResolveClass,
  type ScriptModule,
} from '../../src/index.js';
import { runFunction } from '../../src/runtime/runtime.js';
import { loadModule } from '../../src/serialization/index.js';
import { FileCheckError, fileCheck } from '../support/filecheck.js';
import { REPO_ROOT, splitIRCases } from '../support/ir-case-runner.js';
import { LINEAR_FORWARD, seedSimpleParam } from '../support/seed-modules.js';
import { expectClose, seeded, testContainer } from './numeric.js';

const LINEAR = `graph(%self : __torch__.Linear, %x : Tensor):
  %weight : Tensor = prim::GetAttr[name="weight"](%self)
  %bias : Tensor = prim::GetAttr[name="bias"](%self)
  %5 : Tensor = aten::linear(%x, %weight, %bias) # linear.py:114:15
  return (%5)
`;
const BLOCK_FORWARD = `graph(%self : __torch__.Block, %x : Tensor):
  %lin : __torch__.Linear = prim::GetAttr[name="lin"](%self)
  %h : Tensor = prim::CallMethod[name="forward"](%lin, %x)
  %y : Tensor = prim::CallMethod[name="act"](%self, %h)
  return (%y)
`;
const BLOCK_ACT = `graph(%self : __torch__.Block, %x : Tensor):
  %r : Tensor = aten::relu(%x)
  return (%r)
`;

/** The classes the .ir cases name, in one compilation unit, and a resolver for parsing the cases. */
function testClasses(): { cu: CompilationUnit; resolve: ResolveClass; block: ScriptModule } {
  const cu = new CompilationUnit();
  const lin = moduleBuilder('__torch__.Linear', { cu })
    .parameter('weight', seeded([3, 3], 1))
    .parameter('bias', seeded([3], 2))
    .method('forward', LINEAR)
    .build();
  const block = moduleBuilder('__torch__.Block', { cu })
    .attribute('w', seeded([3], 3))
    .submodule('lin', lin)
    .method('forward', BLOCK_FORWARD)
    .method('act', BLOCK_ACT)
    .build();
  moduleBuilder('__torch__.Rec', { cu })
    .method(
      'forward',
      `graph(%self : __torch__.Rec, %x : Tensor):\n  %y : Tensor = prim::CallMethod[name="forward"](%self, %x)\n  return (%y)\n`,
    )
    .build();
  const double = parseIR(
    `graph(%x : Tensor):\n  %twice : int = prim::Constant[value=2]()\n  %r : Tensor = aten::mul(%x, %twice)\n  return (%r)\n`,
  );
  cu.registerFunction(
    new ScriptFunction({ name: 'double', qualifiedName: '__torch__.double', graph: double }),
  );
  const resolve: ResolveClass = (name, kind) => {
    const t = cu.getType(name);
    return kind === 'class' && t instanceof ClassType ? t : undefined;
  };
  return { cu, resolve, block };
}

// The .ir cases parse against the test classes, so they run here rather than through describeIRFile.
describe('inline-submodules.ir (FileCheck)', () => {
  const file = 'test/passes/inline-submodules.ir';
  const cases = splitIRCases(readFileSync(`${REPO_ROOT}${file}`, 'utf8'));
  it('has cases', () => expect(cases.length).to.be.greaterThan(5));
  for (const c of cases) {
    it(`${c.title} [line ${c.line}]`, () => {
      const graph = parseIR(c.ir, { file, resolveClass: testClasses().resolve });
      if (c.expectError) {
        const { code, words } = c.expectError;
        expect(() => runPipeline(testContainer(), graph, c.run ?? 'inline-submodules'))
          .to.throw(TsFreezeError, words.join(' '))
          .with.property('code', code);
        return;
      }
      runPipeline(testContainer(), graph, c.run ?? 'inline-submodules');
      const printed = graph.toString();
      try {
        fileCheck(printed, c.checks);
      } catch (e) {
        if (e instanceof FileCheckError)
          throw new FileCheckError(`${file}:${c.line}: ${e.message}\n--- output ---\n${printed}`);
        throw e;
      }
    });
  }
});

function kindCounts(graph: Graph): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of graph.allNodes()) counts[n.kind] = (counts[n.kind] ?? 0) + 1;
  return counts;
}

function fixture(name: string, file: string): string {
  return readFileSync(`${REPO_ROOT}test/fixtures/${name}/${file}`, 'utf8');
}

function fixtureTensor(name: string, file: string, shape: readonly number[]): Tensor {
  const bytes = readFileSync(`${REPO_ROOT}test/fixtures/${name}/${file}`);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return Tensor.fromArray('float32', [...data], shape);
}

// torch.jit.script(ControlFlow().eval()) of the control_flow fixture, with seeded weights.
function controlFlowModule(): ScriptModule {
  const cu = new CompilationUnit();
  const lin = moduleBuilder('__torch__.torch.nn.modules.linear.Linear', { cu })
    .parameter('weight', seeded([5, 5], 11))
    .parameter('bias', seeded([5], 12))
    .training(false)
    .attribute('_is_full_backward_hook', null, NoneType)
    .method('forward', LINEAR_FORWARD)
    .build();
  return moduleBuilder('__torch__.ControlFlow', { cu })
    .parameter('bias', seeded([5], 13))
    .training(false)
    .attribute('use_bias', true)
    .attribute('n_iter', 3)
    .attribute('max_steps', 4)
    .attribute('mode', 'double')
    .submodule('lin', lin)
    .method('forward', fixture('control_flow', 'graph.txt'))
    .build();
}

describe('inline-submodules', () => {
  it("gives PyTorch's inlined_graph.txt of the seed module MyModule(2, 3), names included", () => {
    const m = seedSimpleParam();
    const report = runPipeline(testContainer(), m, 'inline-submodules');
    expect(report.statistics['inline-submodules']['methods-inlined']).to.equal(1);
    expect(m.graph.toString()).to.equal(fixture('seed_simple_param', 'inlined_graph.txt'));
  });

  it("matches the node kinds and counts of control_flow's inlined_graph.txt (a call inside a loop body)", () => {
    const m = controlFlowModule();
    runPipeline(testContainer(), m, 'inline-submodules');
    expect(kindCounts(m.graph)).to.deep.equal(
      kindCounts(parseIR(fixture('control_flow', 'inlined_graph.txt'))),
    );
  });

  it("keeps the seed module's output, equal to PyTorch's output0.bin (rtol 1e-5, atol 1e-6)", () => {
    const input = fixtureTensor('seed_simple_param', 'input0.bin', [3, 2]);
    const expected = fixtureTensor('seed_simple_param', 'output0.bin', [2, 3]);
    const before = seedSimpleParam();
    const after = seedSimpleParam();
    runPipeline(testContainer(), after, 'inline-submodules');
    const tol = { rtol: 1e-5, atol: 1e-6 };
    expectClose(runFunction(before.getMethod('forward'), [before, input]), expected, tol);
    expectClose(runFunction(after.getMethod('forward'), [after, input]), expected, tol);
  });

  it('keeps the outputs of control_flow on seeded inputs (rtol 1e-6, atol 1e-6)', () => {
    const before = controlFlowModule();
    const after = controlFlowModule();
    runPipeline(testContainer(), after, 'inline-submodules');
    expect(after.graph.nodesOfKind('prim::CallMethod')).to.have.length(0);
    for (const seed of [0, 1, 2]) {
      const x = seeded([2, 5], seed);
      expectClose(
        runFunction(after.getMethod('forward'), [after, x]),
        runFunction(before.getMethod('forward'), [before, x]),
        { rtol: 1e-6, atol: 1e-6 },
      );
    }
  });

  it('leaves callee graphs untouched, inlines every method of a module, and a second run changes nothing', () => {
    const { block } = testClasses();
    const linForward = (block.getAttr('lin') as ScriptModule).getMethod('forward').graph.toString();
    const c = testContainer();
    const report = runPipeline(c, block, 'inline-submodules');
    expect(report.statistics['inline-submodules']['methods-inlined']).to.equal(2);
    expect(block.graph.nodesOfKind('prim::CallMethod')).to.have.length(0);
    expect((block.getAttr('lin') as ScriptModule).getMethod('forward').graph.toString()).to.equal(linForward);
    expect(runPipeline(c, block, 'inline-submodules').changed).to.equal(false);
  });

  it('after a run that left nothing to inline, inlines again once the graph changes (a call added)', () => {
    const { block } = testClasses();
    const c = testContainer();
    runPipeline(c, block, 'inline-submodules');
    expect(runPipeline(c, block, 'inline-submodules').changed).to.equal(false);
    const g = block.graph;
    const result = g.outputs[0];
    const call = g.create('prim::CallMethod', [g.inputs[0], result], [result.type]).setS('name', 'act');
    g.withInsertPoint(g.returnNode, () => g.insertNode(call));
    g.returnNode.replaceInput(0, call.output());
    const again = runPipeline(c, block, 'inline-submodules');
    expect(again.changed).to.equal(true);
    expect(again.statistics['inline-submodules']['methods-inlined']).to.equal(1);
    expect(g.nodesOfKind('prim::CallMethod')).to.have.length(0);
    expect(g.nodesOfKind('aten::relu')).to.have.length(2);
  });

  it('remarks again on every run while a call it cannot inline is left', () => {
    const path = `${REPO_ROOT}test/fixtures/freezing/test_freeze_recursive_interfaces/module.pt`;
    const off = loadModule(path);
    const c = testContainer();
    const first = runPipeline(c, off, 'inline-submodules{interfaces=false}');
    const second = runPipeline(c, off, 'inline-submodules{interfaces=false}');
    expect(second.remarks.map((r) => r.message)).to.deep.equal(first.remarks.map((r) => r.message));
    // Left alone by a run without interfaces: a run with them still inlines the call.
    expect(runPipeline(c, off, 'inline-submodules').changed).to.equal(true);
    expect(off.graph.nodesOfKind('prim::CallMethod')).to.have.length(0);
  });

  it('with preservedOnly, inlines only the methods freezing keeps (forward and the preserved ones)', () => {
    const build = (withForward: boolean): ScriptModule => {
      const cu = new CompilationUnit();
      const lin = moduleBuilder('__torch__.Linear', { cu })
        .parameter('weight', seeded([3, 3], 1))
        .parameter('bias', seeded([3], 2))
        .method('forward', LINEAR)
        .build();
      const call = (name: string): string =>
        `graph(%self : __torch__.Two, %x : Tensor):\n  %lin : __torch__.Linear = prim::GetAttr[name="lin"](%self)\n  %y : Tensor = prim::CallMethod[name="forward"](%lin, %x)\n  return (%y)\n`.replaceAll(
          '%y',
          `%${name}`,
        );
      const b = moduleBuilder('__torch__.Two', { cu }).submodule('lin', lin);
      if (withForward) b.method('forward', call('f'));
      return b.method('side', call('s')).build();
    };
    const calls = (m: ScriptModule, method: string): number =>
      m.getMethod(method).graph.nodesOfKind('prim::CallMethod').length;
    const only = build(true);
    runPipeline(testContainer(), only, 'inline-submodules{preservedOnly=true}');
    expect([calls(only, 'forward'), calls(only, 'side')]).to.deep.equal([0, 1]);
    const kept = build(true);
    runPipeline(testContainer(), kept, 'inline-submodules{preservedOnly=true,preserve=[side]}');
    expect([calls(kept, 'forward'), calls(kept, 'side')]).to.deep.equal([0, 0]);
    // Nothing preserved and no forward: freezing keeps every method, so every one is inlined.
    const bare = build(false);
    runPipeline(testContainer(), bare, 'inline-submodules{preservedOnly=true}');
    expect(calls(bare, 'side')).to.equal(0);
    const all = build(true);
    runPipeline(testContainer(), all, 'inline-submodules');
    expect([calls(all, 'forward'), calls(all, 'side')]).to.deep.equal([0, 0]);
  });

  it('gives inlined nodes the attribute path of the submodule they came from as inlinedFrom', () => {
    const module = loadModule(`${REPO_ROOT}test/fixtures/tv_resnet18_w8/module.pt`);
    runPipeline(testContainer(), module, 'inline-submodules');
    const scopes = (kind: string): (string | undefined)[] =>
      [...module.graph.allNodes()].filter((n) => n.kind === kind).map((n) => n.inlinedFrom);
    const convs = scopes('aten::conv2d');
    expect(convs).to.include.members(['conv1', 'layer1.0.conv1', 'layer4.1.conv2', 'layer2.0.downsample.0']);
    expect(convs).to.have.length(20);
    expect(scopes('aten::linear')).to.deep.equal(['fc']);
    // The method's own nodes (the residual adds of BasicBlock are its own, inlined one level down).
    expect(scopes('aten::flatten')).to.deep.equal([undefined]);
    expect(scopes('aten::add_').filter((s) => s && /^layer\d\.\d$/.test(s))).to.have.length(8);
  });

  it("inlines calls through interface-typed submodules on a module (recursively), as freezing's freezeInterfaces", () => {
    const path = `${REPO_ROOT}test/fixtures/freezing/test_freeze_recursive_interfaces/module.pt`;
    const before = loadModule(path);
    const after = loadModule(path);
    const report = runPipeline(testContainer(), after, 'inline-submodules');
    expect(report.statistics['inline-submodules']['interface-calls-inlined']).to.equal(2);
    expect(after.graph.nodesOfKind('prim::CallMethod')).to.have.length(0);
    expect(after.graph.nodesOfKind('prim::GetAttr').map((n) => n.output().type.kind)).to.deep.equal([
      'Class',
      'Class',
      'Tensor',
    ]);
    const x = seeded([2, 2], 5);
    expectClose(
      runFunction(after.getMethod('forward'), [after, x]),
      runFunction(before.getMethod('forward'), [before, x]),
      { rtol: 0, atol: 0 },
    );
    const off = loadModule(path);
    runPipeline(testContainer(), off, 'inline-submodules{interfaces=false}');
    expect(off.graph.nodesOfKind('prim::CallMethod')).to.have.length(1);
  });

  it('remarks on calls it cannot inline', () => {
    const g = parseIR(
      `graph(%m : InterfaceType<I>, %x : Tensor):\n  %y : Tensor = prim::CallMethod[name="forward"](%m, %x)\n  return (%y)\n`,
    );
    const report = runPipeline(testContainer(), g, 'inline-submodules');
    expect(report.changed).to.equal(false);
    expect(report.remarks[0].message).to.include('only known at run time');
  });
});
