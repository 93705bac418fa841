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
    except (RuntimeError, IndexError) as e:
        g.cases.append({
            "name": label,
            "op": schema_name,
            "args": [g.enc(a) for a in args],
            # TORCH_CHECK's boilerplate suffix is not part of the message we compare.
            "error": str(e).split("\n")[0].split("  (Could this error message be improved?")[0],
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


def loss_cases():
    CE = "aten::cross_entropy_loss"
    logits, labels = r(6, 4), torch.tensor([0, 3, 1, 1, 2, 3])
    w = torch.rand(4) + 0.5
    for red in (0, 1, 2):
        case("cross_entropy indices reduction %d" % red, CE, [logits, labels, None, red, -100, 0.0])
        case("cross_entropy weight reduction %d" % red, CE, [logits, labels, w, red, -100, 0.0])
        case("cross_entropy smoothing reduction %d" % red, CE, [logits, labels, None, red, 1, 0.2])
        case("cross_entropy weight smoothing ignore reduction %d" % red, CE, [logits, labels, w, red, 3, 0.1])
        case("cross_entropy probabilities reduction %d" % red, CE, [logits, torch.softmax(r(6, 4), 1), None, red, -100, 0.0])
        case("cross_entropy probabilities weight smoothing %d" % red, CE, [logits, torch.softmax(r(6, 4), 1), w, red, -100, 0.3])
    case("cross_entropy spatial", CE, [r(2, 3, 4, 5), torch.randint(0, 3, (2, 4, 5)), None, 1, -100, 0.0])
    case("cross_entropy unbatched", CE, [r(5), torch.tensor(2), None, 1, -100, 0.0])
    case("cross_entropy all ignored", CE, [logits, torch.full((6,), -100), None, 1, -100, 0.0])
    case("cross_entropy double", CE, [logits.double(), labels, w.double(), 1, -100, 0.0], 1e-12, 1e-12)
    case("error: cross_entropy target out of bounds", CE, [logits, torch.tensor([0, 4, 1, 1, 2, 3]), None, 1, -100, 0.0])
    case("nll_loss ignore", "aten::nll_loss", [torch.log_softmax(logits, 1), labels, w, 1, 1])
    BCE = "aten::binary_cross_entropy_with_logits"
    x, y = r(3, 5) * 4, torch.rand(3, 5)
    for red in (0, 1, 2):
        case("bce_with_logits reduction %d" % red, BCE, [x, y, None, None, red])
        case("bce_with_logits weight pos_weight reduction %d" % red, BCE, [x, y, torch.rand(5), torch.rand(5) * 3, red])
    case("bce_with_logits large logits", BCE, [torch.tensor([-100.0, -30.0, 0.0, 30.0, 100.0]), torch.tensor([0.0, 1.0, 0.5, 0.0, 1.0]), None, None, 0])
    case("bce_with_logits broadcast weight", BCE, [x, y, torch.rand(3, 1), None, 1])
    SL1 = "aten::smooth_l1_loss"
    a, b = r(4, 3) * 2, r(4, 3) * 2
    for red in (0, 1, 2):
        case("smooth_l1 reduction %d" % red, SL1, [a, b, red, 1.0])
    case("smooth_l1 beta 1/9 (torchvision)", SL1, [a, b, 2, 1.0 / 9])
    case("smooth_l1 beta 0", SL1, [a, b, 1, 0.0])
    case("smooth_l1 broadcast", SL1, [a, r(3), 0, 0.5])
    case("smooth_l1 double", SL1, [a.double(), b.double(), 1, 2.0], 1e-12, 1e-12)


def misc_cases():
    B = "aten::broadcast_tensors"
    case("broadcast_tensors", B, [[r(3, 1), r(4), torch.tensor(2)]])
    case("error: broadcast_tensors", B, [[r(3), r(4)]])
    U = "aten::unique_dim"
    rows = torch.tensor([[1, 2], [0, 5], [1, 2], [0, 1], [0, 5]])
    case("unique_dim rows", U, [rows, 0, True, True, True])
    case("unique_dim columns flags off", U, [rows, 1, False, False, False])
    case("unique_dim negative dim 3-d", U, [torch.randint(0, 2, (2, 3, 4)).float(), -1, True, True, True])
    case("unique_dim 1-d", U, [torch.tensor([3.0, 1.0, 3.0, -2.0]), 0, True, True, True])
    case("unique_dim bool", U, [torch.tensor([[True, False], [True, False], [False, False]]), 0, True, True, True])
    case("unique_dim empty selected", U, [torch.zeros(0, 3), 0, True, True, True])
    case("error: unique_dim empty other dim", U, [torch.zeros(2, 0), 0, True, True, True])
    UC = "aten::unique_dim_consecutive"
    case("unique_dim_consecutive", UC, [torch.tensor([[1, 2], [1, 2], [0, 5], [1, 2]]), 0, True, True])


def antialias_cases():
    img = r(2, 3, 17, 23)
    for mode in ("bilinear", "bicubic"):
        op = "aten::_upsample_%s2d_aa.vec" % mode
        case("%s aa downscale" % mode, op, [img, [7, 5], False, None])
        case("%s aa downscale align_corners" % mode, op, [img, [6, 9], True, None])
        case("%s aa upscale" % mode, op, [r(1, 2, 4, 5), [9, 11], False, None])
        case("%s aa mixed, width unchanged" % mode, op, [img, [30, 23], False, None])
        case("%s aa scale factors" % mode, op, [img, None, False, [0.3, 0.45]])
        case("%s aa to one pixel" % mode, op, [img, [1, 1], False, None])
        case("%s aa to one pixel align_corners" % mode, op, [img, [1, 3], True, None])
        case("%s aa double" % mode, op, [img.double(), [8, 10], False, None], 1e-10, 1e-10)
        case("%s aa plain overload with scales" % mode, "aten::_upsample_%s2d_aa" % mode, [img, [8, 10], False, 0.5, 0.4])
        case("error: %s aa integer input" % mode, op, [torch.randint(0, 9, (1, 1, 4, 4)).to(torch.uint8), [2, 2], False, None])


def random_cases():
    # Only outcomes that do not depend on the random stream (tsfreeze's generator is not torch's): degenerate
    # distributions, shapes and dtypes of empty results, and the argument checks.
    case("bernoulli_ p=1", "aten::bernoulli_.float", [torch.zeros(2, 3), 1.0, None])
    case("bernoulli_ p=0 int64", "aten::bernoulli_.float", [torch.ones(4, dtype=torch.int64), 0.0, None])
    case("bernoulli_ tensor p 0/1 broadcast", "aten::bernoulli_.Tensor", [torch.zeros(2, 3), torch.tensor([1.0, 0.0, 1.0]), None])
    case("bernoulli p 0/1", "aten::bernoulli", [torch.tensor([[0.0, 1.0], [1.0, 1.0]], dtype=torch.float64), None])
    case("uniform_ empty range", "aten::uniform_", [torch.zeros(3), 2.5, 2.5, None])
    case("normal_ std 0", "aten::normal_", [torch.zeros(2, 2, dtype=torch.float64), 1.5, 0.0, None])
    case("randperm 0", "aten::randperm", [0, None, None, None, None])
    case("randperm 1 float", "aten::randperm", [1, torch.float32, None, None, None])
    case("multinomial one non-zero", "aten::multinomial", [torch.tensor([[0.0, 3.0, 0.0], [0.0, 0.0, 1.0]]), 1, False, None])
    case("multinomial one non-zero with replacement", "aten::multinomial", [torch.tensor([0.0, 0.0, 2.0]), 4, True, None])
    case("error: bernoulli_ p", "aten::bernoulli_.float", [torch.zeros(3), 1.5, None])
    case("error: bernoulli_ tensor p", "aten::bernoulli_.Tensor", [torch.zeros(3), torch.tensor([0.5, 2.0, 0.1]), None])
    case("error: bernoulli of int", "aten::bernoulli", [torch.tensor([1, 0]), None])
    case("error: uniform_ bounds", "aten::uniform_", [torch.zeros(3), 1.0, 0.0, None])
    case("error: uniform_ int", "aten::uniform_", [torch.zeros(3, dtype=torch.int64), 0.0, 1.0, None])
    case("error: normal_ std", "aten::normal_", [torch.zeros(3), 0.0, -1.0, None])
    case("error: randperm negative", "aten::randperm", [-1, None, None, None, None])
    case("error: multinomial too many", "aten::multinomial", [torch.tensor([0.2, 0.8]), 3, False, None])
    case("error: multinomial zero samples", "aten::multinomial", [torch.tensor([0.2, 0.8]), 0, False, None])
    case("error: multinomial zero sum", "aten::multinomial", [torch.tensor([0.0, 0.0]), 1, False, None])
    case("error: multinomial negative", "aten::multinomial", [torch.tensor([-1.0, 2.0]), 1, False, None])
    case("error: multinomial int", "aten::multinomial", [torch.tensor([1, 2]), 1, False, None])
    case("error: multinomial 3-d", "aten::multinomial", [torch.rand(2, 3, 4), 1, False, None])


def out_cases():
    # out= overloads write the functional result into the given tensor (cast when PyTorch allows it).
    a, b = r(2, 3), r(3) + 3
    case("div.out (F.normalize's out= branch)", "aten::div.out", [a, b, torch.empty(2, 3)])
    case("div.out into float64", "aten::div.out", [a, b, torch.empty(2, 3, dtype=torch.float64)])
    case("div.out_mode floor", "aten::div.out_mode", [a * 4, b, "floor", torch.empty(2, 3)])
    case("add.out alpha, ints into float", "aten::add.out", [torch.tensor([1, 2]), torch.tensor([3, 4]), 2, torch.empty(2)])
    case("eq.Tensor_out into float", "aten::eq.Tensor_out", [torch.tensor([1, 2]), torch.tensor([1, 3]), torch.empty(2)])
    case("sum.IntList_out", "aten::sum.IntList_out", [r(2, 3, 4), [0, 2], False, None, torch.empty(3)])
    case("mm.out", "aten::mm.out", [r(2, 3), r(3, 4), torch.empty(2, 4)])
    case("max.dim_max two outs", "aten::max.dim_max", [r(3, 4), 1, False, torch.empty(3), torch.empty(3, dtype=torch.int64)])
    case("error: div.out float into int64", "aten::div.out", [a, b, torch.empty(2, 3, dtype=torch.int64)])


def nested_mask_cases():
    L = "aten::_nested_tensor_from_mask_left_aligned"
    t = r(2, 4, 3)
    for rows in ([[1, 1, 0, 0], [1, 1, 1, 1]], [[1, 0, 1, 0], [1, 1, 1, 1]], [[0, 0, 0, 0], [1, 0, 0, 0]], [[0, 1, 1, 1], [1, 1, 1, 1]]):
        case("left aligned %s" % rows, L, [t, torch.tensor(rows).bool()])
    case("error: left aligned float mask", L, [t, torch.ones(2, 4)])
    case("error: left aligned 1-d mask", L, [t, torch.ones(4).bool()])
    case("error: left aligned size", L, [t, torch.ones(2, 3).bool()])


def tensor_split_cases():
    # mvit_v2_s splits q/k/v with torch.tensor_split; outputs are views of self (checked in the unit tests).
    S, I, TS = "aten::tensor_split.sections", "aten::tensor_split.indices", "aten::tensor_split.tensor_indices_or_sections"
    x = r(7, 4)
    case("sections even", S, [r(6, 2), 3, 0])
    case("sections uneven", S, [x, 3, 0])
    case("sections more than size", S, [x, 9, 0])
    case("sections negative dim", S, [r(2, 3, 5), 2, -1])
    case("sections one", S, [x, 1, 1])
    case("sections of empty dim", S, [r(0, 3), 2, 0])
    case("indices", I, [x, [1, 4], 0])
    case("indices negative dim", I, [r(2, 3, 5), [2], -2])
    case("indices negative values", I, [x, [-5, -1], 0])
    case("indices out of range", I, [x, [3, 10, 12], 0])
    case("indices decreasing", I, [x, [5, 2, 6], 0])
    case("indices empty list", I, [x, [], 1])
    case("indices int64 self", I, [torch.arange(10).reshape(2, 5), [1, 3], 1])
    case("tensor sections 0-d", TS, [x, torch.tensor(3), 0])
    case("tensor indices 1-d", TS, [x, torch.tensor([2, 5]), 0])
    case("tensor indices strided", TS, [x, torch.tensor([1, 9, 3, 9, 6])[::2], 0])
    case("tensor indices negative dim", TS, [r(3, 6), torch.tensor([1, -2]), -1])
    case("error: sections zero", S, [x, 0, 0])
    case("error: sections negative", S, [x, -2, 0])
    case("error: sections 0-d self", S, [torch.tensor(1.0), 2, 0])
    case("error: indices 0-d self", I, [torch.tensor(1.0), [1], 0])
    case("error: sections dim out of range", S, [x, 2, 2])
    case("error: tensor float", TS, [x, torch.tensor([1.0, 2.0]), 0])
    case("error: tensor int32", TS, [x, torch.tensor([1, 2], dtype=torch.int32), 0])
    case("error: tensor 2-d", TS, [x, torch.tensor([[1, 2]]), 0])
    case("error: tensor 0-d sections zero", TS, [x, torch.tensor(0), 0])


def l1_loss_cases():
    # retinanet's box regression loss (appended last: case files are numbered in order).
    a, b = r(4, 3) * 2, r(4, 3) * 2
    for red in (0, 1, 2):
        case("l1_loss reduction %d" % red, "aten::l1_loss", [a, b, red])
    case("l1_loss broadcast", "aten::l1_loss", [a, r(3), 1])
    case("l1_loss double", "aten::l1_loss", [a.double(), b.double(), 2], 1e-12, 1e-12)


def build():
    nested_mask_cases()
    out_cases()
    random_cases()
    antialias_cases()
    einsum_cases()
    loss_cases()
    misc_cases()
    tensor_split_cases()
    l1_loss_cases()


if __name__ == "__main__":
    g.build = build
    g.IR_VALUES, g.REPR_VALUES = [], []
    g.main()
