"""Every model builder of torchvision 0.14 (torchvision.models.list_models(), quantized ones aside),
with random weights and the smallest input each architecture accepts without changing the builder.
"""

import torch
import torchvision
from torchvision.models import get_model, list_models

from catalog import Row, image

M = torchvision.models

# Input side (square images) per classification builder where the default 64 does not fit.
CLASSIFICATION_SIZE = {
    "inception_v3": 80,  # the stem needs at least 75x75
    "maxvit_t": 224,  # window/grid partitions of 7 at every stage: the side must be a multiple of 224
    "vit_b_16": 64,
    "vit_b_32": 64,
    "vit_l_16": 64,
    "vit_l_32": 64,
    "vit_h_14": 28,
}
# Builders whose architecture depends on the input size: pass the size we use.
SIZED = {"vit_b_16", "vit_b_32", "vit_l_16", "vit_l_32", "vit_h_14"}


def classification(name):
    size = CLASSIFICATION_SIZE.get(name, 64)
    kwargs = {"weights": None}
    if name in SIZED:
        kwargs["image_size"] = size
    note = "image_size=%d" % size if name in SIZED else ""
    return Row(name, "classification", lambda: get_model(name, **kwargs), image(3, size, size), note=note, builder=name)


def segmentation(name):
    make = lambda: get_model(name, weights=None, weights_backbone=None)
    # Their forward returns a dict: tracing needs strict=False, as a user tracing them passes.
    return Row(name, "segmentation", make, image(3, 64, 64), trace_strict=False, builder=name)


def detection_images(sizes):
    """inputs(): a list of images (3, h, w); batch = how many of `sizes` to use (at least one)."""
    return lambda batch: ([torch.rand(3, h, w) for h, w in sizes[: max(1, min(batch, len(sizes)))]],)


# Small detection inputs: the transform resizes to min_size..max_size; two images of different
# shapes exercise the batching (padding) path.
DETECTION_KWARGS = {"min_size": 64, "max_size": 96}
DETECTION_FIXED = {"ssd300_vgg16": 300, "ssdlite320_mobilenet_v3_large": 320}  # their transform size is fixed


def detection(name):
    kwargs = {"weights": None, "weights_backbone": None}
    if name not in DETECTION_FIXED:
        kwargs.update(DETECTION_KWARGS)
    side = DETECTION_FIXED.get(name, 64)
    sizes = [(side, side + side // 4), (side + side // 8, side)]
    note = "" if name in DETECTION_FIXED else "min_size=64, max_size=96"
    return Row(
        name,
        "detection",
        lambda: get_model(name, **kwargs),
        detection_images(sizes),
        test_batch=2,
        trace_strict=False,
        note=note,
        builder=name,
    )


VIDEO_INPUT = {
    "s3d": (16, 224),  # its final average pool has kernel (2, 7, 7)
    "mvit_v1_b": (16, 224),  # positional embeddings fixed by the builder at 16x224x224
    "mvit_v2_s": (16, 224),
}


def video(name):
    t, side = VIDEO_INPUT.get(name, (4, 32))
    inputs = lambda batch: (torch.randn(batch, 3, t, side, side),)
    return Row(name, "video", lambda: get_model(name, weights=None), inputs, builder=name, note="%dx%dx%d clip" % (t, side, side))


def optical_flow(name):
    inputs = lambda batch: (torch.randn(batch, 3, 64, 64), torch.randn(batch, 3, 64, 64))
    # RAFT's correlation pyramid needs sides of at least 64 (four levels below 1/8 resolution).
    return Row(name, "optical_flow", lambda: get_model(name, weights=None), inputs, builder=name)


ROWS = (
    [classification(n) for n in list_models(module=M)]
    + [segmentation(n) for n in list_models(module=M.segmentation)]
    + [detection(n) for n in list_models(module=M.detection)]
    + [video(n) for n in list_models(module=M.video)]
    + [optical_flow(n) for n in list_models(module=M.optical_flow)]
)

# Builders the sweep does not run, with the reason docs/zoo.md shows.
SKIPPED = {
    name: "quantized model: needs quantized:: kernels and packed-parameter classes (out of issue 10's scope)"
    for name in list_models(module=M.quantization)
}
