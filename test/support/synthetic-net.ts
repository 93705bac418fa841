// A generated residual network for big-graph tests and benchmarks: `stages` stages of `blocks` blocks,
// each block conv1x1 -> batch_norm -> relu -> + x, as submodules (so inlining gives module scopes).
// About 14 inlined nodes per block (inlining pools constants per callee): 10 stages x 75 blocks (the
// default) is a graph of over 10k nodes.

import { CompilationUnit, moduleBuilder, Tensor, type ScriptModule } from '../../src/index.js';

const C = 4;

const BLOCK_FORWARD = (name: string): string => `graph(%self : ${name}, %x : Tensor):
  %false : bool = prim::Constant[value=0]()
  %true : bool = prim::Constant[value=1]()
  %one : int = prim::Constant[value=1]()
  %zero : int = prim::Constant[value=0]()
  %momentum : float = prim::Constant[value=0.1]()
  %eps : float = prim::Constant[value=1.0000000000000001e-05]()
  %w : Tensor = prim::GetAttr[name="conv_weight"](%self)
  %b : Tensor = prim::GetAttr[name="conv_bias"](%self)
  %stride : int[] = prim::ListConstruct(%one, %one)
  %padding : int[] = prim::ListConstruct(%zero, %zero)
  %dilation : int[] = prim::ListConstruct(%one, %one)
  %c : Tensor = aten::conv2d(%x, %w, %b, %stride, %padding, %dilation, %one)
  %gamma : Tensor = prim::GetAttr[name="bn_weight"](%self)
  %beta : Tensor = prim::GetAttr[name="bn_bias"](%self)
  %mean : Tensor = prim::GetAttr[name="running_mean"](%self)
  %var : Tensor = prim::GetAttr[name="running_var"](%self)
  %n : Tensor = aten::batch_norm(%c, %gamma, %beta, %mean, %var, %false, %momentum, %eps, %true)
  %r : Tensor = aten::relu(%n)
  %y : Tensor = aten::add(%r, %x, %one)
  return (%y)
`;

function values(n: number, seed: number, scale = 0.3, offset = 0): Tensor {
  const data = Array.from({ length: n }, (_, i) => offset + scale * Math.sin(seed * 7.1 + i * 1.3));
  return Tensor.fromArray('float32', data, [n]);
}

function sequential(name: string, cu: CompilationUnit, children: readonly ScriptModule[]): ScriptModule {
  const b = moduleBuilder(name, { cu }).training(false);
  const lines = [`graph(%self : ${name}, %x : Tensor):`];
  let x = '%x';
  children.forEach((child, i) => {
    b.submodule(`m${i}`, child);
    lines.push(`  %s${i} : ${child.type.qualifiedName} = prim::GetAttr[name="m${i}"](%self)`);
    lines.push(`  %y${i} : Tensor = prim::CallMethod[name="forward"](%s${i}, ${x})`);
    x = `%y${i}`;
  });
  lines.push(`  return (${x})`);
  return b.method('forward', `${lines.join('\n')}\n`).build();
}

/** The network; its forward takes a float32 [1, 4, H, W] input. */
export function syntheticNet(stages = 10, blocks = 75): ScriptModule {
  const cu = new CompilationUnit();
  const stageModules: ScriptModule[] = [];
  for (let s = 0; s < stages; s++) {
    const blockModules: ScriptModule[] = [];
    for (let k = 0; k < blocks; k++) {
      const seed = s * blocks + k + 1;
      const conv = values(C * C, seed).reshape([C, C, 1, 1]);
      const name = '__torch__.Block';
      const block = moduleBuilder(name, { cu })
        .training(false)
        .parameter('conv_weight', conv)
        .parameter('conv_bias', values(C, seed + 0.5, 0.1))
        .parameter('bn_weight', values(C, seed + 0.25, 0.2, 1))
        .parameter('bn_bias', values(C, seed + 0.75, 0.1))
        .buffer('running_mean', values(C, seed + 0.1, 0.05))
        .buffer('running_var', values(C, seed + 0.2, 0.1, 1))
        .method('forward', BLOCK_FORWARD(name))
        .build();
      blockModules.push(block);
    }
    stageModules.push(sequential('__torch__.Stage', cu, blockModules));
  }
  return sequential('__torch__.Net', cu, stageModules);
}
