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
