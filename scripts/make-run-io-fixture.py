#!/usr/bin/python3
"""Writes test/fixtures/_run_io: a scripted model whose forward takes a list of tensors and returns the
structures detection models return (a dict, a list of dicts, a named tuple, an int and a str), its
inputs as .npy files, and PyTorch 1.13's outputs in the value-tree format `tsfreeze run --output-dir`
writes (expected/outputs.json + .npy), so test/cli/run-values.test.ts compares tree and numbers.

  /usr/bin/python3 scripts/make-run-io-fixture.py
"""

import json
import os
import shutil
import sys
from typing import Dict, List, NamedTuple, Tuple

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "zoo"))
import values  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "_run_io")


class Summary(NamedTuple):
    total: torch.Tensor
    peak: torch.Tensor


class Detector(torch.nn.Module):
    def forward(
        self, images: List[torch.Tensor], scale: float
    ) -> Tuple[Dict[str, torch.Tensor], List[Dict[str, torch.Tensor]], Summary, int, str]:
        losses: Dict[str, torch.Tensor] = {}
        detections: List[Dict[str, torch.Tensor]] = []
        for img in images:
            detections.append({"boxes": img.mean(0)[:2] * scale, "labels": img.flatten().argmax().unsqueeze(0)})
        summary = Summary(images[0].sum(0), images[-1].amax(0))
        return losses, detections, summary, len(images), "ok"


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, "expected"))
    torch.manual_seed(0)
    images = [torch.rand(3, 4, 5), torch.rand(3, 6, 4)]
    for i, img in enumerate(images):
        np.save(os.path.join(OUT, "img%d.npy" % i), img.numpy())
    model = torch.jit.script(Detector().eval())
    torch.jit.save(model, os.path.join(OUT, "model.pt"))
    out = torch.jit.load(os.path.join(OUT, "model.pt"))(images, 0.5)
    # A plain tuple's items are output0, output1, ... (as tsfreeze writes them).
    expected = os.path.join(OUT, "expected")
    tree = {"kind": "tuple", "items": [values.encode(v, expected, "output%d" % i) for i, v in enumerate(out)]}
    with open(os.path.join(expected, "outputs.json"), "w") as f:
        json.dump(tree, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
