#!/usr/bin/python3
"""Writes the deep submodule chains of the fuzz corpus (issue 15 items 1 and 3) with PyTorch 1.13.

    /usr/bin/python3 scripts/make-deep-modules.py OUT_DIR [DEPTH ...]     (default depths: 300 1000)

Each DEPTH gives OUT_DIR/deep-modules-DEPTH.pt: Wrap(Wrap(...(Leaf))) DEPTH levels deep, every Wrap adding 1
to its inner module's output, scripted and saved in eval mode. The script checks that PyTorch itself
loads, freezes and runs the file (so tsfreeze must too) and prints the frozen output of ones(2).
"""

import os
import sys

import torch
import torch.nn as nn


class Leaf(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.tensor([2.0, 3.0]))

    def forward(self, s_x: torch.Tensor) -> torch.Tensor:
        return s_x * self.w


class Wrap(nn.Module):
    def __init__(self, inner: nn.Module):
        super().__init__()
        self.inner = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x) + 1


def chain(depth: int) -> nn.Module:
    m: nn.Module = Leaf()
    for _ in range(depth):
        m = Wrap(m)
    return m.eval()


def main() -> None:
    out = sys.argv[1]
    depths = [int(d) for d in sys.argv[2:]] or [300, 1000]
    sys.setrecursionlimit(100_000)
    os.makedirs(out, exist_ok=True)
    for depth in depths:
        path = os.path.join(out, "deep-modules-%d.pt" % depth)
        torch.jit.save(torch.jit.script(chain(depth)), path)
        frozen = torch.jit.freeze(torch.jit.load(path).eval())
        print(path, frozen(torch.ones(2)).tolist())


if __name__ == "__main__":
    main()
