#!/usr/bin/python3
"""The PyTorch side of the zoo sweep: script / trace one row, freeze it with torch.jit.freeze, and
record what tsfreeze must reproduce.

  /usr/bin/python3 scripts/zoo/export.py --list                    # the rows, as JSON
  /usr/bin/python3 scripts/zoo/export.py --row resnet18 --cache .zoo-cache

For row R it writes <cache>/<R>/:
  inputs.json + input*.npy            the test inputs (value trees, see values.py)
  row.json                            the row's settings and, per mode, where the work stopped
  <mode>/model.pt                     torch.jit.save of torch.jit.script(model) / torch.jit.trace(model)
  <mode>/outputs.json + .npy          what torch.jit.load(model.pt) computes (float32)
  <mode>/frozen_outputs.json + .npy   what torch.jit.freeze of the loaded module computes
  <mode>/reference.json + .npy        the float64 reference: the same model in double precision
                                      (complex outputs come out complex128)
  <mode>/frozen_graph.txt             str(frozen.graph)
  <mode>/torch.json                   status, failing stage and error, node-kind counts of the frozen
                                      graph (nested blocks included), parameter counts, PyTorch's own
                                      float32 / complex64 error per float or complex output leaf (the
                                      worst over the thread counts it may run with, each count's own
                                      errors beside it), timings

Weights are random (torch.manual_seed(0) before the builder); BatchNorm running statistics are
calibrated on three random batches of 4 (cumulative average), because random-init statistics do
not normalise and the logits of deep nets then reach 1e7 and hide errors. The recorded outputs come
from one thread, so they do not depend on the machine's load.

PyTorch's own float32 error is what PyTorch itself may get wrong, so it is measured on every way
PyTorch may run the model here: the load -> run -> freeze -> run sequence is repeated on a fresh load
with each of THREAD_COUNTS intra-op threads (its default on this 2-core machine is 2; a parallel
reduction sums in another order, and ill-conditioned models such as efficientnet_b4 then move by
2.5x), and each leaf's error is the worst of those runs.
"""

import argparse
import copy
import json
import math
import os
import sys
import time
import traceback
import warnings

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import values  # noqa: E402
from catalog import all_rows, row_by_name, SOURCES  # noqa: E402

CALIBRATION_BATCHES = 3
CALIBRATION_BATCH = 4
TEST_SEED = 1
# Intra-op thread counts PyTorch's own error is measured with (the outputs recorded use the first).
THREAD_COUNTS = (1, 2)


def calibrate_batch_norm(model, row):
    """Running statistics = the average batch statistics of random inputs (other layers stay in eval)."""
    model.eval()
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return 0
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative moving average
        m.train()
    with torch.no_grad():
        for k in range(CALIBRATION_BATCHES):
            torch.manual_seed(100 + k)
            model(*row.inputs(CALIBRATION_BATCH))
    for m in norms:
        m.momentum = 0.1
    model.eval()
    return len(norms)


def double_copy(model, row):
    """A float64 copy of the model. deepcopy refuses modules holding non-leaf tensors (weight_norm's
    computed weight, in wav2vec2/HuBERT): then the builder runs again and takes the model's state."""
    try:
        return copy.deepcopy(model).double()
    except RuntimeError:
        torch.manual_seed(0)
        twin = row.model()
        twin.load_state_dict(model.state_dict())
        return twin.eval().double()


def kind_counts(graph):
    counts = {}

    def visit(block):
        for node in block.nodes():
            counts[node.kind()] = counts.get(node.kind(), 0) + 1
            for b in node.blocks():
                visit(b)

    visit(graph)
    return dict(sorted(counts.items()))


def structure(value):
    """Paths, kinds and shapes of a value's leaves: two values with equal structure compare leaf by leaf."""
    out = []
    for path, leaf in values.leaves(value):
        out.append((path, tuple(leaf.shape) if isinstance(leaf, torch.Tensor) else type(leaf).__name__))
    return out


def widen(t):
    if t.is_complex():
        return t.to(torch.complex128)
    return t.double() if t.is_floating_point() else t


def to_double(value):
    return values.map_tensors(value, widen)


def float_errors(got, reference, atol):
    """PyTorch's own error per float or complex leaf: max |got - reference| (complex: |a - b| of the values).
    Score-ranked records (detections) are first put in the reference's row order within ties
    (values.aligned_leaves; the score tolerance is the score leaf's own error plus atol * (1 + max |ref|)),
    as the zoo's comparison does on tsfreeze's side, so a tie listed the other way is not an error."""
    ref_leaves = dict(values.leaves(reference))

    def errors_of(got_leaves):
        errors = {}
        for path, leaf in got_leaves:
            ref = ref_leaves.get(path)
            if isinstance(leaf, torch.Tensor) and values.is_inexact(leaf) and isinstance(ref, torch.Tensor):
                errors[path] = values.max_error(leaf, ref)
        return errors

    plain = errors_of(values.leaves(got))

    def tolerance(key):
        ref = ref_leaves[key]
        return plain.get(key, 0.0) + atol * (1 + (float(ref.abs().max()) if ref.numel() else 0.0))

    return errors_of(values.aligned_leaves(got, reference, tolerance)[0])


def worst_errors(runs):
    """Per leaf, the largest error over several runs' error dicts (NaN / inf count as the worst)."""
    worst = {}
    for errors in runs:
        for path, e in errors.items():
            e = math.inf if e is None or math.isnan(e) else e
            worst[path] = max(worst.get(path, 0.0), e)
    return worst


def errors_at_threads(path, inputs, reference, threads, atol):
    """PyTorch's float32 errors (original, frozen) when a fresh load of `path` runs, then is frozen and
    runs again, with `threads` intra-op threads: the sequence export_mode records, so a module that
    changes its state on a call is in the same state."""
    saved = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        loaded = torch.jit.load(path).eval()
        with torch.no_grad():
            out = loaded(*inputs)
            frozen = torch.jit.freeze(loaded)
            frozen_out = frozen(*inputs)
        return float_errors(out, reference, atol), float_errors(frozen_out, reference, atol)
    finally:
        torch.set_num_threads(saved)


def compile_module(model, mode, inputs, row):
    if isinstance(model, torch.jit.ScriptModule):
        return model
    if mode == "script":
        return torch.jit.script(model)
    return torch.jit.trace(model, inputs, check_trace=False, strict=row.trace_strict)


def error_text(e):
    text = "%s: %s" % (type(e).__name__, str(e).strip())
    return text[:4000]


def export_mode(model, model64, ref_eager, inputs, row, mode, out_dir):
    """Runs one mode; returns its torch.json (status ok, or the stage where PyTorch failed)."""
    os.makedirs(out_dir, exist_ok=True)
    info = {"mode": mode, "status": "ok", "seconds": {}}
    stage = mode
    try:
        t0 = time.perf_counter()
        compiled = compile_module(model, mode, inputs, row)
        info["seconds"][mode] = time.perf_counter() - t0
        stage = "save"
        path = os.path.join(out_dir, "model.pt")
        torch.jit.save(compiled, path)
        info["model_bytes"] = os.path.getsize(path)
        del compiled
        stage = "load"
        loaded = torch.jit.load(path).eval()
        info["parameters"] = len(list(loaded.parameters()))
        stage = "run"
        with torch.no_grad():
            t0 = time.perf_counter()
            out = loaded(*inputs)
            info["seconds"]["run"] = time.perf_counter() - t0
        values.save_tree(out, out_dir, "output", "outputs.json")
        stage = "freeze"
        t0 = time.perf_counter()
        frozen = torch.jit.freeze(loaded)
        info["seconds"]["freeze"] = time.perf_counter() - t0
        info["frozen_parameters"] = len(list(frozen.parameters()))
        with open(os.path.join(out_dir, "frozen_graph.txt"), "w") as f:
            f.write(str(frozen.graph))
        info["counts"] = kind_counts(frozen.graph)
        stage = "run frozen"
        with torch.no_grad():
            t0 = time.perf_counter()
            frozen_out = frozen(*inputs)
            info["seconds"]["run_frozen"] = time.perf_counter() - t0
        values.save_tree(frozen_out, out_dir, "frozen_output", "frozen_outputs.json")
        stage = "reference"
        reference = ref_eager
        if reference is None or structure(reference) != structure(frozen_out):
            # The compiled model returns another structure than eager (InceptionOutputs in scripting).
            with torch.no_grad():
                reference = compile_module(model64, mode, to_double(inputs), row)(*to_double(inputs))
            info["reference_from"] = mode
        else:
            info["reference_from"] = "eager"
        values.save_tree(reference, out_dir, "reference", "reference.json")
        stage = "threads"
        original_runs = {str(THREAD_COUNTS[0]): float_errors(out, reference, row.atol)}
        frozen_runs = {str(THREAD_COUNTS[0]): float_errors(frozen_out, reference, row.atol)}
        for threads in THREAD_COUNTS[1:]:
            original_runs[str(threads)], frozen_runs[str(threads)] = errors_at_threads(
                path, inputs, reference, threads, row.atol)
        info["torch_error"] = worst_errors(frozen_runs.values())
        info["torch_error_original"] = worst_errors(original_runs.values())
        info["torch_error_by_threads"] = {"frozen": frozen_runs, "original": original_runs}
    except Exception as e:  # PyTorch itself cannot: the table says where and why
        info["status"] = "torch-failed"
        info["stage"] = stage
        info["error"] = error_text(e)
        info["traceback"] = traceback.format_exc()[-6000:]
    with open(os.path.join(out_dir, "torch.json"), "w") as f:
        json.dump(info, f, indent=1)
    return info


def export_row(name, cache):
    row = row_by_name(name)
    out = os.path.join(cache, row.name)
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = row.model()
    summary = {"name": row.name, "family": row.family, "modes": list(row.modes), "note": row.note,
               "atol": row.atol, "builder": row.builder, "torch": torch.__version__}
    summary["calibrated_batch_norms"] = calibrate_batch_norm(model, row) if isinstance(model, nn.Module) and not isinstance(model, torch.jit.ScriptModule) else 0
    torch.manual_seed(TEST_SEED)
    inputs = row.inputs(row.test_batch)
    values.save_tree(list(inputs), out, "input", "inputs.json")
    model64, ref_eager = None, None
    try:
        model64 = double_copy(model, row)
        with torch.no_grad():
            ref_eager = model64(*to_double(inputs))
    except Exception as e:
        summary["eager_reference_error"] = error_text(e)
    summary["results"] = {}
    for mode in row.modes:
        info = export_mode(model, model64, ref_eager, inputs, row, mode, os.path.join(out, mode))
        summary["results"][mode] = {k: info.get(k) for k in ("status", "stage", "error")}
    with open(os.path.join(out, "row.json"), "w") as f:
        json.dump(summary, f, indent=1)


def list_rows():
    rows = [{"name": r.name, "family": r.family, "modes": list(r.modes), "note": r.note, "builder": r.builder}
            for r in all_rows()]
    skipped = {}
    for source in SOURCES:
        skipped.update(getattr(__import__(source), "SKIPPED", {}))
    print(json.dumps({"rows": rows, "skipped": skipped}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--list", action="store_true", help="print the rows as JSON")
    parser.add_argument("--row", help="export this row")
    parser.add_argument("--cache", default=".zoo-cache", help="the cache folder (kept out of git)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if args.list:
        list_rows()
    elif args.row:
        export_row(args.row, args.cache)
    else:
        parser.error("give --list or --row NAME")


if __name__ == "__main__":
    main()
