#!/usr/bin/python3
"""PyTorch single-thread numbers for the shapes bench/kernels.ts measures (matmul 256/512, ResNet-style
conv2d 3x3 64->64 at 56x56). Prints one JSON row per line: {"name", "value", "unit"}; prints nothing and
exits 0 when torch is missing. Run with Debian's /usr/bin/python3."""

import json
import time

try:
    import torch
except ImportError:
    raise SystemExit(0)

torch.set_num_threads(1)
torch.manual_seed(0)


def best_seconds(fn, min_batch=0.2, batches=5):
    fn()
    fn()
    best = float("inf")
    for _ in range(batches):
        reps = 0
        start = time.perf_counter()
        while True:
            fn()
            reps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_batch:
                break
        best = min(best, elapsed / reps)
    return best


def row(name, value, unit):
    print(json.dumps({"name": name, "value": value, "unit": unit}))


with torch.no_grad():
    for n in (256, 512):
        a = torch.randn(n, n)
        b = torch.randn(n, n)
        s = best_seconds(lambda: torch.mm(a, b))
        row("torch matmul %dx%dx%d float32" % (n, n, n), 2 * n ** 3 / s / 1e9, "GFLOP/s")
    x = torch.randn(1, 64, 56, 56)
    w = torch.randn(64, 64, 3, 3)
    s = best_seconds(lambda: torch.nn.functional.conv2d(x, w, None, 1, 1), 0.3, 4)
    row("torch conv2d 3x3 64->64 56x56 float32", 2 * 64 * 64 * 9 * 56 * 56 / s / 1e9, "GFLOP/s")
    row("torch conv2d 3x3 64->64 56x56 float32 time", s * 1000, "ms")
