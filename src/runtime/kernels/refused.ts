// Operators tsfreeze deliberately has no kernel for, each with the reason: what an inference runtime on
// the CPU never runs (gradients, other devices' implementations) or what tsfreeze does not model
// (quantized, sparse and nested tensors). docs/kernels.md lists them; a model that calls one gets the
// reason in its error instead of a bare "no kernel".

interface Refusal {
  readonly test: (key: string) => boolean;
  readonly reason: string;
}

const name = (key: string): string => key.split('.')[0];
const overload = (key: string): string => key.split('.').slice(1).join('.');

const REFUSALS: readonly Refusal[] = [
  {
    test: (k) => /backward|_grad(_|$|\.)|^aten::_?(thnn|slow)_conv.*_grad/.test(name(k)),
    reason: 'training only: computes gradients, which inference never needs',
  },
  {
    test: (k) => /(^|_)out$/.test(overload(k)),
    // Out overloads whose arguments match a functional overload with a kernel run it (out-variants.ts).
    reason:
      'writes into a caller-provided out= tensor and no functional overload with the same arguments has a kernel',
  },
  {
    test: (k) =>
      /cudnn|miopen|mkldnn|_cuda|cuda_|mps|vulkan|metal|xnnpack|_nnpack|fbgemm|onednn/.test(name(k)) &&
      k !== 'torchvision::_cuda_version',
    reason:
      'an implementation for one backend (cuDNN, MIOpen, oneDNN, FBGEMM, CUDA, Metal, ...); tsfreeze runs the portable CPU operator',
  },
  {
    test: (k) =>
      /quantiz|^aten::q_|^aten::int_repr|_per_channel|_per_tensor|^quantized::|fake_quant|dequantize/.test(
        name(k),
      ),
    reason: 'quantized tensors are not modelled by tsfreeze',
  },
  {
    test: (k) => /sparse|_coo|_csr|_csc|_bsr|_bsc|coalesce|_indices$|_values$|_nnz/.test(name(k)),
    reason: 'sparse tensors are not modelled by tsfreeze',
  },
  {
    test: (k) => /nested/.test(name(k)),
    reason:
      "nested tensors are not modelled by tsfreeze beyond nn.TransformerEncoder's fast path (_nested_tensor_from_mask, to_padded_tensor)",
  },
];

/** Why an overload (`aten::conv2d_backward`, `aten::add.out`) has no kernel on purpose, or undefined. */
export function refusalOf(key: string): string | undefined {
  return REFUSALS.find((r) => r.test(key))?.reason;
}
