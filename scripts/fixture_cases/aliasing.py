"""Fixture cases for alias analysis under freezing (issue 11's wrong results and the container audit).

Registered into scripts/generate_fixtures.py's registry (it loads every file of this folder), so each case
gets the usual folder: module.pt, frozen.pt, graphs, and the outputs of calls run in order on the loaded
and the frozen module (state carries over: a mutated attribute shows on the next call). The tests freeze
module.pt with tsfreeze and compare with PyTorch's frozen module, in tsfreeze's interpreter and, after
saving, in torch.jit.load.
"""

from typing import Dict, List

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from fixture_generator import Spec, case, fwd, randn


# ---- issue 11, wrong result 1: lists still being built, reached through another list ----------------
class ListsThroughList(nn.Module):
    """Emformer's _gen_attention_mask in small: `masks` holds lists that a loop appends to afterwards."""

    def __init__(self):
        super().__init__()
        self.use_b = True

    def forward(self, x):
        a: List[Tensor] = []
        b: List[Tensor] = []
        if self.use_b:
            masks = [a, b]
        else:
            masks = [a]
        for i in range(x.size(0)):
            a.append(x[i] * 2.0)
            b.append(x[i] + 1.0)
        return torch.cat([torch.cat(m) for m in masks])


@case("alias_lists_through_list")
def _():
    return Spec(ListsThroughList(), [fwd(randn(3, 2)), fwd(randn(4, 2))],
                "lists appended to in a loop after being put in another list (chosen by an If on an "
                "attribute), then concatenated through it: the appends must survive loading and freezing.",
                ["list mutation through a container", "load-time dead code elimination", "aliasing"])


# ---- issue 11, wrong result 3: a slice of a list holding an attribute, written through ---------------
class SliceMutation(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.ones(3)
        self.v = torch.ones(3)

    def forward(self, x):
        l = [self.w]
        m = l[:]
        m[0].add_(1)
        return x + self.v


@case("alias_list_slice_mutation")
def _():
    x = torch.zeros(3)
    return Spec(SliceMutation(), [fwd(x), fwd(x), fwd(x)],
                "two attributes with separate, equal tensors; forward writes `w` through a slice of a list "
                "holding it: `w` stays an attribute, `v` is folded (and must not be pooled with `w`).",
                ["list slice", "container elements escape", "constant pooling"])


# ---- issue 11, wrong result 2: an operator newer than archive version 4 ------------------------------
class Gelus(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x):
        y = self.lin(x)
        return F.gelu(y, approximate="none") + F.gelu(y, approximate="tanh") + y / 2


@case("archive_version_gelu")
def _():
    return Spec(Gelus(), [fwd(randn(2, 4))],
                "gelu with approximate= (archive format 10) and a division (format 4): the saved frozen "
                "model must claim version 10 in `.data/version`, as torch.jit.save writes it.",
                ["archive version", "gelu approximate"])


# ---- the container audit ---------------------------------------------------------------------------
class DictValues(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)
        self.b = torch.ones(3) * 2
        self.c = torch.ones(3)

    def forward(self, x):
        d: Dict[str, Tensor] = {"a": self.a, "b": self.b}
        d["a"].add_(1)
        return x + d["b"] + self.c + d["a"]


@case("alias_dict_values")
def _():
    x = randn(3)
    return Spec(DictValues(), [fwd(x), fwd(x)],
                "tensors stored as dict values and one written through a lookup: every value of the "
                "dict may be written (kept), the attribute outside it is folded.",
                ["dict values escape", "in-place write through a lookup"])


class TupleElements(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)
        self.b = torch.ones(3)
        self.c = torch.ones(3)

    def forward(self, x):
        t = (self.a, self.b)
        p, q = t
        p.mul_(2)
        return x + q + self.c + p


@case("alias_tuple_elements")
def _():
    x = randn(3)
    return Spec(TupleElements(), [fwd(x), fwd(x)],
                "attributes in a tuple, unpacked, one written in place.",
                ["tuple elements escape", "in-place write after unpacking"])


class ListOfLists(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)
        self.c = torch.ones(3)

    def forward(self, x):
        inner = [self.a]
        outer = [inner, [x]]
        outer[0][0].add_(1)
        return x + self.c + self.a


@case("alias_list_of_lists")
def _():
    x = randn(3)
    return Spec(ListOfLists(), [fwd(x), fwd(x)],
                "an attribute inside a list inside a list, written through two subscripts.",
                ["nested containers", "in-place write"])


class ListThroughMethod(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)
        self.c = torch.ones(3)

    def helper(self, l: List[Tensor]) -> List[Tensor]:
        l.append(self.c)
        return l

    def forward(self, x):
        l = self.helper([self.a])
        l[1].add_(1)
        return x + l[0] + self.c


@case("alias_list_method_return")
def _():
    x = randn(3)
    return Spec(ListThroughMethod(), [fwd(x), fwd(x)],
                "a list passed to a method that appends an attribute and returns it; the caller writes "
                "the appended element.",
                ["lists passed to methods and returned", "append"])


class ExtendInsertPop(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)
        self.b = torch.ones(3)
        self.c = torch.ones(3)
        self.d = torch.ones(3)

    def forward(self, x):
        l: List[Tensor] = []
        l.extend([self.a])
        l.insert(0, self.b)
        l[1] = self.c
        p = l.pop(0)
        p.add_(1)
        l[0].add_(2)
        return x + self.a + self.d + self.b + self.c


@case("alias_list_extend_insert_pop")
def _():
    x = randn(3)
    return Spec(ExtendInsertPop(), [fwd(x), fwd(x)],
                "aten::extend, insert, __setitem__ and pop move attributes through a list; the popped "
                "and the remaining element are written.",
                ["extend", "insert", "pop", "__setitem__"])


class ListCopies(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)
        self.b = torch.ones(3)
        self.c = torch.ones(3)

    def forward(self, x):
        l = [self.a]
        m = list(l) + l.copy() + [self.b]
        m[1].add_(1)
        return x + self.b + self.c + self.a


@case("alias_list_copy")
def _():
    x = randn(3)
    return Spec(ListCopies(), [fwd(x), fwd(x)],
                "list(), .copy() and + make new lists of the same elements; writing through one writes "
                "the attribute.",
                ["list copy", "list concatenation"])


class LoopCarried(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.ones(3)

    def forward(self, x):
        cur = self.w + 0
        for i in range(x.size(0)):
            cur.add_(1)
            cur = torch.zeros(3)
        return x + cur


@case("alias_loop_carried")
def _():
    x = randn(3)
    return Spec(LoopCarried(), [fwd(x), fwd(x)],
                "a loop-carried tensor made fresh in the body is written by the next iteration: the "
                "zeros must not become a constant (the loop runs a number of times known only at run time).",
                ["loop-carried aliasing", "constant propagation in loops"])


class DictBuiltInPlace(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)

    def forward(self, x):
        d: Dict[str, int] = {}
        d["k"] = 2
        d["j"] = 3
        return x * d["k"] + d["j"] + self.a


@case("alias_dict_built_in_place")
def _():
    return Spec(DictBuiltInPlace(), [fwd(randn(3))],
                "a dict of ints filled by __setitem__ and read by key.",
                ["dict built in place", "dict lookups"])
