"""Value trees on disk: a JSON description plus one .npy file per tensor.

The same format tsfreeze's `run --output-dir` writes (outputs.json) and the zoo runner reads, so a
value written by one side is read back by the other without loss:

  {"kind": "tensor", "file": "output0.boxes.npy", "dtype": "float32", "shape": [3, 4]}
  {"kind": "int" | "float" | "bool" | "str" | "device", "value": ...}      {"kind": "none"}
  {"kind": "list" | "tuple", "items": [...]}
  {"kind": "namedtuple", "name": "InceptionOutputs", "fields": ["logits", "aux_logits"], "items": [...]}
  {"kind": "dict", "items": [{"key": <tree>, "value": <tree>}, ...]}

Tensor files are named after their path in the tree (output0.boxes.npy, input0.1.npy); a float is
written with repr() so it reads back bit for bit (nan/inf as the strings "nan", "inf", "-inf").
"""

import json
import math
import os
import re

import numpy as np
import torch


def _float_json(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def _float_from_json(v):
    return float(v) if isinstance(v, str) else v


def _safe(part):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", str(part))


def encode(value, directory, stem):
    """Writes the tensors of `value` under `directory` as <stem>[.path].npy; returns the JSON tree."""
    if isinstance(value, torch.Tensor):
        file = stem + ".npy"
        t = value.detach().contiguous()
        np.save(os.path.join(directory, file), t.numpy())
        return {"kind": "tensor", "file": file, "dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape)}
    if value is None:
        return {"kind": "none"}
    if isinstance(value, torch.device):
        return {"kind": "device", "value": str(value)}
    if isinstance(value, bool):
        return {"kind": "bool", "value": value}
    if isinstance(value, int):
        return {"kind": "int", "value": value}
    if isinstance(value, float):
        return {"kind": "float", "value": _float_json(value)}
    if isinstance(value, str):
        return {"kind": "str", "value": value}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        items = [encode(v, directory, "%s.%s" % (stem, _safe(f))) for f, v in zip(value._fields, value)]
        return {"kind": "namedtuple", "name": type(value).__name__, "fields": list(value._fields), "items": items}
    if isinstance(value, (list, tuple)):
        items = [encode(v, directory, "%s.%d" % (stem, i)) for i, v in enumerate(value)]
        return {"kind": "list" if isinstance(value, list) else "tuple", "items": items}
    if isinstance(value, dict):
        items = [
            {"key": encode(k, directory, "%s.key%d" % (stem, i)), "value": encode(v, directory, "%s.%s" % (stem, _safe(k)))}
            for i, (k, v) in enumerate(value.items())
        ]
        return {"kind": "dict", "items": items}
    raise TypeError("cannot encode a value of type %s" % type(value).__name__)


def decode(tree, directory):
    """The value a JSON tree describes (named tuples come back as plain tuples)."""
    kind = tree["kind"]
    if kind == "tensor":
        return torch.from_numpy(np.load(os.path.join(directory, tree["file"]))).clone()
    if kind == "none":
        return None
    if kind == "float":
        return _float_from_json(tree["value"])
    if kind == "int":
        return int(tree["value"])  # ints beyond 2^53 are written as strings
    if kind in ("bool", "str"):
        return tree["value"]
    if kind == "device":
        return torch.device(tree["value"])
    if kind == "list":
        return [decode(t, directory) for t in tree["items"]]
    if kind in ("tuple", "namedtuple"):
        return tuple(decode(t, directory) for t in tree["items"])
    if kind == "dict":
        return {decode(e["key"], directory): decode(e["value"], directory) for e in tree["items"]}
    raise ValueError("unknown value kind " + kind)


def save_tree(value, directory, stem, json_name):
    """encode() plus the JSON file; returns the tree."""
    tree = encode(value, directory, stem)
    with open(os.path.join(directory, json_name), "w") as f:
        json.dump(tree, f, indent=1)
    return tree


def load_tree(directory, json_name):
    with open(os.path.join(directory, json_name)) as f:
        return decode(json.load(f), directory)


def map_tensors(value, fn):
    """The same structure with fn applied to every tensor."""
    if isinstance(value, torch.Tensor):
        return fn(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*[map_tensors(v, fn) for v in value])
    if isinstance(value, (list, tuple)):
        return type(value)(map_tensors(v, fn) for v in value)
    if isinstance(value, dict):
        return {k: map_tensors(v, fn) for k, v in value.items()}
    return value


def leaves(value, path="output"):
    """(path, leaf) for every non-container value, in tree order. Paths are what the TypeScript runner
    builds too: positions for lists and (named) tuples, str(key) for dicts."""
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from leaves(v, "%s.%d" % (path, i))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, "%s.%s" % (path, k))
    else:
        yield path, value


def is_inexact(t):
    """Float and complex tensors: the ones compared with a tolerance, not exactly."""
    return t.is_floating_point() or t.is_complex()


def max_error(got, ref):
    """Largest |got - ref| over a float or complex tensor (complex: the modulus of the difference; inf
    when shapes differ or only one side is finite)."""
    if got.shape != ref.shape:
        return math.inf
    if got.numel() == 0:
        return 0.0
    wide = torch.complex128 if got.is_complex() or ref.is_complex() else torch.float64
    g = got.to(wide)
    r = ref.to(wide)
    same = (g == r) | (torch.isnan(g) & torch.isnan(r))
    diff = (g - r).abs()
    diff[same] = 0
    return float(diff.max()) if not torch.isnan(diff).any() else math.inf


def record_groups(reference_leaves):
    """Score-ranked records (test/zoo/record-alignment.ts has the rule): per container, exactly one 1-D
    float leaf of length N >= 2 sorted high to low (the key), and every tensor leaf with N rows.
    Returns [(key_path, [row paths])]."""
    by_parent = {}
    for path, leaf in reference_leaves:
        if isinstance(leaf, torch.Tensor):
            by_parent.setdefault(path.rsplit(".", 1)[0], []).append((path, leaf))
    groups = []
    for items in by_parent.values():
        keys = [p for p, t in items if t.is_floating_point() and t.dim() == 1 and t.shape[0] >= 2
                and bool((t[1:] <= t[:-1]).all())]
        if len(keys) != 1:
            continue
        n = dict(items)[keys[0]].shape[0]
        rows = [p for p, t in items if t.dim() >= 1 and t.shape[0] == n]
        if len(rows) >= 2:
            groups.append((keys[0], rows))
    return groups


def align_records(got_leaves, ref_leaves, key, rows, tolerance):
    """The permutation putting got's rows in the reference's order (perm[i] = got row at reference row i):
    a row may only go where the reference's score is within `tolerance` of its own and its integer and
    bool values equal the reference's; the nearest float values first, then the same position. None when
    some reference row has no match."""
    got, ref = dict(got_leaves), dict(ref_leaves)
    n = ref[key].shape[0]
    if any(not isinstance(got.get(p), torch.Tensor) or got[p].shape[0] != n for p in rows):
        return None
    exact = [p for p in rows if not is_inexact(ref[p])]
    inexact = [p for p in rows if p != key and is_inexact(ref[p])]
    ref_key, got_key = ref[key].double().numpy(), got[key].double().numpy()
    rows_of = lambda t: t.reshape(n, -1).to(torch.complex128 if t.is_complex() else torch.float64).numpy()
    got_exact, ref_exact = [rows_of(got[p]) for p in exact], [rows_of(ref[p]) for p in exact]
    got_inexact, ref_inexact = [rows_of(got[p]) for p in inexact], [rows_of(ref[p]) for p in inexact]
    used = np.zeros(n, dtype=bool)
    perm = []
    for i in range(n):
        ok = ~used & (np.abs(got_key - ref_key[i]) <= tolerance)
        for g, r in zip(got_exact, ref_exact):
            ok &= ((g == r[i]) | (np.isnan(g) & np.isnan(r[i]))).all(axis=1)
        candidates = np.nonzero(ok)[0]
        if len(candidates) == 0:
            return None
        # The nearest float values (boxes) win; staying in place only breaks ties. Two detections with equal
        # labels whose scores swapped (keypointrcnn: 0.38867366 / 0.38867342) must follow their boxes.
        cost = np.zeros(len(candidates))
        for g, r in zip(got_inexact, ref_inexact):
            cost = np.maximum(cost, np.nan_to_num(np.abs(g[candidates] - r[i]), nan=np.inf).max(axis=1))
        nearest = candidates[cost == cost.min()]
        best = i if i in nearest else int(nearest[0])
        used[best] = True
        perm.append(best)
    return perm


def aligned_leaves(got, reference, tolerances):
    """got's leaves with the rows of every record group put in the reference's order, and the paths of the
    aligned groups' rows (groups that cannot be aligned stay as they are, their paths not listed).
    `tolerances(key_path)` gives the score tolerance of a group."""
    got_leaves, ref_leaves = list(leaves(got)), list(leaves(reference))
    out = dict(got_leaves)
    aligned = set()
    for key, rows in record_groups(ref_leaves):
        perm = align_records(got_leaves, ref_leaves, key, rows, tolerances(key))
        if perm is not None:
            index = torch.tensor(perm, dtype=torch.long)
            for p in rows:
                out[p] = out[p].index_select(0, index)
            aligned.update(rows)
    return [(p, out[p]) for p, _ in got_leaves], aligned
