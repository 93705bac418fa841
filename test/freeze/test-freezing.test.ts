// PyTorch 1.13's test/jit/test_freezing.py (TestFreezing and the CPU, non-MKLDNN tests of
// TestFrozenOptimizations) ported to mocha. Each test loads the .pt the generator saved from the
// PyTorch test's module, freezes it with tsfreeze and asserts what the PyTorch test asserts; the
// expectations were measured on torch 1.13.1 (scripts/make-freezing-cases.py). docs/freeze-tests.md
// lists all tests of the upstream classes with their status here.

import { expect } from 'chai';
import { getPassManager, Tensor, Tuple, type ScriptModule } from '../../src/index.js';
import { createFreezeContainer, freeze } from '../../passes/index.js';
import { fileCheck } from '../support/filecheck.js';
import { decode, readCase, type FreezingCase, type Variant } from './freezing-cases.js';
import {
  catchError,
  chainText,
  expectPyTorchError,
  freezeOptions,
  loadVariant,
  nodeCounts,
  runVariant,
  valueDiff,
} from './freezing-runner.js';

/** Ported tests, in the order of the PyTorch file. */
const TEST_FREEZING = [
  'test_freeze_module',
  'test_freeze_module_with_submodule',
  'test_freeze_module_with_fork',
  'test_freeze_module_with_nested_fork',
  'test_freeze_module_with_fork2',
  'test_freeze_module_with_fork_calling_module_method',
  'test_freeze_module_with_sharedclasstype',
  'test_freeze_module_with_nestedaliasing',
  'test_freeze_module_with_nestedaliasingscalar',
  'test_freeze_module_with_preserve_sub_module',
  'test_freeze_module_with_preserve_sub_module_and_mutation',
  'test_freeze_module_with_helperfunction',
  'test_freeze_module_with_inplace_mutable',
  'test_freeze_module_with_mutable_list',
  'test_freeze_module_with_mutable_dict',
  'test_freeze_module_with_mutable_tensor',
  'test_freeze_module_with_tuple',
  'test_freeze_module_with_tensor',
  'test_freeze_module_with_list',
  'test_freeze_module_with_aliased_tensor_attr',
  'test_freeze_module_with_aliased_tensor_attr2',
  'test_freeze_module_with_aliased_tensor_attr3',
  'test_freeze_module_with_aliased_tensor_attr4',
  'test_freeze_module_with_overlapping_attrs',
  'test_freeze_module_with_aliased_attr',
  'test_freeze_module_with_aliased_attr2',
  'test_freeze_module_with_aliased_attr3',
  'test_freeze_module_return_self',
  'test_freeze_module_inlining',
  'test_freeze_module_return_sub_module',
  'test_freeze_module_no_forward',
  'test_freeze_no_forward',
  'test_freeze_module_in_training_mode',
  'test_freeze_module_detach_gradient',
  'test_freeze_module_with_user_preserved_attr',
  'test_freeze_module_with_user_preserved_method',
  'test_freeze_module_with_user_preserved_method2',
  'test_freeze_module_with_user_preserved_attribute_on_submodule',
  'test_freeze_module_with_user_preserved_attribute_on_unused_submodule',
  'test_freeze_module_with_user_preserved_method_on_submodule',
  'test_module_getattr_indirection',
  'test_freeze_module_with_non_static_module_container_index',
  'test_freeze_recursive_interfaces',
  'test_freeze_recursive_interfaces_same_name',
  'test_freeze_non_interface_module_swap',
  'test_freeze_non_module_class_getattr',
  'test_freeze_module_with_tupleoutput_submodule',
  'test_freeze_module_with_call_method',
];

const TEST_FROZEN_OPTIMIZATIONS = [
  'test_conv_bn_folding',
  'test_conv_bn_folding_not_forward',
  'test_conv_add_folding',
  'test_conv_mul_add_bn',
  'test_optimize_freeze_module',
  'test_freeze_remove_dropout',
  'test_freeze_remove_feature_dropout',
  'test_linear_transpose',
  'test_linear_non_constant_weight',
  'test_remove_detach',
  'test_remove_detach_not_applied',
];

/**
 * Ported tests that fail because of a gap in tsfreeze, each with its reason (the same words as in
 * docs/freeze-tests.md). They run as pending until the gap is closed.
 */
export const KNOWN_FAILING: Readonly<Record<string, string>> = {};

/** Tests whose frozen node counts differ from PyTorch's (or cannot be had), with the reason. */
export const KNOWN_COUNT_DIFFERENCES: Readonly<Record<string, string>> = {};

/** Extra assertions of tests whose PyTorch version checks more than the generic runner does. */
const EXTRA: Record<string, (c: FreezingCase) => void> = {
  test_freeze_module_with_helperfunction(c) {
    const { frozen } = runVariant(c.test, c.variants[0]);
    // PyTorch: mf._forward(x) raises "... does not have a field with name '_forward'".
    const err = catchError(() => frozen?.call('_forward', Tensor.zeros('float32', [2, 2])));
    expectPyTorchError(err, '_forward');
  },
  test_freeze_module_in_training_mode(c) {
    const [train, evalMode] = c.variants;
    // torch._C._freeze_module accepts training mode; torch.jit.freeze (and tsfreeze's freeze) refuse it.
    const err = catchError(() => freeze(loadVariant(c.test, train), freezeOptions(train)));
    expectPyTorchError(err, 'Freezing is currently only implemented for modules in eval mode');
    expect(train.jit_freeze_error?.message).to.include(
      'Freezing is currently only implemented for modules in eval mode',
    );
    runVariant(c.test, evalMode);
  },
  test_freeze_module_inlining(c) {
    const { frozen } = runVariant(c.test, c.variants[0]);
    // PyTorch checks the object constant does not own its compilation unit; the observable part is
    // that the object became a constant of its class type.
    const objects = frozen
      ? [...frozen.graph.allNodes()].filter(
          (n) => n.kind === 'prim::Constant' && n.outputs[0].type.str() === '__torch__.Obj',
        )
      : [];
    expect(objects).to.have.length(1);
  },
  test_optimize_freeze_module(c) {
    const [noNumerics, byDefault] = c.variants;
    const { frozen } = runVariant(c.test, noNumerics);
    const after = noNumerics.after_run_frozen_optimizations;
    if (!frozen || !after) throw new Error('test_optimize_freeze_module: incomplete case');
    // torch.jit.run_frozen_optimizations: dropout removal and the conv folding fixpoint.
    getPassManager(createFreezeContainer()).run(
      frozen,
      'remove-dropout,fixpoint(fold-conv-bn,fold-conv-add-sub,fold-conv-mul-div,dead-code-elimination)',
    );
    fileCheck(frozen.getMethod(after.method).graph.toString(), chainText(after.chain));
    runVariant(c.test, byDefault);
  },
  test_freeze_module_with_non_static_module_container_index(c) {
    const x = (): Tensor => Tensor.fromArray('float32', [1, 2, 4, 3], [2, 2]);
    // torch 1.13.1 on the unfrozen modules: ImplementsInterface returns torch.max(x, 0).
    const want = new Tuple([
      Tensor.fromArray('float32', [4, 3], [2]),
      Tensor.fromArray('int64', [1n, 1n], [2]),
    ]);
    for (const v of c.variants) {
      const { original } = runVariant(c.test, v);
      // PyTorch's loader turns the annotated `d[key]` / `l[idx]` into prim::ModuleContainerIndex.
      fileCheck(
        original.getMethod('forward').graph.toString(),
        'CHECK: : InterfaceType<ModuleInterface> = prim::ModuleContainerIndex(',
      );
      const err = catchError(() => freeze(original, freezeOptions(v)));
      expect((err as Error).cause, String(err)).to.have.property('code', 'MODULE_CONTAINER_INDEX');
      const out = original.call('forward', x(), v.name === 'dict' ? 'module' : 0);
      expect(valueDiff(out, want, 0, 0)).to.equal(null);
    }
  },
  test_linear_transpose: (c) => runLinearPassCase(c),
  test_linear_non_constant_weight: (c) => runLinearPassCase(c),
};

// The test runs one more pass on the frozen graph, counts aten::linear after it and calls the module
// (PyTorch's check_linear_optimizations_2). The pass first runs on the unfrozen graph, where the weight
// is not a constant yet and nothing changes.
function runLinearPassCase(c: FreezingCase): void {
  const v = c.variants[0];
  const { original, frozen } = runVariant(c.test, v);
  const after = v.after_pass;
  if (!frozen || !after) throw new Error(`${c.test}: incomplete case`);
  const pass = after.pass.replace(/_/g, '-');
  getPassManager(createFreezeContainer()).run(original, pass);
  expect(nodeCounts(original.getMethod(after.method).graph).get('aten::linear'), 'unfrozen').to.equal(1);
  getPassManager(createFreezeContainer()).run(frozen, pass);
  const counts = nodeCounts(frozen.getMethod(after.method).graph);
  for (const [kind, n] of Object.entries(after.counts)) expect(counts.get(kind) ?? 0, kind).to.equal(n);
  for (const s of v.steps) {
    if (s.op !== 'call' || s.on !== 'frozen') continue;
    const out = frozen.call(s.method, ...s.inputs.map(decode));
    expect(valueDiff(out, decode(s.output), 1e-7, 1e-7), `${s.method}() after ${pass}`).to.equal(null);
  }
}

function runCase(test: string): void {
  const c = readCase(test);
  const extra = EXTRA[test];
  if (extra) extra(c);
  else for (const v of c.variants) runVariant(test, v);
}

function declare(tests: readonly string[]): void {
  for (const test of tests) {
    if (KNOWN_FAILING[test]) it.skip(`${test} (failing: ${KNOWN_FAILING[test]})`);
    else it(test, () => runCase(test));
  }
}

describe('PyTorch test_freezing.py (1.13) ported', function () {
  this.timeout(120_000);
  describe('TestFreezing', () => declare(TEST_FREEZING));
  describe('TestFrozenOptimizations', () => declare(TEST_FROZEN_OPTIMIZATIONS));
});

// Beyond what each PyTorch test asserts: the frozen graphs have PyTorch's counts of the node kinds that
// show what freezing did (attribute access, calls, the folded layers).
const ERROR_ONLY = [
  'test_freeze_module_with_aliased_tensor_attr2',
  'test_freeze_module_with_aliased_tensor_attr4',
  'test_freeze_module_with_overlapping_attrs',
  'test_freeze_module_return_self',
  'test_freeze_module_with_non_static_module_container_index',
];
const FREEZE_KINDS = ['prim::GetAttr', 'prim::SetAttr', 'prim::CallMethod', 'prim::CallFunction'];
const LAYER_KINDS = [
  'aten::batch_norm',
  'aten::conv1d',
  'aten::conv2d',
  'aten::conv3d',
  'aten::_convolution',
  'aten::linear',
];
const DROPOUT_KINDS = ['aten::dropout', 'aten::feature_dropout'];

function compareCounts(test: string, v: Variant): void {
  // Error cases have no frozen graph; the training-mode module is one tsfreeze refuses to freeze.
  if (v.error || v.jit_freeze_error) return;
  const frozen: ScriptModule = freeze(loadVariant(test, v), freezeOptions(v));
  // torch._C._freeze_module runs no dropout removal; tsfreeze's freeze always does.
  const kinds = [
    ...FREEZE_KINDS,
    ...LAYER_KINDS,
    ...(v.freeze.api === 'torch.jit.freeze' ? DROPOUT_KINDS : []),
  ];
  for (const [method, expected] of Object.entries(v.node_counts)) {
    const ours = nodeCounts(frozen.getMethod(method).graph);
    for (const kind of kinds) {
      expect(ours.get(kind) ?? 0, `${v.name}: ${method}: ${kind}`).to.equal(expected[kind] ?? 0);
    }
  }
}

describe('PyTorch test_freezing.py (1.13): frozen node counts match torch 1.13.1', function () {
  this.timeout(120_000);
  for (const test of [...TEST_FREEZING, ...TEST_FROZEN_OPTIMIZATIONS]) {
    // Tests whose every module must fail to freeze have no frozen graph to count.
    if (ERROR_ONLY.includes(test)) continue;
    const reason = KNOWN_COUNT_DIFFERENCES[test];
    if (reason) it.skip(`${test} node counts (failing: ${reason})`);
    else it(`${test} node counts`, () => readCase(test).variants.forEach((v) => compareCounts(test, v)));
  }
});
