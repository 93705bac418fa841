// const-prop-prim: the prim ops constant-propagation evaluates without a one-node graph give what the
// interpreter gives for that graph, and every case it is not sure of is left to the interpreter.

import 'reflect-metadata';
import { expect } from 'chai';
import {
  cloneNode,
  createConstant,
  Graph,
  parseIR,
  runGraph,
  runPipeline,
  Tensor,
  tensorTypeOf,
  zeros,
  type IValue,
  type Node,
  type Value,
} from '../../src/index.js';
import { evaluatePrimDirectly } from '../../passes/const-prop-prim.js';
import { testContainer } from './numeric.js';

// What constant-propagation ran before: `n` alone in a graph with copies of its constant inputs.
function viaInterpreter(n: Node): IValue[] {
  const g = new Graph();
  const map = new Map<Value, Value>();
  for (const v of n.inputs) map.set(v, g.insertNode(cloneNode(g, v.node, new Map())).output());
  for (const o of g.insertNode(cloneNode(g, n, map)).outputs) g.registerOutput(o);
  return runGraph(g, []);
}

const LISTS = `graph():
  %2 : int = prim::Constant[value=2]()
  %none : NoneType = prim::Constant()
  %f : float = prim::Constant[value=1.5]()
  %l : int[] = prim::Constant[value=[4, 5, 6]]()
  %opt : int?[] = prim::ListConstruct(%2, %none)
  %nested : int[][] = prim::ListConstruct(%l, %l)
  %fs : float[] = prim::ListConstruct(%f)
  %empty : int[] = prim::ListConstruct()
  %a : int, %b : int, %c : int = prim::ListUnpack(%l)
  %x : int, %y : int = prim::ListUnpack(%l)
  %n : bool = prim::requires_grad(%l)
  return (%opt, %nested, %fs, %empty, %a, %b, %c, %x, %y, %n)
`;

describe('const-prop-prim', () => {
  it('gives what the interpreter gives for ListConstruct, ListUnpack and requires_grad', () => {
    const g = parseIR(LISTS);
    const tensor = zeros([2, 3]);
    const t = g.withInsertPoint(g.block.returnNode, () => {
      const c = g.insertNode(createConstant(g, tensor, tensorTypeOf(tensor)));
      return g.insertNode(g.create('prim::requires_grad', [c.output()], [g.outputs[9].type])).output();
    });
    let direct = 0;
    for (const n of g.nodes()) {
      if (n.kind === 'prim::Constant') continue;
      const fast = evaluatePrimDirectly(n);
      if (!fast) continue;
      direct++;
      expect(fast, n.kind).to.deep.equal(viaInterpreter(n));
    }
    // every node but the 2-way unpack of a 3-item list and requires_grad of a non-tensor
    expect(direct).to.equal(6);
    expect(evaluatePrimDirectly(t.node)).to.deep.equal([false]);
  });

  it('leaves unsure cases to the interpreter, whose error constant-propagation remarks', () => {
    const g = parseIR(LISTS);
    const kinds = [...g.nodes()].filter((n) => n.kind !== 'prim::Constant' && !evaluatePrimDirectly(n));
    expect(kinds.map((n) => `${n.kind}:${n.outputs.length}`)).to.deep.equal([
      'prim::ListUnpack:2',
      'prim::requires_grad:1',
    ]);
    expect(kinds[1].inputs[0].node.kind).to.equal('prim::Constant');
    const other = new Graph();
    expect(evaluatePrimDirectly(other.create('prim::TupleConstruct', [], [g.outputs[0].type]))).to.equal(
      undefined,
    );
    // The 2-way unpack of a 3-item list, once ListConstruct is a constant: the interpreter's error.
    const bad = parseIR(`graph():
  %1 : int = prim::Constant[value=1]()
  %l : int[] = prim::ListConstruct(%1, %1, %1)
  %a : int, %b : int = prim::ListUnpack(%l)
  return (%a, %b)
`);
    const report = runPipeline(testContainer(), bad, 'constant-propagation');
    expect(bad.nodesOfKind('prim::ListConstruct')).to.have.length(0);
    expect(bad.nodesOfKind('prim::ListUnpack')).to.have.length(1);
    expect(report.remarks.map((r) => r.message)).to.deep.equal([
      'not folded: evaluating it failed: expected 2 values to unpack',
    ]);
  });

  it('folds a tensor made from constants, then its requires_grad, in one run', () => {
    const g = parseIR(`graph():
  %2 : int = prim::Constant[value=2]()
  %none : NoneType = prim::Constant()
  %size : int[] = prim::ListConstruct(%2, %2)
  %t : Tensor = aten::zeros(%size, %none, %none, %none, %none)
  %rg : bool = prim::requires_grad(%t)
  %a : int, %b : int = prim::ListUnpack(%size)
  return (%rg, %a, %b, %t)
`);
    runPipeline(testContainer(), g, 'constant-propagation,dead-code-elimination');
    const outs = g.outputs.map((v) => v.node.kind);
    expect(outs).to.deep.equal(['prim::Constant', 'prim::Constant', 'prim::Constant', 'prim::Constant']);
    expect(runGraph(g, []).slice(0, 3)).to.deep.equal([false, 2, 2]);
    expect(runGraph(g, [])[3]).to.be.instanceOf(Tensor);
  });
});
