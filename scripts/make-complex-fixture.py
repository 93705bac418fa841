#!/usr/bin/python3
"""Writes test/fixtures/_complex: a scripted module with complex64/complex128 buffers and complex math,
saved by torch 1.13, with an input and PyTorch's outputs (test/serialization/complex-archive.test.ts).

Run with Debian's /usr/bin/python3:  /usr/bin/python3 scripts/make-complex-fixture.py
"""

import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "_complex")


class ComplexBuffers(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("w", torch.randn(4, dtype=torch.cfloat))
        self.register_buffer("d", torch.randn(4, dtype=torch.cdouble))

    def forward(self, x):
        z = torch.view_as_complex(x) * self.w
        return torch.view_as_real(z + self.d.to(torch.complex64)), (z * self.d).abs()


def main():
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    m = torch.jit.script(ComplexBuffers().eval())
    m.save(os.path.join(OUT, "complex_buffers.pt"))
    x = torch.randn(4, 2)
    np.save(os.path.join(OUT, "x.npy"), x.numpy())
    for i, y in enumerate(m(x)):
        np.save(os.path.join(OUT, "out%d.npy" % i), y.numpy())
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
