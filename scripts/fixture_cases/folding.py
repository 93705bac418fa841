"""Fixture cases for the frozen conv folds' arithmetic (fold-conv-add-sub, fold-conv-mul-div).

Registered into scripts/generate_fixtures.py's registry like aliasing.py. The tests freeze module.pt with
tsfreeze and compare every folded weight and bias with PyTorch's frozen.pt bit for bit.
"""

import torch
import torch.nn as nn

from fixture_generator import Spec, case, fwd, randn


class ConvIntOperands(nn.Module):
    """Convs followed by * / + - with integer (1, C, 1, 1) buffers holding values float32 cannot
    represent (2**24 + 1, 2**24 + 3, 3 * 2**24 + 1): ATen casts the operand to the float32 compute
    dtype before the arithmetic, so W * 16777217 is W * 16777216. 12 channels: the graphs print no
    values of the folded biases (tensors of up to 10 elements are printed inline)."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(3, 12, 3, padding=1) for _ in range(4)])
        with torch.no_grad():
            for c in self.convs:
                c.bias.mul_(10)
        self.register_buffer("mul_i64", torch.full((1, 12, 1, 1), 2 ** 24 + 1, dtype=torch.int64))
        self.register_buffer("div_i64", torch.full((1, 12, 1, 1), 3 * 2 ** 24 + 1, dtype=torch.int64))
        self.register_buffer("add_i64", torch.full((1, 12, 1, 1), 2 ** 24 + 3, dtype=torch.int64))
        self.register_buffer("sub_i32", torch.full((1, 12, 1, 1), 2 ** 24 + 3, dtype=torch.int32))

    def forward(self, x):
        c = self.convs
        return (c[0](x) * self.mul_i64, c[1](x) / self.div_i64, c[2](x) + self.add_i64,
                c[3](x) - self.sub_i32)


@case("conv_int_operands")
def _():
    return Spec(ConvIntOperands(), [fwd(randn(1, 3, 5, 5))],
                "conv -> mul/div/add/sub by int64/int32 (1,C,1,1) buffers whose values float32 cannot "
                "hold: the folded weights and biases use the operand cast to float32, as ATen does.",
                ["conv-add/sub/mul/div folding", "integer operands", "dtype promotion"],
                checks=lambda ctx: {k: ctx.count(k) for k in
                                    ("aten::add", "aten::sub", "aten::mul", "aten::div", "aten::conv2d")})
