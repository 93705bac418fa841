"""More container cases for the alias-analysis audit (issue 11): each writes an attribute through a
container or a container operation PyTorch's AliasDb follows, so a freeze that misses the write folds the
attribute and the second call differs. Registered like aliasing.py; the same tests run them (tsfreeze's
freeze against PyTorch's frozen outputs over two calls, then the saved file in torch.jit.load).
"""

from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from torch import Tensor

from fixture_generator import Spec, case, fwd, randn


class _Three(nn.Module):
    """Three attributes holding separate, equal tensors: PyTorch pools folded equal constants, so a
    wrongly folded written attribute shows as a changed result on the second call."""

    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)
        self.b = torch.ones(3)
        self.c = torch.ones(3)


def _two_calls(module, about, tags):
    x = randn(3)
    return Spec(module, [fwd(x), fwd(x)], about, tags)


class DictValuesLoop(_Three):
    def forward(self, x):
        d: Dict[str, Tensor] = {"a": self.a, "b": self.b}
        for v in d.values():
            v.add_(1)
        return x + self.c + self.a + self.b


@case("alias_audit_dict_values_loop")
def _():
    return _two_calls(DictValuesLoop(), "every value of a dict written by a loop over d.values().",
                      ["dict values", "loop over a container"])


class DictItemsLoop(_Three):
    def forward(self, x):
        d: Dict[str, Tensor] = {"a": self.a}
        e = d.copy()
        for k, v in e.items():
            v.mul_(2)
        return x + self.c + self.a


@case("alias_audit_dict_copy_items")
def _():
    return _two_calls(DictItemsLoop(), "a dict copied, its items written in a loop: the copy holds the "
                      "same tensors.", ["dict copy", "dict items"])


class DictUpdate(_Three):
    def forward(self, x):
        d: Dict[str, Tensor] = {}
        d.update({"a": self.a})
        s = d.setdefault("b", self.b)
        s.add_(1)
        d["a"].add_(1)
        return x + self.c + self.a + self.b


@case("alias_audit_dict_update")
def _():
    return _two_calls(DictUpdate(), "dict.update with another dict holding an attribute, written through a "
                      "lookup.", ["dict update"])


class ExtendOther(_Three):
    def forward(self, x):
        m = [self.a]
        l: List[Tensor] = [x]
        l.extend(m)
        l[1].add_(1)
        return x + self.a + self.c


@case("alias_audit_extend_other")
def _():
    return _two_calls(ExtendOther(), "extend's other list holds an attribute; the extended list's element "
                      "is written.", ["extend"])


class TupleFromMethod(_Three):
    def pair(self) -> Tuple[Tensor, Tensor]:
        return (self.a, self.b)

    def forward(self, x):
        p, q = self.pair()
        p.add_(1)
        return x + p + q + self.c


@case("alias_audit_tuple_from_method")
def _():
    return _two_calls(TupleFromMethod(), "a method returns a tuple of attributes; the caller writes one.",
                      ["tuple returned by a method"])


class AppendAfterNesting(_Three):
    def forward(self, x):
        inner: List[Tensor] = []
        outer = [inner]
        inner.append(self.a)
        outer[0][0].add_(1)
        return x + self.a + self.c


@case("alias_audit_append_after_nesting")
def _():
    return _two_calls(AppendAfterNesting(), "an empty list put in another list, then an attribute appended "
                      "to it and written through both subscripts.", ["lists of lists", "append"])


class ListAttrOfTensors(nn.Module):
    def __init__(self):
        super().__init__()
        # Different values: torch.jit.save merges equal tensor constants into one (even a written one),
        # which would make PyTorch's own frozen.pt compute other numbers than its in-memory frozen module.
        self.ts = [torch.ones(3), torch.ones(3) * 2]
        self.c = torch.ones(3) * 3

    def forward(self, x):
        self.ts[0].add_(1)
        return x + self.ts[1] + self.ts[0] + self.c


@case("alias_audit_list_attr_of_tensors")
def _():
    return _two_calls(ListAttrOfTensors(), "a List[Tensor] attribute whose first element is written in place.",
                      ["list attribute", "in-place write"])


class ListAttrOfInts(nn.Module):
    def __init__(self):
        super().__init__()
        self.sizes = [1, 2]

    def forward(self, x):
        l = self.sizes
        l.append(len(l))
        return x * len(self.sizes) + l[-1]


@case("alias_audit_list_attr_of_ints")
def _():
    return _two_calls(ListAttrOfInts(), "a List[int] attribute appended to: the list grows with every call.",
                      ["list attribute", "append"])


class OptionalAttr(_Three):
    def __init__(self):
        super().__init__()
        self.o: Optional[Tensor] = torch.ones(3)

    def forward(self, x):
        o = self.o
        if o is not None:
            o.add_(1)
        return x + self.c + self.a + (self.o if self.o is not None else self.b)


@case("alias_audit_optional_attr")
def _():
    return _two_calls(OptionalAttr(), "an Optional[Tensor] attribute refined and written.",
                      ["optional refinement", "unchecked cast"])


class LoopOverList(_Three):
    def forward(self, x):
        l = [self.a, self.b]
        for t in l:
            t.mul_(2)
        return x + self.a + self.b + self.c


@case("alias_audit_loop_over_list")
def _():
    return _two_calls(LoopOverList(), "a for loop over a list of attributes writes each.",
                      ["loop over a list"])


class ReverseClear(_Three):
    def forward(self, x):
        l = [self.a, self.b]
        l.reverse()
        l[0].add_(1)
        m = [self.c]
        m.clear()
        m.append(self.b)
        m[0].add_(1)
        return x + self.a + self.b + self.c


@case("alias_audit_reverse_clear")
def _():
    return _two_calls(ReverseClear(), "reverse and clear keep (or drop) the list's elements; writes through "
                      "them reach the attributes.", ["reverse", "clear"])


class MethodReturnsNewList(_Three):
    def get(self) -> List[Tensor]:
        return [self.a]

    def forward(self, x):
        l = self.get()
        l.append(x)
        l[0].add_(1)
        return x + self.a + self.c


@case("alias_audit_method_returns_list")
def _():
    return _two_calls(MethodReturnsNewList(), "a method builds a list of an attribute; the caller appends "
                      "and writes the element.", ["lists returned by methods"])


class CopyOfListOfLists(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)

    def forward(self, x):
        outer = [[x]]
        o2 = outer.copy()
        o2[0].append(self.a * 2)
        return torch.cat(outer[0])


@case("alias_audit_copy_of_list_of_lists")
def _():
    return _two_calls(CopyOfListOfLists(), "a shallow copy of a list of lists: appending to an inner list "
                      "through the copy shows through the original.", ["copy.t", "lists of lists", "append"])


class PopDefault(_Three):
    def forward(self, x):
        l = [x, self.a]
        p = l.pop()
        p.add_(1)
        q = [self.b, x][-2]
        q.add_(1)
        return x + self.a + self.b + self.c


@case("alias_audit_pop_negative_index")
def _():
    return _two_calls(PopDefault(), "pop() without an index and a negative subscript hand out attributes "
                      "that are written.", ["pop", "negative index"])


class Comprehension(_Three):
    def forward(self, x):
        l = [t for t in [self.a, self.b]]
        l[0].add_(1)
        return x + self.a + self.b + self.c


@case("alias_audit_comprehension")
def _():
    return _two_calls(Comprehension(), "a list comprehension over attributes (a loop appending to a new "
                      "list); its element is written.", ["list comprehension", "append in a loop"])


class LoopCarriedList(_Three):
    def forward(self, x):
        cur = [self.a]
        for i in range(x.size(0)):
            cur = [cur[0]]
        cur[0].add_(1)
        return x + self.a + self.c


@case("alias_audit_loop_carried_list")
def _():
    return _two_calls(LoopCarriedList(), "a loop-carried list rebuilt each iteration from its own element; "
                      "written after the loop.", ["loop-carried containers"])


class Rotation(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.ones(3)
        self.c = torch.ones(3)

    def forward(self, x):
        a = self.w
        b = x + 1
        c = x + 2
        d = x + 3
        e = x + 4
        f = x + 5
        for i in range(x.size(0) * 2):
            a, b, c, d, e, f = b, c, d, e, f, a
        f.add_(1)
        return x + self.w + self.c + a + b + c + d + e + f


@case("alias_audit_loop_rotation")
def _():
    x = randn(3)
    return Spec(Rotation(), [fwd(x), fwd(x)], "six loop-carried values rotated once per iteration: the "
                "attribute can reach any of them, so a fixpoint over the loop needs more than five passes.",
                ["loop fixpoint", "loop-carried aliasing"])


class WriteBeforeAppendInLoop(_Three):
    def forward(self, x):
        l: List[Tensor] = [x]
        for i in range(3):
            if i == 2:
                l[1].add_(1)
            if i == 0:
                l.append(self.a)
        return x + self.a + self.c


@case("alias_audit_write_before_append_in_loop")
def _():
    return _two_calls(WriteBeforeAppendInLoop(), "in a loop, an element is written on a later iteration than "
                      "the one that appended the attribute.", ["loop", "append", "write order"])


# ---- containers of non-tensors and fresh tensors: folding must see every mutation ------------------
def _two(m, about):
    x = randn(3)
    return Spec(m, [fwd(x), fwd(-x)], about, ["container audit"])

class Q2(nn.Module):
    def forward(self, x):
        a = [x]
        b = [x]
        a.append(x)
        return x * len(b) + len(a)
@case("alias_audit_q2_cse_lists")
def _():
    return _two(Q2(), "two equal list constructs, one appended to: CSE must keep them apart.")

class Q3(nn.Module):
    def forward(self, x):
        l = [1]
        for i in range(x.size(0)):
            l.append(i)
        return x * len(l)
@case("alias_audit_q3_len_after_loop")
def _():
    return _two(Q3(), "a list appended to in a loop of unknown trip count: its length is not a constant.")

class Q4(nn.Module):
    def forward(self, x):
        d = {"a": 1}
        if bool(x.sum() > 0):
            d["a"] = 2
        return x * d["a"]
@case("alias_audit_q4_dict_setitem_if")
def _():
    return _two(Q4(), "a dict entry overwritten under a run-time condition: the lookup is not folded.")

class Q5(nn.Module):
    def forward(self, x):
        l = [1, 2]
        if bool(x.sum() > 0):
            l.insert(0, 5)
        return x * l[0] + len(l)
@case("alias_audit_q5_insert_if")
def _():
    return _two(Q5(), "insert under a run-time condition: the first element and the length are not folded.")

class Q6(nn.Module):
    def forward(self, x):
        t = ([1], 2)
        t[0].append(3)
        return x * len(t[0]) + t[1]
@case("alias_audit_q6_tuple_of_list")
def _():
    return _two(Q6(), "a list inside a tuple appended to through the tuple.")

class Q11(nn.Module):
    def forward(self, x):
        l = [x.size(0)]
        l2 = l
        l2[0] = 5
        return x * l[0]
@case("alias_audit_q11_setitem_alias")
def _():
    return _two(Q11(), "__setitem__ through a second name of the same list.")

class Q12(nn.Module):
    def forward(self, x):
        l = [3, 1, 2]
        l.sort()
        return x * l[0] + l[2]
@case("alias_audit_q12_sort")
def _():
    return _two(Q12(), "list.sort in place on an int list.")

class Q16(nn.Module):
    def forward(self, x):
        l = [x]
        if bool(x.sum() > 0):
            l.append(x * 2)
        return torch.cat(l)
@case("alias_audit_q16_cat_after_if_append")
def _():
    return _two(Q16(), "a tensor list appended to under a run-time condition, then concatenated.")

class Q17(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)
    def forward(self, xs: List[Tensor]):
        xs.append(self.a)
        xs[-1].add_(1)
        return torch.stack(xs)
@case("alias_audit_q17_input_list")
def _():
    x = randn(3)
    return Spec(Q17(), [fwd([x]), fwd([x])], "a list input appended with an attribute that is then written through the list.",
                ["container audit"])

class Q19(nn.Module):
    def forward(self, x):
        l = [1, 2]
        l.extend(l)
        return x * len(l) + l[3]
@case("alias_audit_q19_extend_self")
def _():
    return _two(Q19(), "extend of a list with itself.")

class Q20(nn.Module):
    def forward(self, x):
        l = [1, 2]
        m = l + [3]
        m.append(4)
        n = l[:]
        n.append(5)
        k = l.copy()
        k[0] = 7
        return x * len(l) + l[0] + len(m)
@case("alias_audit_q20_fresh_lists")
def _():
    return _two(Q20(), "slice, copy and + make fresh lists: mutating them leaves the original.")

class Q21(nn.Module):
    def forward(self, x):
        l: List[int] = []
        for i in range(4):
            if i % 2 == 0:
                l.append(i)
            else:
                l[-1] = l[-1] + 10
        return x * l[0] + l[1]
@case("alias_audit_q21_unrolled_mutation")
def _():
    return _two(Q21(), "a loop that unrolls, appending and overwriting elements (remove-list-mutation's ground).")

class Q22(nn.Module):
    def forward(self, x):
        l = [x.size(0), 2]
        l.pop()
        r = l.pop()
        l.append(7)
        return x * r + len(l) + l[0]
@case("alias_audit_q22_pop_len")
def _():
    return _two(Q22(), "pop twice then append: the lengths and elements follow the mutations.")

class Q23(nn.Module):
    def forward(self, x):
        d: Dict[str, List[int]] = {"a": [1]}
        v = d["a"]
        v.append(2)
        return x * len(d["a"])
@case("alias_audit_q23_dict_of_list")
def _():
    return _two(Q23(), "a list held as a dict value, appended to through a lookup.")

class Q24(nn.Module):
    def forward(self, x):
        ys = [x + 1, x + 2]
        z = ys[0]
        z.add_(10)
        return ys[0] + ys[1] + z
@case("alias_audit_q24_fresh_in_list_written")
def _():
    return _two(Q24(), "fresh tensors in a list, one written in place through a subscript.")

class Q25(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)
        self.b = torch.ones(3) * 2
    def forward(self, x):
        outs: List[Tensor] = []
        for t in [self.a, self.b]:
            outs.append(t)
        outs[1].mul_(2)
        return x + self.b + self.a
@case("alias_audit_q25_loop_append_attrs")
def _():
    return _two(Q25(), "attributes appended to a new list in a loop over a list literal, then written.")

class Q26(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)
        self.b = torch.ones(3) * 2
    def forward(self, x):
        t = [self.a, self.b]
        u = torch.jit.annotate(List[Tensor], [])
        for i in range(len(t)):
            u.insert(0, t[i])
        u[0].add_(1)
        return x + self.b + self.a
@case("alias_audit_q26_insert_loop")
def _():
    return _two(Q26(), "attributes inserted at the front of a list in a loop, then written.")

class Q28(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.ones(3)
        self.b = torch.ones(3) * 2
    def forward(self, x):
        d = {0: self.a}
        d[1] = self.b
        e = dict(d)
        for k in e.keys():
            e[k].add_(1)
        return x + self.b + self.a
@case("alias_audit_q28_dict_ctor_keys")
def _():
    return _two(Q28(), "dict(d) copies a dict of attributes; a loop over its keys writes them.")
