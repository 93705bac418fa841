#!/usr/bin/python3
"""nn.TransformerEncoder's nested-tensor fast path (eval, batch_first, no grad, a padding mask) as PyTorch 1.13
runs it, for test/runtime/nested-encoder.test.ts: the scripted encoder and, per case, the input, the
padding mask and PyTorch's output (cut to the longest sequence, zeros past each length).

  /usr/bin/python3 scripts/make-nested-encoder-fixture.py
"""

import json
import os
import warnings

import numpy as np
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "nested_encoder")


def main():
    warnings.simplefilter("ignore")
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
    enc = torch.jit.script(nn.TransformerEncoder(layer, 2).eval())
    enc.save(os.path.join(OUT, "model.pt"))
    x = torch.randn(3, 6, 8)
    F, T = False, True
    cases = {
        # Lengths 3, 4, 2: the output is cut to 4 positions.
        "shorter": [[F, F, F, T, T, T], [F, F, F, F, T, T], [F, F, T, T, T, T]],
        # One full-length sequence: 6 positions.
        "one full": [[F, F, F, F, F, F], [F, T, T, T, T, T], [F, F, F, F, F, T]],
        # A gap: not left-aligned, so PyTorch takes the dense path (masked, full length, no zeros).
        "gap": [[F, T, F, T, T, T], [F, F, F, F, T, T], [F, F, T, T, T, T]],
    }
    index = []
    np.save(os.path.join(OUT, "x.npy"), x.numpy())
    for i, (name, rows) in enumerate(cases.items()):
        pad = torch.tensor(rows)
        with torch.no_grad():
            out = enc(x, None, pad)
        np.save(os.path.join(OUT, "pad%d.npy" % i), pad.numpy())
        np.save(os.path.join(OUT, "out%d.npy" % i), out.numpy())
        index.append({"name": name, "pad": "pad%d.npy" % i, "out": "out%d.npy" % i})
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump({"generator": "scripts/make-nested-encoder-fixture.py", "torch_version": torch.__version__, "cases": index}, f, indent=1)
    print("%d cases -> %s" % (len(index), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
