"""Writes the models of `npm run bench -- vs-torch` as torch.jit.save archives (PyTorch 1.13).

Usage: python3 scripts/make-bench-models.py OUT_DIR [NAME ...]

Each model is written once to OUT_DIR/NAME.pt (a cache kept out of git; existing files are kept).
Weights are random but seeded, so regenerating gives the same archives. The synthetic chains are
the same `x = x * self.wK + self.bK` modules the freeze-scaling bench builds (4 graph nodes a layer).
"""

import importlib.util
import os
import sys
import tempfile

import torch

# Synthetic chain name -> layers (4 graph nodes a layer).
SYNTHETIC = {"synthetic_10k": 2_500, "synthetic_100k": 25_000}


def chain(layers):
    # torch.jit.script reads the class's source, so the generated module lives in a real file.
    body = "\n".join(f"        x = x * self.w{i} + self.b{i}" for i in range(layers))
    inits = "\n".join(
        f"        self.w{i} = torch.nn.Parameter(torch.full([1], {1 + (i % 7) / 100}))\n"
        f"        self.b{i} = torch.nn.Parameter(torch.full([1], {(i % 5) / 1000}))"
        for i in range(layers)
    )
    source = (
        "import torch\n"
        "class Chain(torch.nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        f"{inits}\n"
        "    def forward(self, x):\n"
        f"{body}\n"
        "        return x\n"
    )
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, f"chain{layers}.py")
    with open(path, "w") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location(f"chain{layers}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return torch.jit.script(mod.Chain().eval())


def build(name):
    torch.manual_seed(0)
    if name in SYNTHETIC:
        return chain(SYNTHETIC[name])
    import torchvision

    if name == "resnet50":
        return torch.jit.script(torchvision.models.resnet50().eval())
    if name == "mobilenet_v3_large":
        return torch.jit.script(torchvision.models.mobilenet_v3_large().eval())
    if name == "densenet121":
        return torch.jit.script(torchvision.models.densenet121().eval())
    if name == "transformer_12x768":
        layer = torch.nn.TransformerEncoderLayer(d_model=768, nhead=12, dim_feedforward=3072)
        return torch.jit.script(torch.nn.TransformerEncoder(layer, num_layers=12).eval())
    raise SystemExit(f"unknown bench model {name}")


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or [
        "resnet50",
        "mobilenet_v3_large",
        "densenet121",
        "transformer_12x768",
        *SYNTHETIC,
    ]
    os.makedirs(out, exist_ok=True)
    for name in names:
        path = os.path.join(out, f"{name}.pt")
        if os.path.exists(path):
            continue
        model = build(name)
        tmp = path + ".tmp"
        torch.jit.save(model, tmp)
        os.replace(tmp, path)  # never a half-written archive in the cache
        print(f"wrote {path}", flush=True)


if __name__ == "__main__":
    main()
