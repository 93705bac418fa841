"""Fixture cases for freeze's consume mode (freeze(module, { consume: true }), the CLI's default): the
numerics folds may write a folded weight into the weight's own memory only when nothing else holds that
memory. These modules hold weights that are shared: the tests check the consume freeze equals the cloning
one (graphs, saved bytes, PyTorch's frozen outputs) and that the shared weights are left as they were.
"""

import torch
import torch.nn as nn

from fixture_generator import Spec, case, fwd, randn


def randomized(bn):
    """A BatchNorm whose statistics and affine parameters are not the identity (folding changes numbers)."""
    with torch.no_grad():
        bn.running_mean.uniform_(-0.5, 0.5)
        bn.running_var.uniform_(0.5, 2.0)
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-0.5, 0.5)
    return bn


class SharedConvWeight(nn.Module):
    """conv_a and conv_b hold one Parameter (tied weights), each followed by its own BatchNorm; conv_c has
    a weight of its own (folded in place by a consume freeze) followed by a BatchNorm and a mul."""

    def __init__(self):
        super().__init__()
        self.conv_a = nn.Conv2d(3, 8, 3, padding=1)
        self.conv_b = nn.Conv2d(3, 8, 3, padding=1)
        self.conv_b.weight = self.conv_a.weight
        self.conv_c = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn_a = randomized(nn.BatchNorm2d(8))
        self.bn_b = randomized(nn.BatchNorm2d(8))
        self.bn_c = randomized(nn.BatchNorm2d(8))
        self.register_buffer("scale", torch.rand(1, 8, 1, 1) + 0.5)

    def forward(self, x):
        return self.bn_a(self.conv_a(x)), self.bn_b(self.conv_b(x)), self.bn_c(self.conv_c(x)) * self.scale


@case("consume_shared_weight")
def _():
    return Spec(SharedConvWeight(), [fwd(randn(1, 3, 6, 6))],
                "two convs sharing one weight Parameter, each followed by a BatchNorm, and a conv -> bn -> "
                "mul with a weight of its own: a consume freeze must copy the shared weight when folding.",
                ["conv-bn folding", "conv-mul folding", "shared parameters", "consume freeze"])


class ViewConvWeights(nn.Module):
    """conv_a's and conv_b's weights are views of one storage (its first and second half), each conv
    followed by a BatchNorm: neither covers its whole storage, so a consume freeze copies both."""

    def __init__(self):
        super().__init__()
        base = torch.randn(2, 8, 3, 3, 3)
        self.conv_a = nn.Conv2d(3, 8, 3, padding=1)
        self.conv_b = nn.Conv2d(3, 8, 3, padding=1)
        self.conv_a.weight = nn.Parameter(base[0])
        self.conv_b.weight = nn.Parameter(base[1])
        self.bn_a = randomized(nn.BatchNorm2d(8))
        self.bn_b = randomized(nn.BatchNorm2d(8))

    def forward(self, x):
        return self.bn_a(self.conv_a(x)) + self.bn_b(self.conv_b(x))


@case("consume_view_weights")
def _():
    return Spec(ViewConvWeights(), [fwd(randn(1, 3, 6, 6))],
                "two convs whose weights are views of one storage (its two halves), each followed by a "
                "BatchNorm: a consume freeze must not fold either weight in place.",
                ["conv-bn folding", "views", "consume freeze"])
