"""Fixture cases for frozen modules whose constant table holds more than tensors (issue 15 item 4).

torch.jit.freeze turns attributes into constants; the printer sends to constants.pkl every constant it
cannot spell as a literal: tensors, strings with non-ASCII characters (and lists, tuples, dicts holding
them), script-class objects. A frozen module saved with such constants must load again, in tsfreeze and
in torch.jit.load, and compute the same. Registered into scripts/generate_fixtures.py like aliasing.py.
"""

from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from torch import Tensor

from fixture_generator import Spec, case, fwd, randn


@torch.jit.script
class Scale:
    """A script class whose objects stay constants after freezing (chosen at run time)."""

    def __init__(self, factor: float, name: str):
        self.factor = factor
        self.name = name


class NonTensorConstants(nn.Module):
    words: List[Optional[str]]
    counts: Dict[str, int]

    def __init__(self):
        super().__init__()
        self.label = "naïve café"
        self.pair = ("ünïcode", 3)
        self.words = ["é", None, "plain"]
        self.counts = {"ü": 1, "v": 2}
        self.first = Scale(2.0, "dös")
        self.second = Scale(-1.5, "zwei")
        self.bias = torch.ones(3)

    def forward(self, x: Tensor, i: int) -> Tuple[Tensor, str, str, Tuple[str, int], List[Optional[str]], Dict[str, int]]:
        if i == 0:
            s = self.first
        else:
            s = self.second
        return x * s.factor + self.bias, s.name, self.label, self.pair, self.words, self.counts


@case("constants_non_tensor")
def _():
    return Spec(NonTensorConstants(), [fwd(randn(3), 0), fwd(randn(3), 1)],
                "attributes that freeze into non-tensor constants: non-ASCII strings, a tuple, a list of "
                "optional strings and a dict holding them (constants.pkl entries), and script-class objects "
                "picked at run time (object constants). Saving the frozen module must give a file "
                "tsfreeze and torch.jit.load both read back.",
                ["constants.pkl", "non-tensor constants", "script-class objects as constants", "save/load"])
