#!/usr/bin/python3
"""Writes test/fixtures/_script_class: a scripted module using TorchScript classes (@torch.jit.script
class: objects created in forward, objects held in attributes, a list of objects, an Optional object
field, magic methods, a mutated object), saved by torch 1.13 before (scripted.pt) and after torch.jit.freeze
(torch_frozen.pt: its folded objects are constants in constants.pkl), with an input and PyTorch's outputs of a
first call on a fresh load of each, and two calls of the frozen module in memory
(test/serialization/script-class-archive.test.ts).

Run with Debian's /usr/bin/python3:  /usr/bin/python3 scripts/make-script-class-fixture.py
"""

import json
import os
from typing import List, Optional, Tuple

import numpy as np
import torch
from torch import Tensor

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "_script_class")


@torch.jit.script
class Affine(object):
    def __init__(self, scale: float, shift: Tensor):
        self.scale = scale
        self.shift = shift

    def apply(self, x: Tensor) -> Tensor:
        return x * self.scale + self.shift


@torch.jit.script
class Chain(object):
    def __init__(self, stages: List[Affine], fallback: Optional[Affine]):
        self.stages = stages
        self.fallback = fallback

    def __len__(self) -> int:
        return len(self.stages)

    def __getitem__(self, i: int) -> Affine:
        return self.stages[i]

    def combined(self) -> Affine:
        scale = 1.0
        shift = torch.zeros(4)
        for s in self.stages:
            scale = scale * s.scale
            shift = shift * s.scale + s.shift
        return Affine(scale, shift)


@torch.jit.script
class Tally(object):
    def __init__(self):
        self.calls = 0
        self.seen: List[str] = []

    def tick(self, tag: str) -> int:
        self.calls += 1
        self.seen.append(tag)
        return self.calls


class UsesClasses(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.chain = Chain([Affine(2.0, torch.ones(4)), Affine(-0.5, torch.arange(4.0))], Affine(3.0, torch.zeros(4)))
        self.tally = Tally()

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor, int, List[str]]:
        y = x
        for i in range(len(self.chain)):
            y = self.chain[i].apply(y)
        z = self.chain.combined().apply(x)
        fallback = self.chain.fallback
        if fallback is not None:
            z = fallback.apply(z)
        local = Tally()
        for r in range(x.size(0)):
            local.tick("row" + str(r))
        return y, z, self.tally.tick("call") + local.calls, local.seen


def constant_types(graph):
    """The class types of the object constants in a frozen graph (nested blocks included)."""
    found = []

    def visit(block):
        for node in block.nodes():
            if node.kind() == "prim::Constant" and node.output().type().kind() == "ClassType":
                found.append(node.output().type().name())
            for b in node.blocks():
                visit(b)

    visit(graph)
    return sorted(found)


def run_fresh(path, x):
    y, z, calls, seen = torch.jit.load(path)(x)
    return y, z, calls, seen


def main():
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    m = torch.jit.script(UsesClasses().eval())
    model_path = os.path.join(OUT, "scripted.pt")
    frozen_path = os.path.join(OUT, "torch_frozen.pt")
    torch.jit.save(m, model_path)
    frozen = torch.jit.freeze(torch.jit.load(model_path).eval())
    torch.jit.save(frozen, frozen_path)
    x = torch.randn(3, 4)
    np.save(os.path.join(OUT, "x.npy"), x.numpy())
    expected = {}
    for name, path in (("model", model_path), ("frozen", frozen_path)):
        y, z, calls, seen = run_fresh(path, x)
        np.save(os.path.join(OUT, "%s_y.npy" % name), y.numpy())
        np.save(os.path.join(OUT, "%s_z.npy" % name), z.numpy())
        expected[name] = {"calls": calls, "seen": seen}
    expected["frozen_object_constants"] = constant_types(frozen.graph)
    # The frozen module in memory writes the Tally constant's field (calls grows per call); torch.jit.load
    # of torch_frozen.pt drops the writes to CONSTANTS.cN fields (docs/freeze.md), so "frozen" above stays at 3.
    expected["frozen_in_memory_calls"] = [frozen(x)[2], frozen(x)[2]]
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
