#!/usr/bin/python3
"""Writes full-size torchvision models for the benchmarks into a cache directory (default bench/.cache/inference,
gitignored): for each NAME, NAME.pt (torch.jit.script of the eval-mode model with seeded random weights,
saved by torch.jit.save; batch-norm statistics calibrated on random batches, see calibrate()) and NAME.input.bin (a seeded 1x3x224x224 float32 input, raw little-endian).
Existing files are kept, so a second run costs nothing.

Usage: /usr/bin/python3 scripts/make-inference-models.py [--dir DIR] NAME...   (NAME: a torchvision.models
builder, e.g. resnet18 mobilenet_v3_large). Prints one JSON line: {"dir": ..., "models": {NAME: {...}}}.
"""

import argparse
import array
import json
import os

import torch
import torchvision

parser = argparse.ArgumentParser()
parser.add_argument("--dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", ".cache", "inference"))
parser.add_argument("names", nargs="+")
args = parser.parse_args()
os.makedirs(args.dir, exist_ok=True)



def calibrate(model):
    """Sets every batch norm's running statistics to the mean and variance it sees on random inputs.
    With torchvision's initialisation alone the statistics stay at (0, 1) and activations shrink layer
    by layer (MobileNetV3's output is ~1e-9): float32 denormals then dominate PyTorch's time (~30x
    slower), which would make the benchmark measure denormal handling instead of the model."""
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None  # cumulative average over the calibration batches
    model.train()
    g = torch.Generator().manual_seed(2)
    with torch.no_grad():
        for _ in range(4):
            model(torch.randn(8, 3, 224, 224, generator=g))
    return model.eval()


result = {"dir": os.path.abspath(args.dir), "models": {}}
for name in args.names:
    path = os.path.join(args.dir, name + ".pt")
    input_path = os.path.join(args.dir, name + ".input.bin")
    if not (os.path.exists(path) and os.path.exists(input_path)):
        torch.manual_seed(0)
        model = calibrate(getattr(torchvision.models, name)())
        scripted = torch.jit.script(model)
        # Write to a temporary name first: a killed run never leaves a half-written model in the cache.
        scripted.save(path + ".part")
        os.replace(path + ".part", path)
        x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(1))
        with open(input_path + ".part", "wb") as f:
            array.array("f", x.flatten().tolist()).tofile(f)
        os.replace(input_path + ".part", input_path)
    result["models"][name] = {"path": os.path.abspath(path), "input": os.path.abspath(input_path), "shape": [1, 3, 224, 224]}
print(json.dumps(result))
