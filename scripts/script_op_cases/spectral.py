# STFT/ISTFT, torch.fft and window functions, as torchaudio's transforms call them.
import torch

g = torch.Generator().manual_seed(1)
wav = torch.randn(2, 300, generator=g)
wav1 = torch.randn(257, generator=g)
hann = torch.hann_window(64)
spec = torch.stft(wav, 64, 16, window=hann, return_complex=True)

CASES = [
    ("stft centred reflect", "x: torch.Tensor, w: torch.Tensor", "return torch.stft(x, 64, 16, window=w, return_complex=True)", [wav, hann], 1e-4),
    ("stft not centred, win < n_fft", "x: torch.Tensor, w: torch.Tensor", "return torch.stft(x, 64, 10, 40, w, center=False, return_complex=True)", [wav, torch.hamming_window(40)], 1e-4),
    ("stft 1D odd n_fft normalized", "x: torch.Tensor", "return torch.stft(x, 45, 12, normalized=True, pad_mode='constant', return_complex=True)", [wav1], 1e-4),
    ("stft two-sided", "x: torch.Tensor", "return torch.stft(x, 32, onesided=False, return_complex=True)", [wav1], 1e-4),
    ("stft return_complex=False", "x: torch.Tensor", "return torch.stft(x, 32, return_complex=False)", [wav1], 1e-4),
    ("stft needs return_complex", "x: torch.Tensor", "return torch.stft(x, 32)", [wav1]),
    ("stft of complex input", "x: torch.Tensor", "return torch.stft(torch.view_as_complex(x), 16, return_complex=True)", [torch.randn(100, 2, generator=g)], 1e-4),
    ("istft round trip", "s: torch.Tensor, w: torch.Tensor", "return torch.istft(s, 64, 16, window=w)", [spec, hann], 1e-4),
    ("istft with length", "s: torch.Tensor, w: torch.Tensor", "return torch.istft(s, 64, 16, window=w, length=290), torch.istft(s, 64, 16, window=w, length=320)", [spec, hann], 1e-4),
    ("istft not centred normalized", "s: torch.Tensor", "return torch.istft(s, 64, 16, window=torch.hann_window(64), center=False, normalized=True)", [spec], 1e-4),
    ("istft window overlap error", "s: torch.Tensor", "return torch.istft(s, 64, 16, center=False, window=torch.hann_window(64, periodic=False))", [spec]),
    ("rfft irfft", "x: torch.Tensor", "f = torch.fft.rfft(x)\nreturn f, torch.fft.irfft(f, 300), torch.fft.rfft(x, 64, norm='ortho')", [wav], 1e-4),
    ("fft ifft dims", "x: torch.Tensor", "f = torch.fft.fft(x, dim=0)\nreturn f, torch.fft.ifft(f, dim=0), torch.fft.fft(x, 7, norm='forward')", [torch.randn(5, 6, generator=g)], 1e-4),
    ("windows", "n: int", "return torch.hann_window(n), torch.hamming_window(n, False), torch.blackman_window(n), torch.bartlett_window(n), torch.kaiser_window(n), torch.hann_window(1), torch.hann_window(n, dtype=torch.float64)", [10], 1e-6),
]
