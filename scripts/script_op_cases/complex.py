# Complex tensors end to end: views, magnitude and phase, arithmetic and promotion, structural ops.
import torch

g = torch.Generator().manual_seed(2)
z = torch.randn(3, 4, dtype=torch.cfloat, generator=g)
w = torch.randn(4, dtype=torch.cdouble, generator=g)
r = torch.randn(3, 4, generator=g)

CASES = [
    ("view_as_real and back", "z: torch.Tensor", "x = torch.view_as_real(z)\nreturn x, torch.view_as_complex(x * 2)", [z]),
    ("view_as_real shares storage", "z: torch.Tensor", "x = torch.view_as_real(z)\nx[0, 0, 1] = 7.0\nreturn z", [z.clone()]),
    ("real imag views", "z: torch.Tensor", "re = z.real\nre.mul_(2)\nreturn z.real, z.imag, z", [z.clone()]),
    ("abs angle", "z: torch.Tensor, r: torch.Tensor", "return z.abs(), z.angle(), torch.abs(w), r.angle()".replace("w", "z.to(torch.complex128)"), [z, r]),
    ("polar and complex", "a: torch.Tensor, b: torch.Tensor", "return torch.polar(a.abs(), b), torch.complex(a, b)", [r, r.flip(0)]),
    ("complex arithmetic", "z: torch.Tensor, w: torch.Tensor, r: torch.Tensor", "return z * w, z + r, z - 2.5, z / w, r / z, 3 - z, z * 2", [z, w, r], 1e-5),
    ("complex in-place", "z: torch.Tensor, r: torch.Tensor", "z.mul_(r)\nz.add_(1.5)\nz.div_(r + 3)\nreturn z", [z.clone(), r]),
    ("complex into real in-place fails", "z: torch.Tensor, r: torch.Tensor", "r.mul_(z)\nreturn r", [z, r.clone()]),
    ("complex structural ops", "z: torch.Tensor", "p = torch.nn.functional.pad(z, [1, 2])\nreturn p, torch.cat([z, z]), z.index_select(1, torch.tensor([3, 0])), z.flip(1), z.sum(1), z.mean(), z.transpose(0, 1).contiguous(), z[1:, ::2]", [z]),
    ("complex dtype conversion", "r: torch.Tensor", "return r.to(torch.complex64), r.to(torch.complex128) * 2.0, r.to(torch.complex64).to(torch.float32)", [r]),
    ("conj", "z: torch.Tensor", "return torch.conj(z).resolve_conj(), z.conj_physical()", [z]),
]

CASES += [
    ("str of complex tensors", "z: torch.Tensor", "return str(z), str(z.to(torch.complex128)), str(z[0, 0])", [torch.tensor([[1.5 + 2j, -0.25 - 1j], [0.0 + 0j, 3 - 0.5j]])]),
    ("str of large complex values", "z: torch.Tensor", "return str(z * 1000)", [torch.tensor([1.5e3 + 2j, -0.25 - 1e4j])]),
]

# Python reprs of complex tensors (torch/_tensor_str.py: one formatter for real parts, one for imaginary).
REPRS = [
    torch.tensor([1.5 + 2j, -0.25 - 1j]),
    torch.tensor([[1.5e3 + 2j, -0.25 - 1e4j]], dtype=torch.cdouble),
    torch.tensor(1 + 1j),
    torch.tensor([0j, -0.0 - 0j, 1 - 0.5j]),
    torch.tensor([float("nan") + 1j, float("inf") - 2j]),
    torch.randn(4, 9, dtype=torch.cfloat, generator=g),
    torch.zeros(0, dtype=torch.cfloat),
]
