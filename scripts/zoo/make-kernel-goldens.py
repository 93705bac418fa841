#!/usr/bin/python3
"""PyTorch / torchvision reference results for the kernels the zoo sweep added, in the format of
scripts/make-kernel-goldens.py (index.json + .npy), written to test/fixtures/_kernels_zoo/ and checked
by test/runtime/kernel-goldens.test.ts like the aten goldens.

  /usr/bin/python3 scripts/zoo/make-kernel-goldens.py

Covers torchvision's operators (nms, roi_align, roi_pool, ps_roi_align, ps_roi_pool, deform_conv2d),
upsampling (nearest, nearest-exact, linear, bilinear, bicubic, trilinear; sizes and scale factors,
align_corners), embedding_bag (sum/mean/max, per-sample weights, include_last_offset, padding_idx).
"""

import importlib.util
import os

import torch
import torchvision  # noqa: F401  (registers torch.ops.torchvision)

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("aten_goldens", os.path.join(HERE, "..", "make-kernel-goldens.py"))
g = importlib.util.module_from_spec(spec)
spec.loader.exec_module(g)
g.OUT = os.path.join(HERE, "..", "..", "test", "fixtures", "_kernels_zoo")


def overload(schema_name):
    """torch.ops.<namespace>.<name>.<overload> for `ns::name.overload`."""
    qualified, _, ov = schema_name.partition(".")
    ns, name = qualified.split("::")
    return getattr(getattr(getattr(torch.ops, ns), name), ov or "default")


g.overload = overload
case, r = g.case, g.r


def boxes(k, side, batch=1):
    xy = torch.rand(k, 2) * side * 0.7
    wh = torch.rand(k, 2) * side * 0.5 + 0.5
    b = torch.randint(0, batch, (k, 1)).float()
    return torch.cat([b, xy, xy + wh], 1)


def build():
    # torchvision::nms: overlapping clusters, ties in score, an empty input.
    centers = torch.rand(6, 2) * 40
    dets = torch.cat([torch.cat([c + torch.randn(2) * 2, c + 10 + torch.randn(2) * 2]).unsqueeze(0) for c in centers.repeat(4, 1)])
    case("nms clusters", "torchvision::nms", [dets, torch.rand(24), 0.5])
    case("nms tied scores", "torchvision::nms", [dets[:8], torch.tensor([0.5] * 8), 0.3])
    case("nms iou 0", "torchvision::nms", [dets, torch.rand(24), 0.0])
    case("nms empty", "torchvision::nms", [torch.zeros(0, 4), torch.zeros(0), 0.5])
    case("nms double", "torchvision::nms", [dets.double(), torch.rand(24).double(), 0.6])
    feat = r(2, 3, 12, 10)
    rois = boxes(7, 12, batch=2)
    rois[0] = torch.tensor([0, -3.0, -2.0, 30.0, 25.0])  # reaches outside the map
    for aligned in (False, True):
        for ratio in (2, 0, -1):
            case("roi_align aligned=%s ratio=%d" % (aligned, ratio), "torchvision::roi_align",
                 [feat, rois, 0.5, 3, 4, ratio, aligned])
    case("roi_align scale 1 double", "torchvision::roi_align", [feat.double(), rois.double(), 1.0, 2, 2, 2, True])
    case("roi_pool", "torchvision::roi_pool", [feat, rois, 0.5, 3, 2])
    case("roi_pool scale 1", "torchvision::roi_pool", [feat, rois, 1.0, 4, 4])
    feat_ps = r(2, 8, 9, 11)
    case("ps_roi_align", "torchvision::ps_roi_align", [feat_ps, rois, 0.75, 2, 2, 2])
    case("ps_roi_align adaptive", "torchvision::ps_roi_align", [feat_ps, rois, 0.5, 2, 2, 0])
    case("ps_roi_pool", "torchvision::ps_roi_pool", [feat_ps, rois, 0.75, 2, 2])
    x = r(2, 4, 7, 6)
    w = r(6, 2, 3, 3)
    off = r(2, 2 * 2 * 9, 4, 3) * 1.5
    mask = torch.rand(2, 2 * 9, 4, 3)
    case("deform_conv2d mask groups", "torchvision::deform_conv2d",
         [x, w, off, mask, r(6), 2, 2, 1, 1, 1, 1, 2, 2, True])
    case("deform_conv2d no mask dilation", "torchvision::deform_conv2d",
         [x, r(6, 4, 3, 3), r(2, 18, 3, 2) * 2, torch.rand(2, 9, 3, 2), r(6), 1, 1, 0, 0, 2, 2, 1, 1, False])
    # Upsampling: sizes, scale factors, align_corners, odd ratios (nearest's float32 index arithmetic).
    img = r(1, 2, 5, 7)
    case("nearest2d vec size", "aten::upsample_nearest2d.vec", [img, [11, 9], None])
    case("nearest2d vec scale 2", "aten::upsample_nearest2d.vec", [img, None, [2.0, 2.0]])
    case("nearest2d vec scale 1.7", "aten::upsample_nearest2d.vec", [img, None, [1.7, 0.6]])
    case("nearest2d plain", "aten::upsample_nearest2d", [img, [3, 13], None, None])
    case("nearest1d vec", "aten::upsample_nearest1d.vec", [r(2, 3, 5), [12], None])
    case("nearest3d vec", "aten::upsample_nearest3d.vec", [r(1, 2, 3, 4, 5), None, [2.0, 1.5, 0.5]])
    case("nearest_exact2d", "aten::_upsample_nearest_exact2d.vec", [img, [11, 9], None])
    case("nearest2d uint8", "aten::upsample_nearest2d.vec", [torch.randint(0, 255, (1, 3, 4, 4), dtype=torch.uint8), [6, 7], None])
    for align in (False, True):
        case("bilinear2d vec size align=%s" % align, "aten::upsample_bilinear2d.vec", [img, [11, 13], align, None])
        case("bilinear2d vec scale align=%s" % align, "aten::upsample_bilinear2d.vec", [img, None, align, [2.5, 0.5]])
        case("bicubic2d align=%s" % align, "aten::upsample_bicubic2d.vec", [img, [9, 12], align, None])
        case("linear1d align=%s" % align, "aten::upsample_linear1d.vec", [r(2, 3, 5), [9], align, None])
        case("trilinear3d align=%s" % align, "aten::upsample_trilinear3d.vec", [r(1, 2, 3, 4, 5), [5, 3, 8], align, None])
    case("bilinear2d plain with scales", "aten::upsample_bilinear2d", [img, [10, 14], False, 2.0, 2.0])
    case("bilinear2d double", "aten::upsample_bilinear2d.vec", [img.double(), [8, 8], False, None])
    # embedding_bag: the three modes, per-sample weights, include_last_offset, padding_idx, an empty bag.
    weight = r(10, 3)
    ids = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9, 0])
    offs = torch.tensor([0, 3, 3, 6])
    for mode in (0, 1, 2):
        case("embedding_bag mode %d" % mode, "aten::embedding_bag",
             [weight, ids, offs, False, mode, False, None, False])
        case("embedding_bag mode %d padding 4" % mode, "aten::embedding_bag.padding_idx",
             [weight, ids, offs, False, mode, False, None, False, 4])
    case("embedding_bag per-sample weights", "aten::embedding_bag",
         [weight, ids, offs, False, 0, False, torch.rand(9), False])
    case("embedding_bag include_last_offset", "aten::embedding_bag",
         [weight, ids, torch.tensor([0, 2, 5, 9]), False, 1, False, None, True])


if __name__ == "__main__":
    g.build = build
    g.IR_VALUES, g.REPR_VALUES = [], []
    g.main()
