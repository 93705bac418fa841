#!/usr/bin/python3
"""Records the archive format version torch.jit.save (PyTorch 1.13) writes for modules using each operator
whose semantics changed across versions, and where it writes it.

Usage: /usr/bin/python3 scripts/archive-versions.py [OUT.json]   (default test/fixtures/archive_versions.json)

torch.jit.save writes max(3, the version each printed operator overload needs): aten::div 4, aten::full 5,
linspace 8, logspace 9, gelu 10 (caffe2/serialize/versions.h; the map is keyed by overload, so int division
stays at 3). From version 6 on the record is `.data/version` instead of `version`. For every case this writes
the scripted forward graph (self typed __torch__.M), the overload it calls, the version and the record name;
test/serialization/archive-version.test.ts saves the same graph with tsfreeze and compares.
"""

import io
import json
import os
import re
import sys
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures", "archive_versions.json")

CASES = {
    "plain add": "x + 1",
    "div.Tensor": "x / x",
    "div.Scalar": "x / 2",
    "div.Tensor_mode": "torch.div(x, x, rounding_mode='floor')",
    "div.Scalar_mode": "torch.div(x, 2, rounding_mode='trunc')",
    "div.out": "torch.div(x, x, out=x)",
    "div.out_mode": "torch.div(x, x, rounding_mode='floor', out=x)",
    "div_.Tensor": "x.div_(x)",
    "div_.Scalar": "x.div_(2)",
    "div_.Tensor_mode": "x.div_(x, rounding_mode='floor')",
    "div_.Scalar_mode": "x.div_(2, rounding_mode='floor')",
    "true_divide (normalized to div)": "torch.true_divide(x, 2)",
    "int division": "x + int(x.size(0)) / 2",
    "float division": "x + float(x.size(0)) / 2.0",
    "floor division": "x // 2",
    "full": "torch.full([2], 1.0) + x",
    "full.names": "torch.full([2], 1.0, names=None) + x",
    "full.out": "torch.full([2], 1.0, out=x)",
    "full_like": "torch.full_like(x, 1.0)",
    "linspace": "torch.linspace(0, 1, 2) + x",
    "linspace.out": "torch.linspace(0, 1, 2, out=x)",
    "logspace": "torch.logspace(0, 1, 2) + x",
    "logspace.out": "torch.logspace(0, 1, 2, out=x)",
    "gelu": "torch.nn.functional.gelu(x)",
    "gelu tanh": "torch.nn.functional.gelu(x, approximate='tanh')",
    "gelu.out": "torch._C._nn.gelu(x, out=x)",
    "gelu_": "torch._C._nn.gelu_(x)",
    "gelu_backward": "torch.ops.aten.gelu_backward(x, x)",
    "div and gelu": "torch.nn.functional.gelu(x / 2)",
}


def load_modules(exprs, folder):
    """TorchScript compiles from source files: write one class per expression and import them."""
    import importlib.util
    path = os.path.join(folder, "version_cases.py")
    with open(path, "w") as f:
        f.write("import torch\n")
        for i, expr in enumerate(exprs):
            f.write("class M%d(torch.nn.Module):\n  def forward(self, x: torch.Tensor):\n    return %s\n" % (i, expr))
    spec = importlib.util.spec_from_file_location("version_cases", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["version_cases"] = mod
    spec.loader.exec_module(mod)
    return [getattr(mod, "M%d" % i)() for i in range(len(exprs))]


def version_record(buf):
    with zipfile.ZipFile(buf) as z:
        for name in z.namelist():
            if name.endswith("/version") or name.endswith("/.data/version"):
                record = name.split("/", 1)[1]
                return record, int(z.read(name).decode().strip())
    raise RuntimeError("no version record")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    import tempfile
    rows = []
    folder = tempfile.mkdtemp()
    modules = load_modules(list(CASES.values()), folder)
    for (title, expr), module in zip(CASES.items(), modules):
        scripted = torch.jit.script(module)
        buf = io.BytesIO()
        torch.jit.save(scripted, buf)
        record, version = version_record(buf)
        graph = str(scripted.graph).replace(scripted._c._type().qualified_name(), "__torch__.M")
        graph = re.sub(r" # [^\n]*", "", graph)  # source ranges name a temporary file
        rows.append({"title": title, "expr": expr, "graph": graph, "version": version, "record": record})
    with open(out, "w") as f:
        json.dump({"torch": torch.__version__, "cases": rows}, f, indent=1)
        f.write("\n")
    print("%d cases -> %s" % (len(rows), out))


if __name__ == "__main__":
    main()
