#!/usr/bin/python3
"""Loads .pt files written by tsfreeze with PyTorch and checks them against the fixtures.

Usage: /usr/bin/python3 scripts/check-saved-models.py JOBS.json

JOBS.json is a list of jobs, all run in this one process (so a test file pays for `import torch` once):
  {"id": str, "model": "path/to/out.pt", "case_dir": "test/fixtures/<case>",
   "output_key": "frozen_output" | "output",      which outputs of case.json's calls to compare with
   "expected_parameters": int | null,             named_parameters() count the loaded model must have
   "reference_model": "path.pt" (optional),       a PyTorch archive whose named_parameters() names must match
   "rtol": float, "atol": float}
For every job the model is loaded with torch.jit.load, the case's calls are replayed in order on that
one object (state carries over, as in the fixtures), and each result is compared with the recorded
tensors (allclose) or values (equal). Calls PyTorch's frozen module raised on must raise the same type.
Prints one JSON object: {"torch": version, "results": [{"id", "ok", "problems": [...], "calls": n}]}.
"""

import json
import math
import os
import sys

import torch

DTYPES = {
    "float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16,
    "int64": torch.int64, "int32": torch.int32, "int16": torch.int16, "int8": torch.int8,
    "uint8": torch.uint8, "bool": torch.bool,
}


def read_tensor(case_dir, spec):
    dtype = DTYPES[spec["dtype"]]
    with open(os.path.join(case_dir, spec["file"]), "rb") as f:
        data = f.read()
    flat = torch.frombuffer(bytearray(data), dtype=dtype) if data else torch.empty(0, dtype=dtype)
    return flat.reshape(spec["shape"]).clone()


def decode(case_dir, spec):
    kind = spec["kind"]
    if kind == "Tensor":
        return read_tensor(case_dir, spec)
    if kind in ("int", "float", "bool", "str"):
        return spec["value"]
    if kind == "None":
        return None
    if kind == "tuple":
        return tuple(decode(case_dir, s) for s in spec["items"])
    if kind == "list":
        return [decode(case_dir, s) for s in spec["items"]]
    if kind == "dict":
        return {decode(case_dir, e["key"]): decode(case_dir, e["value"]) for e in spec["items"]}
    raise ValueError("unknown value kind " + kind)


def compare(path, got, want, rtol, atol, problems):
    if isinstance(want, torch.Tensor):
        if not isinstance(got, torch.Tensor):
            problems.append("%s: expected a tensor, got %s" % (path, type(got).__name__))
        elif got.dtype != want.dtype or tuple(got.shape) != tuple(want.shape):
            problems.append("%s: expected %s%s, got %s%s" % (path, want.dtype, tuple(want.shape), got.dtype, tuple(got.shape)))
        elif want.dtype.is_floating_point:
            if not torch.allclose(got.detach(), want, rtol=rtol, atol=atol, equal_nan=True):
                diff = (got.detach().double() - want.double()).abs().max().item()
                problems.append("%s: values differ (max abs diff %g)" % (path, diff))
        elif not torch.equal(got, want):
            problems.append("%s: values differ" % path)
    elif isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            problems.append("%s: expected a sequence of %d, got %r" % (path, len(want), type(got).__name__))
            return
        for i, (g, w) in enumerate(zip(got, want)):
            compare("%s[%d]" % (path, i), g, w, rtol, atol, problems)
    elif isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            problems.append("%s: dict keys differ" % path)
            return
        for k in want:
            compare("%s[%r]" % (path, k), got[k], want[k], rtol, atol, problems)
    elif isinstance(want, float):
        if not isinstance(got, float) or not math.isclose(got, want, rel_tol=rtol, abs_tol=atol):
            problems.append("%s: expected %r, got %r" % (path, want, got))
    elif got != want or type(got) is not type(want):
        problems.append("%s: expected %r, got %r" % (path, want, got))


def run_job(job):
    problems = []
    case_dir = job["case_dir"]
    rtol = job.get("rtol", 1e-4)
    atol = job.get("atol", 1e-4)
    key = job.get("output_key", "frozen_output")
    raises_key = "frozen_raises" if key == "frozen_output" else "original_raises"
    try:
        model = torch.jit.load(job["model"])
    except Exception as e:  # noqa: BLE001 - every failure is a result to report
        return {"id": job["id"], "ok": False, "problems": ["torch.jit.load failed: %s" % str(e).splitlines()[0]], "calls": 0}
    expected_params = job.get("expected_parameters")
    if expected_params is not None:
        names = [n for n, _ in model.named_parameters()]
        if len(names) != expected_params:
            problems.append("expected %d parameters, the loaded model has %d: %s" % (expected_params, len(names), names))
    reference = job.get("reference_model")
    if reference:
        want = [n for n, _ in torch.jit.load(reference).named_parameters()]
        got = [n for n, _ in model.named_parameters()]
        if got != want:
            problems.append("parameters %s, %s has %s" % (got, reference, want))
    with open(os.path.join(case_dir, "case.json")) as f:
        case = json.load(f)
    calls = case.get("calls", [])
    for k, call in enumerate(calls):
        where = "call %d (%s)" % (k, call["method"])
        args = [decode(case_dir, s) for s in call["inputs"]]
        try:
            result = getattr(model, call["method"])(*args)
        except Exception as e:  # noqa: BLE001
            want = call.get(raises_key)
            if want is None or type(e).__name__ != want["type"]:
                problems.append("%s raised %s: %s" % (where, type(e).__name__, str(e).splitlines()[0] if str(e) else ""))
            continue
        if call.get(raises_key) is not None:
            problems.append("%s returned, PyTorch raised %s" % (where, call[raises_key]["type"]))
            continue
        compare(where, result, decode(case_dir, call[key]), rtol, atol, problems)
    return {"id": job["id"], "ok": not problems, "problems": problems, "calls": len(calls)}


def main():
    torch.set_num_threads(1)
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    results = [run_job(job) for job in jobs]
    print(json.dumps({"torch": torch.__version__, "results": results}))


if __name__ == "__main__":
    main()
