#!/usr/bin/python3
"""Writes PyTorch 1.13 reference results for TorchScript-level operators into test/fixtures/_script_ops/.

Each case is one method of a scripted module (source written here, compiled by torch.jit.script), so a
case exercises what a real model does: the frontend's lowering of `s.strip()`, `del l[i]`, `max(a, b)`,
`torch.stft(...)` to an operator overload, and the overload's behaviour. The script writes

  script_ops.pt   one module with a method per case (torch.jit.save)
  index.json      per case: method, inputs, outputs (or the error PyTorch raised), and the operator
                  overloads (`aten::strip`, `prim::max.int`, ...) the method's graph calls
  tNNN.npy        tensor inputs and outputs

Run with Debian's /usr/bin/python3 (torch 1.13):  /usr/bin/python3 scripts/make-script-op-goldens.py
Cases live in scripts/script_op_cases/*.py (one file per domain); each defines CASES, a list of
(name, signature, body, inputs[, atol]).
"""

import importlib.util
import json
import os
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures", "_script_ops")
CASE_DIR = os.path.join(HERE, "script_op_cases")

counter = [0]


def save(t):
    counter[0] += 1
    name = "t%03d.npy" % counter[0]
    np.save(os.path.join(OUT, name), t.detach().contiguous().numpy())
    return name


def enc(v):
    """Encodes one value (input or output) for index.json, keeping Python's types."""
    if isinstance(v, torch.Tensor):
        return {"tensor": save(v)}
    if isinstance(v, bool):
        return {"bool": v}
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, str):
        return {"str": v}
    if v is None:
        return {"none": True}
    if isinstance(v, torch.device):
        return {"device": str(v)}
    if isinstance(v, list):
        return {"list": [enc(x) for x in v]}
    if isinstance(v, tuple):
        return {"tuple": [enc(x) for x in v]}
    if isinstance(v, dict):
        return {"dict": [[enc(k), enc(x)] for k, x in v.items()]}
    raise TypeError(type(v))


def load_reprs():
    """Tensors whose Python repr tsfreeze's formatTensor must reproduce (REPRS lists in the case files)."""
    reprs = []
    for file in sorted(os.listdir(CASE_DIR)):
        if file.endswith(".py"):
            spec = importlib.util.spec_from_file_location(file[:-3], os.path.join(CASE_DIR, file))
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            reprs.extend(getattr(mod, "REPRS", []))
    return reprs


def load_cases():
    cases = []
    for file in sorted(os.listdir(CASE_DIR)):
        if not file.endswith(".py"):
            continue
        spec = importlib.util.spec_from_file_location(file[:-3], os.path.join(CASE_DIR, file))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for c in mod.CASES:
            cases.append((file[:-3],) + tuple(c))
    return cases


def module_source(cases):
    lines = [
        "import math",
        "import torch",
        "from typing import Dict, List, Optional, Tuple",
        "",
        "",
        "class ScriptOps(torch.nn.Module):",
        "    def forward(self) -> int:",
        "        return 0",
        "",
        "    def push(self, l: List[int], x: int) -> None:",
        "        l.append(x)",
    ]
    for i, c in enumerate(cases):
        _, _, sig, body = c[:4]
        lines.append("")
        lines.append("    @torch.jit.export")
        lines.append("    def c%03d(self%s):" % (i, (", " + sig) if sig else ""))
        for line in body.strip("\n").split("\n"):
            lines.append("        " + line)
    return "\n".join(lines) + "\n"


def overloads(graph):
    found = set()

    def walk(block):
        for node in block.nodes():
            for b in node.blocks():
                walk(b)
            kind = node.kind()
            if not (kind.startswith("aten::") or kind.startswith("prim::")):
                continue
            try:
                schema = node.schema()
            except RuntimeError:
                continue
            if schema == "(no schema)":
                continue
            name = schema[: schema.index("(")]
            found.add(name)

    walk(graph)
    return sorted(found)


def main():
    if os.path.isdir(OUT):
        for f in os.listdir(OUT):
            if f.endswith(".npy"):
                os.remove(os.path.join(OUT, f))
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    torch.set_num_threads(1)
    cases = load_cases()
    with tempfile.TemporaryDirectory() as tmp:
        # Source comments in the archive name the file relative to its import root, not this machine.
        path = os.path.join(tmp, "script_ops_module.py")
        with open(path, "w") as f:
            f.write(module_source(cases))
        sys.path.insert(0, tmp)
        import script_ops_module

        scripted = torch.jit.script(script_ops_module.ScriptOps())
        scripted.save(os.path.join(OUT, "script_ops.pt"))
    records = []
    for i, c in enumerate(cases):
        group, name, sig, body, inputs = c[:5]
        atol = c[5] if len(c) > 5 else 1e-5
        method = "c%03d" % i
        fn = getattr(scripted, method)
        encoded_inputs = [enc(x) for x in inputs]
        args = [x.clone() if isinstance(x, torch.Tensor) else x for x in inputs]
        record = {
            "group": group,
            "name": name,
            "method": method,
            "inputs": encoded_inputs,
            "ops": overloads(fn.graph),
            "atol": atol,
        }
        try:
            record["output"] = enc(fn(*args))
        except Exception as e:  # PyTorch's own error is the expected behaviour
            msg = str(e)
            marker = msg.rfind("RuntimeError: ")
            lines = [l for l in msg.strip().split("\n") if l.strip()]
            record["error"] = lines[-1].strip() if marker < 0 else msg[marker:].split("\n")[0]
        records.append(record)
    index = {
        "generator": "scripts/make-script-op-goldens.py",
        "torch_version": torch.__version__,
        "cases": records,
        "reprs": [{"tensor": save(t), "repr": repr(t)} for t in load_reprs()],
    }
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    print("%d script-op cases -> %s" % (len(records), os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
