#!/usr/bin/python3
"""Writes what torch.jit.load (PyTorch 1.13) builds from each fixture archive, for tsfreeze's loader tests.

For every test/fixtures/<case>/{module,frozen}.pt it loads the archive with torch.jit.load and records:
  type          qualified class name of the root module
  modules       [[dotted path, qualified class name]] in named_modules order (shared instances once)
  parameters    [[name, tensor summary]] in named_parameters order
  buffers       [[name, tensor summary]] in named_buffers order
  attributes    [[dotted path, value summary]] every attribute, recursive, no dedup (C++ named_attributes)
  methods       method names of the root module's type
Tensor summary: {dtype, shape, requires_grad, sum (float64), head (first 8 elements)}.
Other values: None/bool/str as JSON, int {"int": "<decimal>"}, float {"float": x | "nan" | "inf" | "-inf"},
tuple/list {"tuple"|"list": [...]}, dict {"dict": [[k, v], ...]}, module {"module": "<class>"},
device {"device": "cpu"}, script-class object {"object": "<qualified class>"}.

Output: test/fixtures/_load_expected/<case>__<module|frozen>.json. Run with Debian's python:
    /usr/bin/python3 scripts/extract-load-expectations.py
"""

import json
import math
import os
import sys

import torch

# Importing the generator defines the script classes of scripts/fixture_cases/*.py under the names the
# archives use, so torch can hand objects of those classes (attributes of some cases) to Python.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_fixtures  # noqa: E402,F401

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
FIXTURES = os.path.join(ROOT, 'test', 'fixtures')
OUT = os.path.join(FIXTURES, '_load_expected')
HEAD = 8


def number(x):
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return {"int": str(x)}
    if math.isnan(x):
        return {"float": "nan"}
    if math.isinf(x):
        return {"float": "inf" if x > 0 else "-inf"}
    return {"float": x}


def tensor_summary(t):
    flat = t.detach().reshape(-1)
    if t.is_floating_point():
        total = float(flat.double().sum()) if flat.numel() else 0.0
        head = [number(float(v)) for v in flat[:HEAD].tolist()]
    else:
        total = int(flat.long().sum()) if flat.numel() else 0
        head = [number(int(v)) if not isinstance(v, bool) else v for v in flat[:HEAD].tolist()]
    return {
        "dtype": str(t.dtype).replace("torch.", ""),
        "shape": list(t.shape),
        "requires_grad": bool(t.requires_grad),
        "sum": number(total),
        "head": head,
    }


def summary(v):
    if isinstance(v, torch.Tensor):
        return {"tensor": tensor_summary(v)}
    if isinstance(v, torch._C.ScriptModule):
        return {"module": v._type().qualified_name()}
    if isinstance(v, torch.jit.ScriptModule):
        return {"module": v._c._type().qualified_name()}
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, float)):
        return number(v)
    if isinstance(v, torch.device):
        return {"device": str(v)}
    if isinstance(v, tuple):
        return {"tuple": [summary(x) for x in v]}
    if isinstance(v, list):
        return {"list": [summary(x) for x in v]}
    if isinstance(v, dict):
        return {"dict": [[summary(k), summary(x)] for k, x in v.items()]}
    if isinstance(v, torch._C.ScriptObject):
        return {"object": v._type().qualified_name()}
    if torch.jit._state._get_script_class(type(v)) is not None:
        return {"object": torch._jit_internal._qualified_name(type(v))}
    return {"repr": repr(v)[:200]}


def facts(path):
    m = torch.jit.load(path)
    it = torch._C._jit_debug_module_iterators(m._c)
    return {
        "type": m._c._type().qualified_name(),
        "training": m._c.getattr("training") if m._c.hasattr("training") else None,
        "modules": [[n, (mm if isinstance(mm, torch._C.ScriptModule) else mm._c)._type().qualified_name()]
                    for n, mm in it["named_modules"]],
        "parameters": [[n, tensor_summary(t)] for n, t in m.named_parameters()],
        "buffers": [[n, tensor_summary(t)] for n, t in m.named_buffers()],
        "attributes": [[n, summary(v)] for n, v in it["named_attributes_r"]],
        "methods": list(m._c._method_names()),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for case in sorted(os.listdir(FIXTURES)):
        for stem in ("module", "frozen"):
            path = os.path.join(FIXTURES, case, stem + ".pt")
            if not os.path.isfile(path):
                continue
            out = os.path.join(OUT, "%s__%s.json" % (case, stem))
            with open(out, "w") as f:
                json.dump(facts(path), f, sort_keys=True, separators=(",", ":"))
                f.write("\n")
            print(out)


if __name__ == "__main__":
    main()
