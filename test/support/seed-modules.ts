// The two modules of torch.jit.freeze's documentation (the task's seed), built with the module builder
// exactly as PyTorch 1.13 scripted them: fixtures seed_simple_param and seed_preserved_attrs.
// Weights are the float32 values stored in each fixture's module.pt; forward graphs are graph.txt.

import { BoolType, IntType, NoneType, OptionalType } from '../../src/ir/types.js';
import { moduleBuilder } from '../../src/module/builder.js';
import { CompilationUnit } from '../../src/module/compilation-unit.js';
import type { ScriptModule } from '../../src/module/script-module.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** Fixture folders (under test/fixtures/) the two seed modules come from. */
export const SEED_FIXTURES = {
  simpleParam: 'seed_simple_param',
  preservedAttrs: 'seed_preserved_attrs',
} as const;

/** `str(scripted.graph)` of MyModule(2, 3), from seed_simple_param/graph.txt. */
export const SIMPLE_PARAM_FORWARD = `graph(%self : __torch__.MyModule,
      %input.1 : Tensor):
  %weight : Tensor = prim::GetAttr[name="weight"](%self)
  %output.1 : Tensor = aten::mm(%weight, %input.1) # generate.py:267:17
  %linear : __torch__.torch.nn.modules.linear.Linear = prim::GetAttr[name="linear"](%self)
  %output.5 : Tensor = prim::CallMethod[name="forward"](%linear, %output.1) # generate.py:268:17
  return (%output.5)
`;

/** nn.Linear's scripted forward as PyTorch 1.13 prints it (source path relative, as in the fixtures). */
export const LINEAR_FORWARD = `graph(%self : __torch__.torch.nn.modules.linear.Linear,
      %input.1 : Tensor):
  %weight : Tensor = prim::GetAttr[name="weight"](%self)
  %bias : Tensor = prim::GetAttr[name="bias"](%self)
  %5 : Tensor = aten::linear(%input.1, %weight, %bias) # torch/nn/modules/linear.py:114:15
  return (%5)
`;

/** `str(scripted.graph)` of MyModule2(), from seed_preserved_attrs/graph.txt. */
export const PRESERVED_ATTRS_FORWARD = `graph(%self : __torch__.MyModule2,
      %input.1 : Tensor):
  %3 : int = prim::Constant[value=1]() # generate.py:280:32
  %modified_tensor.1 : Tensor = prim::GetAttr[name="modified_tensor"](%self)
  %5 : Tensor = aten::add_(%modified_tensor.1, %3, %3) # generate.py:280:8
   = prim::SetAttr[name="modified_tensor"](%self, %5)
  %modified_tensor : Tensor = prim::GetAttr[name="modified_tensor"](%self)
  %9 : Tensor = aten::add(%input.1, %modified_tensor, %3) # generate.py:281:15
  return (%9)
`;

// Parameters are nn.Parameters: requires_grad=True, as torch.jit.load gives them back.
function parameter(values: readonly number[], shape: readonly number[]): Tensor {
  const t = Tensor.fromArray('float32', values, shape);
  t.requiresGrad = true;
  return t;
}

/**
 * `torch.jit.script(MyModule(2, 3).eval())` of the first docs example:
 *   weight: Parameter [2, 3]; linear: nn.Linear(2, 3) (weight [3, 2], bias [3]);
 *   forward(input) = linear(weight.mm(input)); input [3, 2] -> output [2, 3].
 * Type names, attribute order and values match the fixture's module.pt. Each call builds fresh
 * objects in a fresh compilation unit, so a clone is `__torch__.___torch_mangle_0.MyModule` as in PyTorch.
 */
export function seedSimpleParam(): ScriptModule {
  const cu = new CompilationUnit();
  const linear = moduleBuilder('__torch__.torch.nn.modules.linear.Linear', { cu })
    .parameter(
      'weight',
      parameter(
        [
          -0.014010033570230007, 0.5606575012207031, -0.06275151669979095, 0.1871093362569809,
          -0.2136969119310379, -0.13899271190166473,
        ],
        [3, 2],
      ),
    )
    .parameter('bias', parameter([-0.6755334138870239, -0.4683041572570801, -0.2914857566356659], [3]))
    .training(false)
    .attribute('_is_full_backward_hook', null, NoneType)
    .constant('out_features', 3)
    .constant('in_features', 2)
    .method('forward', LINEAR_FORWARD)
    .build();
  return moduleBuilder('__torch__.MyModule', { cu })
    .parameter(
      'weight',
      parameter(
        [
          0.49625658988952637, 0.7682217955589294, 0.08847743272781372, 0.13203048706054688,
          0.30742281675338745, 0.6340786814689636,
        ],
        [2, 3],
      ),
    )
    .training(false)
    .attribute('_is_full_backward_hook', null, new OptionalType(BoolType))
    .submodule('linear', linear)
    .method('forward', SIMPLE_PARAM_FORWARD)
    .build();
}

/**
 * `torch.jit.script(MyModule2().eval())` of the second docs example:
 *   modified_tensor = tensor(10.) (float32, 0-dim), version = 1;
 *   forward(input): modified_tensor += 1; return input + modified_tensor.
 */
export function seedPreservedAttrs(): ScriptModule {
  return moduleBuilder('__torch__.MyModule2', { cu: new CompilationUnit() })
    .training(false)
    .attribute('_is_full_backward_hook', null, new OptionalType(BoolType))
    .attribute('modified_tensor', Tensor.fromArray('float32', [10], []))
    .attribute('version', 1, IntType)
    .method('forward', PRESERVED_ATTRS_FORWARD)
    .build();
}
