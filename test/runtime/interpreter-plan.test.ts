// The interpreter's compiled plans: cached per graph and rebuilt when the graph changes, conv groups
// fused with a following residual add and activation (and left alone when something else reads the
// intermediate), and the memory plan: buffers of dead values are reused, but never one that escaped
// into a list, an attribute or the outputs, and loops carry tensors correctly.

import { expect } from 'chai';
import {
  CompilationUnit,
  KERNELS,
  Tensor,
  insertConstant,
  moduleBuilder,
  parseIR,
  runGraph,
  type Graph,
  type IValue,
} from '../../src/index.js';
import { buildPlan } from '../../src/runtime/plan.js';
import { clearBufferPool, pooledBytes } from '../../src/tensor/buffer-pool.js';
import { maxAbsDiff } from '../../src/tensor/allclose.js';
import { randn } from '../../src/tensor/random.js';

const k = (name: string, ...args: IValue[]): Tensor => KERNELS[name](args as never) as Tensor;

// The node kinds of each fused conv step of the graph's plan.
const fusedGroups = (g: Graph): string[][] =>
  buildPlan(g, null)
    .block.steps.filter((s) => s.conv)
    .map((s) => s.conv!.nodes.map((n) => n.kind));

// conv2d(x, w, b) followed by `tail` (IR lines reading %c, ending in %y), with the conv's arguments.
function convGraph(tail: string, extraInputs = ''): Graph {
  return parseIR(`graph(%x : Tensor, %w : Tensor, %b : Tensor${extraInputs}):
  %one : int = prim::Constant[value=1]()
  %s : int[] = prim::ListConstruct(%one, %one)
  %c : Tensor = aten::conv2d(%x, %w, %b, %s, %s, %s, %one)
${tail}
`);
}

describe('interpreter plans', () => {
  const x = randn([2, 3, 8, 8], { seed: 1 });
  const w = randn([4, 3, 3, 3], { seed: 2 });
  const b = randn([4], { seed: 3 });
  const r = randn([2, 4, 8, 8], { seed: 4 });
  const conv = (): Tensor => k('aten::conv2d', x, w, b, [1, 1], [1, 1], [1, 1], 1);

  it('runs conv + add_ + relu_ as one step with the same result as the kernels one by one', () => {
    const g = convGraph(
      `  %a : Tensor = aten::add_(%c, %r, %one)
  %y : Tensor = aten::relu_(%a)
  return (%y)`,
      ', %r : Tensor',
    );
    expect(fusedGroups(g)).to.deep.equal([['aten::conv2d', 'aten::add_', 'aten::relu_']]);
    const [y] = runGraph(g, [x, w, b, r]) as Tensor[];
    const want = k('aten::relu', k('aten::add.Tensor', conv(), r, 1));
    expect(maxAbsDiff(y, want)).to.be.lessThan(1e-6);
  });

  it('fuses every supported activation, in place or not', () => {
    for (const [op, args, ref] of [
      ['aten::hardswish_', '', 'aten::hardswish'],
      ['aten::hardsigmoid', '', 'aten::hardsigmoid'],
      ['aten::sigmoid_', '', 'aten::sigmoid'],
      ['aten::silu', '', 'aten::silu'],
      ['aten::relu6', '', 'aten::relu6'],
      ['aten::hardtanh_', ', %lo, %hi', 'aten::hardtanh'],
    ]) {
      const g = parseIR(`graph(%x : Tensor, %w : Tensor, %b : Tensor):
  %one : int = prim::Constant[value=1]()
  %lo : float = prim::Constant[value=-0.5]()
  %hi : float = prim::Constant[value=0.25]()
  %s : int[] = prim::ListConstruct(%one, %one)
  %c : Tensor = aten::conv2d(%x, %w, %b, %s, %s, %s, %one)
  %y : Tensor = ${op}(%c${args})
  return (%y)
`);
      const [y] = runGraph(g, [x, w, b]) as Tensor[];
      const want = ref === 'aten::hardtanh' ? k(ref, conv(), -0.5, 0.25) : k(ref, conv());
      expect(maxAbsDiff(y, want), op).to.be.lessThan(1e-6);
    }
  });

  it('fuses `out += conv(x)` into the second conv when `out` is a conv result nothing else reads', () => {
    const w2 = randn([4, 3, 3, 3], { seed: 6 });
    const tail = (extra: string): string => `  %d : Tensor = aten::conv2d(%x, %w2, %b, %s, %s, %s, %one)
  %a : Tensor = aten::add_(%c, %d, %one)
  %y : Tensor = aten::relu_(%a)
${extra}`;
    const conv2 = (): Tensor => k('aten::conv2d', x, w2, b, [1, 1], [1, 1], [1, 1], 1);
    const want = (): Tensor => k('aten::relu', k('aten::add.Tensor', conv(), conv2(), 1));
    const fused = convGraph(tail('  return (%y)'), ', %w2 : Tensor');
    expect(fusedGroups(fused)).to.deep.equal([
      ['aten::conv2d'],
      ['aten::conv2d', 'aten::add_', 'aten::relu_'],
    ]);
    const [y] = runGraph(fused, [x, w, b, w2]) as Tensor[];
    expect(maxAbsDiff(y, want())).to.be.lessThan(1e-6);
    // When `out` is read again the in-place update must be visible there: not fused, same values.
    const g = convGraph(
      tail('  %t : (Tensor, Tensor) = prim::TupleConstruct(%y, %c)\n  return (%t)'),
      ', %w2 : Tensor',
    );
    expect(fusedGroups(g)).to.deep.equal([['aten::conv2d'], ['aten::conv2d']]);
    const [t] = runGraph(g, [x, w, b, w2]) as { items: Tensor[] }[];
    expect(maxAbsDiff(t.items[0], want())).to.be.lessThan(1e-6);
    expect(maxAbsDiff(t.items[1], want())).to.be.lessThan(1e-6);
  });

  it('falls back to the single kernels when the residual broadcasts', () => {
    const small = randn([1, 4, 1, 8], { seed: 5 });
    const g = convGraph(
      `  %y : Tensor = aten::add(%c, %r, %one)
  return (%y)`,
      ', %r : Tensor',
    );
    const [y] = runGraph(g, [x, w, b, small]) as Tensor[];
    expect(maxAbsDiff(y, k('aten::add.Tensor', conv(), small, 1))).to.be.lessThan(1e-6);
  });

  it('does not fuse when the conv result is read elsewhere (the pre-activation value stays visible)', () => {
    const g = convGraph(`  %y : Tensor = aten::relu(%c)
  %t : (Tensor, Tensor) = prim::TupleConstruct(%c, %y)
  return (%t)`);
    expect(fusedGroups(g)).to.deep.equal([['aten::conv2d']]);
    const [t] = runGraph(g, [x, w, b]) as { items: Tensor[] }[];
    expect(maxAbsDiff(t.items[0], conv())).to.be.lessThan(1e-6);
    expect(maxAbsDiff(t.items[1], k('aten::relu', conv()))).to.be.lessThan(1e-6);
  });

  it('rebuilds the plan when the graph changes between runs', () => {
    const g = parseIR(`graph(%x : Tensor):
  %y : Tensor = aten::neg(%x)
  return (%y)
`);
    const t = Tensor.fromArray('float32', [1, 2], [2]);
    expect((runGraph(g, [t])[0] as Tensor).toArray()).to.deep.equal([-1, -2]);
    const neg = [...g.nodes()][0];
    const two = insertConstant(g, 2);
    two.node.moveBefore(neg);
    const mul = g.create('aten::mul', [g.inputs[0], two], [neg.output().type]);
    mul.insertAfter(neg);
    g.returnNode.replaceInput(0, mul.output());
    expect((runGraph(g, [t])[0] as Tensor).toArray()).to.deep.equal([2, 4]);
  });

  it('follows an in-place change of a constant weight between runs', () => {
    const g = convGraph(`  return (%c)`);
    const weight = w.clone();
    const constant = insertConstant(g, weight);
    constant.node.moveBefore([...g.nodes()][0]);
    g.inputs[1].replaceAllUsesWith(constant);
    const first = runGraph(g, [x, weight, b])[0] as Tensor;
    (weight.storage.data as Float32Array)[0] += 10;
    const second = runGraph(g, [x, weight, b])[0] as Tensor;
    expect(maxAbsDiff(second, k('aten::conv2d', x, weight, b, [1, 1], [1, 1], [1, 1], 1))).to.be.lessThan(
      1e-5,
    );
    expect(maxAbsDiff(first, second)).to.be.greaterThan(1);
  });
});

describe('interpreter memory plan', () => {
  const big = (seed: number): Tensor => randn([64, 64], { seed });

  it('returns dead intermediates to the pool and reuses them on the next run', () => {
    clearBufferPool();
    const g = parseIR(`graph(%x : Tensor):
  %one : int = prim::Constant[value=1]()
  %a : Tensor = aten::mul(%x, %x)
  %b : Tensor = aten::add(%a, %x, %one)
  %c : Tensor = aten::mul(%b, %a)
  %d : Tensor = aten::add(%c, %b, %one)
  return (%d)
`);
    const x = big(1);
    const want = k(
      'aten::add.Tensor',
      k(
        'aten::mul.Tensor',
        k('aten::add.Tensor', k('aten::mul.Tensor', x, x), x, 1),
        k('aten::mul.Tensor', x, x),
      ),
      k('aten::add.Tensor', k('aten::mul.Tensor', x, x), x, 1),
      1,
    );
    const first = runGraph(g, [x])[0] as Tensor;
    const pooled = pooledBytes();
    expect(pooled).to.be.greaterThan(0);
    const second = runGraph(g, [x])[0] as Tensor;
    expect(pooledBytes()).to.equal(pooled);
    expect(first.storage.data).to.not.equal(second.storage.data);
    expect(maxAbsDiff(first, want)).to.equal(0);
    expect(maxAbsDiff(second, want)).to.equal(0);
    expect((x.storage.data as Float32Array).length).to.equal(4096); // the caller's input is never recycled
  });

  it('never recycles a tensor that went into a list, an attribute or the outputs', () => {
    const m = moduleBuilder('__torch__.Keep', { cu: new CompilationUnit() })
      .training(false)
      .attribute('saved', Tensor.zeros('float32', [1]))
      .method(
        'forward',
        `graph(%self : __torch__.Keep, %x : Tensor):
  %one : int = prim::Constant[value=1]()
  %a : Tensor = aten::mul(%x, %x)
   = prim::SetAttr[name="saved"](%self, %a)
  %b : Tensor = aten::add(%x, %one, %one)
  %l : Tensor[] = prim::ListConstruct(%b)
  %c : Tensor = aten::add(%x, %x, %one)
  %d : Tensor = aten::mul(%c, %c)
  %e : Tensor = aten::mul(%d, %one)
  %f : Tensor = aten::mul(%e, %one)
  %t : (Tensor[], Tensor) = prim::TupleConstruct(%l, %f)
  return (%t)
`,
      )
      .build();
    const x = big(2);
    const out = m.forward(x) as unknown as { items: [Tensor[], Tensor] };
    // Allocate and free more buffers of the same size: none may land on the kept ones.
    m.forward(big(3));
    expect(maxAbsDiff(m.getAttr('saved') as Tensor, k('aten::mul.Tensor', big(3), big(3)))).to.equal(0);
    expect(maxAbsDiff(out.items[0][0], k('aten::add.Scalar', x, 1, 1))).to.equal(0);
    const c = k('aten::add.Tensor', x, x, 1);
    expect(maxAbsDiff(out.items[1], k('aten::mul.Tensor', c, c))).to.equal(0);
  });

  it('carries tensors through loops and branches', () => {
    const g = parseIR(`graph(%x : Tensor, %n : int, %flag : bool):
  %one : int = prim::Constant[value=1]()
  %true : bool = prim::Constant[value=1]()
  %two : int = prim::Constant[value=2]()
  %y : Tensor, %z : Tensor = prim::Loop(%n, %true, %x, %x)
    block0(%i : int, %acc : Tensor, %keep : Tensor):
      %t : Tensor = aten::mul(%acc, %two)
      %u : Tensor = aten::add(%t, %one, %one)
      -> (%true, %u, %keep)
  %w : Tensor = prim::If(%flag)
    block0():
      %p : Tensor = aten::neg(%y)
      -> (%p)
    block1():
      -> (%z)
  %out : Tensor = aten::add(%w, %z, %one)
  return (%out)
`);
    const x = big(4);
    let y = x;
    for (let i = 0; i < 5; i++) y = k('aten::add.Scalar', k('aten::mul.Scalar', y, 2), 1, 1);
    for (const flag of [true, false]) {
      const [out] = runGraph(g, [x, 5, flag]) as Tensor[];
      const want = flag ? k('aten::add.Tensor', k('aten::neg', y), x, 1) : k('aten::add.Tensor', x, x, 1);
      expect(maxAbsDiff(out, want), `flag ${flag}`).to.equal(0);
    }
  });
});
