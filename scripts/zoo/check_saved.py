#!/usr/bin/python3
"""Loads the frozen models tsfreeze wrote in the zoo sweep with torch.jit.load and checks them.

Runs as a server so the sweep pays for `import torch` once: one JSON request per stdin line,
  {"model": ".zoo-cache/resnet18/script/ours_frozen.pt", "row_dir": ".zoo-cache/resnet18",
   "mode": "script", "atol": 1e-5}
one JSON answer per stdout line,
  {"ok": true|false, "detail": "...", "parameters": 0}
A saved model passes when torch.jit.load reads it, it has as many parameters as PyTorch's own frozen
module (0 after a freeze), and its outputs on the row's inputs meet the sweep's output rule: error
against the float64 reference at most 2x PyTorch's own float32 error plus atol * (1 + max |ref|), complex
leaves likewise (complex128 reference, |a - b| of complex values); other leaves equal PyTorch's frozen
outputs exactly. Score-ranked records (detections) are first matched to the reference's rows within
score ties (values.aligned_leaves, the rule of test/zoo/record-alignment.ts); their integer leaves then
equal the reference's.
"""

import json
import math
import os
import sys
import traceback
import warnings

import torch
import torchvision  # noqa: F401  (registers torchvision:: operators, which detection models call)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import values  # noqa: E402


def compare(got, torch_out, reference, torch_errors, atol):
    problems = []
    ours = list(values.leaves(got))
    theirs = list(values.leaves(torch_out))
    if [p for p, _ in ours] != [p for p, _ in theirs]:
        return ["structure: %s vs PyTorch %s" % ([p for p, _ in ours], [p for p, _ in theirs])]
    refs = dict(values.leaves(reference)) if reference is not None else dict(theirs)

    def limit_of(path):
        ref = refs[path]
        torch_error = (torch_errors.get(path) or 0.0) if reference is not None else 0.0
        scale = float(ref.abs().double().nan_to_num(0, 0, 0).max()) if ref.numel() else 0.0
        return 2 * torch_error + atol * (1 + scale)

    # Detections tied in score may be listed in another order: rows are matched first (values.py).
    ours, aligned = values.aligned_leaves(got, reference if reference is not None else torch_out, limit_of)
    for (path, g), (_, want) in zip(ours, theirs):
        ref = refs.get(path)
        if path in aligned and isinstance(ref, torch.Tensor) and not values.is_inexact(ref):
            want = ref  # an aligned integer leaf equals the reference's row for row
        if isinstance(want, torch.Tensor) and values.is_inexact(want) and isinstance(ref, torch.Tensor):
            if not isinstance(g, torch.Tensor) or g.shape != want.shape or g.dtype != want.dtype:
                problems.append("%s: got %r" % (path, getattr(g, "shape", g)))
                continue
            limit = limit_of(path)
            error = values.max_error(g, ref)
            if not error <= limit:
                problems.append("%s: error %.2e > %.2e" % (path, error, limit))
        elif isinstance(want, torch.Tensor):
            if not isinstance(g, torch.Tensor) or g.dtype != want.dtype or g.shape != want.shape or not torch.equal(g, want):
                problems.append("%s differs from PyTorch's" % path)
        elif isinstance(want, float):
            if not (isinstance(g, float) and (g == want or abs(g - want) <= 1e-6 * (1 + abs(want)))):
                problems.append("%s: %r vs %r" % (path, g, want))
        elif g != want:
            problems.append("%s: %r vs %r" % (path, g, want))
    return problems


def check(request):
    mode_dir = os.path.join(request["row_dir"], request["mode"])
    with open(os.path.join(mode_dir, "torch.json")) as f:
        record = json.load(f)
    try:
        model = torch.jit.load(request["model"])
    except Exception as e:
        return {"ok": False, "detail": "torch.jit.load: %s: %s" % (type(e).__name__, str(e).strip()[:1500])}
    parameters = len(list(model.parameters()))
    problems = []
    if parameters != record.get("frozen_parameters", 0):
        problems.append("%d parameters, PyTorch's frozen module has %d" % (parameters, record.get("frozen_parameters", 0)))
    inputs = values.load_tree(request["row_dir"], "inputs.json")
    try:
        with torch.no_grad():
            got = model(*inputs)
    except Exception as e:
        return {"ok": False, "parameters": parameters,
                "detail": "running it in PyTorch: %s: %s" % (type(e).__name__, str(e).strip()[:1500])}
    torch_out = values.load_tree(mode_dir, "frozen_outputs.json")
    has_ref = os.path.exists(os.path.join(mode_dir, "reference.json"))
    reference = values.load_tree(mode_dir, "reference.json") if has_ref else None
    problems += compare(got, torch_out, reference, record.get("torch_error", {}), request["atol"])
    return {"ok": not problems, "parameters": parameters, "detail": "; ".join(problems[:4])}


def main():
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = check(json.loads(line))
        except Exception as e:
            answer = {"ok": False, "detail": "checker failed: %s: %s" % (type(e).__name__, e),
                      "traceback": traceback.format_exc()[-3000:]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
