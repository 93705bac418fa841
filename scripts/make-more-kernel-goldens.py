#!/usr/bin/python3
"""PyTorch 1.13 reference results for the kernels added for the sweep's last uncovered operators (einsum,
antialiased resize, losses, broadcast_tensors, unique_dim, out= variants), in the format of
scripts/make-kernel-goldens.py (index.json + .npy), written to test/fixtures/_kernels_more/ and checked by
test/runtime/kernel-goldens.test.ts. A case whose call raises records PyTorch's error message instead.

  /usr/bin/python3 scripts/make-more-kernel-goldens.py
"""

import importlib.util
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("aten_goldens", os.path.join(HERE, "make-kernel-goldens.py"))
g = importlib.util.module_from_spec(spec)
spec.loader.exec_module(g)
g.OUT = os.path.join(HERE, "..", "test", "fixtures", "_kernels_more")
r = g.r


def case(label, schema_name, args, atol=1e-5, rtol=1e-5):
    try:
        g.case(label, schema_name, args, atol, rtol)
    except RuntimeError as e:
        g.cases.append({
            "name": label,
            "op": schema_name,
            "args": [g.enc(a) for a in args],
            "error": str(e).split("\n")[0],
            "outputs": [],
            "atol": atol,
            "rtol": rtol,
        })


def einsum_cases():
    E = "aten::einsum"
    # maxvit's attention (upper-case labels and spaces), then the equation forms torch.einsum accepts.
    q, k = r(2, 3, 2, 5, 4), r(2, 3, 2, 6, 4)
    case("maxvit dot product", E, ["B G H I D, B G H J D -> B G H I J", [q, k], None])
    case("maxvit weighted sum", E, ["B G H I J, B G H J D -> B G H I D", [r(2, 3, 2, 5, 6), k], None])
    case("matmul implicit", E, ["ij,jk", [r(3, 4), r(4, 5)], None])
    case("batched transposed", E, ["bji,bjk->bik", [r(2, 4, 3), r(2, 4, 5)], None])
    case("outer product", E, ["i,j->ij", [r(3), r(4)], None])
    case("dot product", E, ["i,i->", [r(7), r(7)], None])
    case("trace", E, ["ii", [r(4, 4)], None])
    case("diagonal", E, ["ii->i", [r(4, 4)], None])
    case("repeated label kept and summed", E, ["iij->ji", [r(3, 3, 2)], None])
    case("transpose view", E, ["ij->ji", [r(2, 3)], None])
    case("sum out", E, ["ijk->j", [r(2, 3, 4)], None])
    case("bilinear", E, ["bn,anm,bm->ba", [r(2, 3), r(4, 3, 5), r(2, 5)], None])
    case("three operands chain", E, ["ab,bc,cd->ad", [r(2, 3), r(3, 4), r(4, 5)], None])
    case("label used by first and third", E, ["ab,cd,bd->ac", [r(2, 3), r(4, 5), r(3, 5)], None])
    case("ellipsis batch matmul", E, ["...ij,...jk->...ik", [r(2, 1, 3, 4), r(5, 4, 2)], None])
    case("ellipsis implicit", E, ["...ij,jk", [r(4, 1, 2, 3), r(3, 5)], None])
    case("ellipsis summed", E, ["...ij->ij", [r(2, 3, 4)], None])
    case("ellipsis middle", E, ["i...j,j->i...", [r(2, 3, 4, 5), r(5)], None])
    case("ellipsis covers nothing", E, ["...i,i->...", [r(3), r(3)], None])
    case("broadcast size 1 batch", E, ["bij,bjk->bik", [r(1, 2, 3), r(4, 3, 5)], None])
    case("broadcast size 1 contracted", E, ["ij,jk->ik", [r(2, 1), r(3, 4)], None])
    case("upper before lower implicit", E, ["bA,Ab", [r(2, 3), r(3, 2)], None])
    case("hadamard", E, ["ij,ij->ij", [r(2, 3), r(1, 3)], None])
    case("scalar operand", E, ["->", [torch.tensor(2.5)], None])
    case("empty contraction", E, ["ij,jk->ik", [r(2, 0), r(0, 3)], None])
    case("float64", E, ["ij,kj->ik", [r(3, 4).double(), r(2, 4).double()], None], 1e-12, 1e-12)
    case("int64 matmul", E, ["ij,jk->ik", [torch.randint(-5, 5, (2, 3)), torch.randint(-5, 5, (3, 4))], None])
    case("int32 sum promotes", E, ["ij->", [torch.randint(-5, 5, (2, 3), dtype=torch.int32)], None])
    case("int32 matmul stays", E, ["ij,jk->ik", [torch.randint(-5, 5, (2, 3), dtype=torch.int32),
                                               torch.randint(-5, 5, (3, 4), dtype=torch.int32)], None])
    case("with path", E, ["ab,bc,cd->ad", [r(2, 3), r(3, 4), r(4, 5)], [1, 2, 0, 1]])
    # Errors PyTorch raises.
    case("error: too few operands", E, ["ij,jk", [r(2, 3)], None])
    case("error: too many operands", E, ["ij", [r(2, 3), r(3)], None])
    case("error: bad subscript", E, ["i1", [r(2, 3)], None])
    case("error: lone dot", E, ["i.j", [r(2, 3)], None])
    case("error: two ellipses", E, ["...i...", [r(2, 3)], None])
    case("error: rank mismatch", E, ["ij", [r(2, 3, 4)], None])
    case("error: unknown output", E, ["ij->k", [r(2, 3)], None])
    case("error: repeated output", E, ["ij->ii", [r(2, 3)], None])
    case("error: repeated sizes", E, ["ii", [r(2, 3)], None])
    case("error: sizes do not broadcast", E, ["ij,jk", [r(2, 3), r(4, 2)], None])
    case("error: half bmm", E, ["ij,jk", [r(2, 3).half(), r(3, 2).half()], None])
    case("swapaxes", "aten::swapaxes", [r(2, 3, 4), -2, -3])
    case("swapdims", "aten::swapdims", [r(2, 3, 4), 0, 2])


def build():
    einsum_cases()


if __name__ == "__main__":
    g.build = build
    g.IR_VALUES, g.REPR_VALUES = [], []
    g.main()
