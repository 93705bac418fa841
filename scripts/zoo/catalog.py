"""The zoo's rows: what to build, with which inputs, in which modes.

A row is one model builder (or hand-written module) with a function that makes its example inputs.
Rows come from the modules named in SOURCES; each such module defines `ROWS`, a list of Row. To add
rows (torchaudio, hand-written TorchScript, ...) write `scripts/zoo/rows_<topic>.py` with a ROWS list
and add its module name to SOURCES. See /work/coord/notes.md ("zoo: how to add a row").
"""

import dataclasses
import importlib
from typing import Any, Callable, Dict, Optional, Tuple

import torch

# Modules (in scripts/zoo/) whose ROWS make up the sweep, in table order.
SOURCES = ["rows_torchvision", "rows_nn", "rows_tiny", "rows_handwritten", "rows_torchaudio"]


@dataclasses.dataclass
class Row:
    """One model of the sweep.

    name:    unique, used as the cache folder and in docs/zoo.md (e.g. "resnet18", "nn.LSTM")
    family:  the table section ("classification", "detection", "nn", "torchaudio", ...)
    model:   () -> torch.nn.Module (random init; called after torch.manual_seed(0)) or a ScriptModule
             (hand-written TorchScript: then it is saved as is and only the "script" mode applies)
    inputs:  (batch) -> tuple of positional arguments of forward; called after torch.manual_seed(seed)
             for the test input (batch = test_batch) and for BatchNorm calibration (batch = 4)
    modes:   which of "script" / "trace" to sweep
    trace_strict: torch.jit.trace(strict=...) (False lets a traced forward return dicts/lists)
    atol:    the absolute slack of the output check, times (1 + max |reference|)
    note:    a line shown in docs/zoo.md (e.g. why an input size was chosen)
    """

    name: str
    family: str
    model: Callable[[], Any]
    inputs: Callable[[int], Tuple[Any, ...]]
    modes: Tuple[str, ...] = ("script", "trace")
    test_batch: int = 1
    trace_strict: bool = True
    atol: float = 1e-5
    note: str = ""
    builder: Optional[str] = None


def image(c, h, w):
    """inputs() for a single image tensor input of shape (batch, c, h, w)."""
    return lambda batch: (torch.randn(batch, c, h, w),)


def all_rows():
    rows = []
    for source in SOURCES:
        rows.extend(importlib.import_module(source).ROWS)
    names = [r.name for r in rows]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError("duplicate zoo rows: " + ", ".join(duplicates))
    return rows


def row_by_name(name) -> Row:
    for r in all_rows():
        if r.name == name:
            return r
    raise KeyError("no zoo row named %r (see scripts/zoo/export.py --list)" % name)
