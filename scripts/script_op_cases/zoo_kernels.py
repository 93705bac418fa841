# Kernels the zoo sweep found missing (scripts/zoo, docs/zoo.md), each checked against PyTorch here.
import torch

g = torch.Generator().manual_seed(5)
a = torch.randn(3, generator=g)
b = torch.arange(4, dtype=torch.float32)
c = torch.tensor([2.0, -1.0])

CASES = [
    # torchvision's AnchorGenerator and RAFT's coordinate grids.
    ("meshgrid ij", "a: torch.Tensor, b: torch.Tensor", 'return torch.meshgrid([a, b], indexing="ij")', [a, b]),
    ("meshgrid xy", "a: torch.Tensor, b: torch.Tensor, c: torch.Tensor", 'return torch.meshgrid([a, b, c], indexing="xy")', [a, b, c]),
    ("meshgrid default", "a: torch.Tensor, b: torch.Tensor", "return torch.meshgrid([a, b])", [a, b]),
    ("meshgrid of 0-d and one", "a: torch.Tensor, b: torch.Tensor", 'return torch.meshgrid([a[0], b], indexing="xy")', [a, b]),
    ("meshgrid then stack", "a: torch.Tensor, b: torch.Tensor", 'x, y = torch.meshgrid([a, b], indexing="xy")\nreturn torch.stack([x, y], dim=-1).reshape(-1, 2)', [a, b]),
    ("meshgrid bad indexing", "a: torch.Tensor, b: torch.Tensor", 'return torch.meshgrid([a, b], indexing="yx")', [a, b]),
]

ids = torch.tensor([3, 1, 2, 3, 7, 1, 1])
scores = torch.tensor([[0.5, 2.0, 0.5], [2.0, -1.0, 0.5]])
CASES += [
    # torchvision's batched_nms: torch.unique of the class ids.
    ("unique", "x: torch.Tensor", "return torch.unique(x)", [ids]),
    ("unique inverse counts", "x: torch.Tensor", "return torch.unique(x, return_inverse=True, return_counts=True)", [scores]),
    ("unique of bools and empty", "x: torch.Tensor", "return torch.unique(x > 1), torch.unique(x[:0], return_counts=True)", [ids]),
    ("unique_consecutive", "x: torch.Tensor", "return torch.unique_consecutive(x, return_inverse=True, return_counts=True)", [ids]),
]
