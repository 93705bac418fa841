# Packed sequences, RNNs on packed data, repeat_interleave, unfold, logaddexp, cpu().
import torch

g = torch.Generator().manual_seed(3)
x = torch.randn(3, 5, 4, generator=g)
lengths = torch.tensor([5, 3, 2])
lstm = torch.nn.LSTM(4, 6, num_layers=2, bidirectional=True, batch_first=True)
gru = torch.nn.GRU(4, 5)

CASES = [
    ("pack and pad", "x: torch.Tensor, n: torch.Tensor", """
p = torch.nn.utils.rnn.pack_padded_sequence(x, n, batch_first=True)
y, m = torch.nn.utils.rnn.pad_packed_sequence(p, batch_first=True, padding_value=-1.0, total_length=6)
return p.data, p.batch_sizes, y, m""", [x, lengths]),
    ("pack unsorted", "x: torch.Tensor, n: torch.Tensor", """
p = torch.nn.utils.rnn.pack_padded_sequence(x, n, batch_first=True, enforce_sorted=False)
y, m = torch.nn.utils.rnn.pad_packed_sequence(p, batch_first=True)
return p.data, y, m""", [x, torch.tensor([2, 5, 3])]),
    ("pack not sorted fails", "x: torch.Tensor, n: torch.Tensor", """
p = torch.nn.utils.rnn.pack_padded_sequence(x, n, batch_first=True)
return p.data""", [x, torch.tensor([2, 5, 3])]),
    ("lstm.data bidirectional two layers", "x: torch.Tensor, n: torch.Tensor, params: List[torch.Tensor]", """
p = torch.nn.utils.rnn.pack_padded_sequence(x, n, batch_first=True)
h = torch.zeros(4, 3, 6)
c = torch.zeros(4, 3, 6) + 0.5
out = torch.lstm(p.data, p.batch_sizes, [h, c], params, True, 2, 0.0, False, True)
return out[0], out[1], out[2]""", [x, lengths, [t.detach() for t in lstm._flat_weights]], 1e-5),
    ("gru.data", "x: torch.Tensor, n: torch.Tensor, params: List[torch.Tensor]", """
p = torch.nn.utils.rnn.pack_padded_sequence(x, n)
out = torch.gru(p.data, p.batch_sizes, torch.zeros(1, 5, 5), params, True, 1, 0.0, False, False)
return out[0], out[1]""", [x.transpose(0, 1).contiguous()[:, :3].contiguous().transpose(0, 1).contiguous(), torch.tensor([3, 3, 2, 2, 1]), [t.detach() for t in gru._flat_weights]], 1e-5),
    ("repeat_interleave", "x: torch.Tensor, r: torch.Tensor", "return x.repeat_interleave(2), x.repeat_interleave(3, dim=1), x.repeat_interleave(r, dim=0), torch.repeat_interleave(r)", [torch.arange(6.0).reshape(2, 3), torch.tensor([1, 3])]),
    ("repeat_interleave negative dim and size", "x: torch.Tensor", "return torch.repeat_interleave(x, 2, -1, output_size=6)", [torch.arange(3)]),
    ("unfold", "x: torch.Tensor", "u = x.unfold(1, 4, 3)\nreturn u, u.stride(), x.unfold(0, 2, 1)", [torch.arange(20.0).reshape(2, 10)]),
    ("unfold too big", "x: torch.Tensor", "return x.unfold(1, 11, 1)", [torch.arange(20.0).reshape(2, 10)]),
    ("logaddexp", "a: torch.Tensor, b: torch.Tensor", "return torch.logaddexp(a, b), torch.logaddexp2(a, b)", [torch.tensor([0.0, 1e3, -1e3, float('-inf'), float('inf'), 2.0]), torch.tensor([0.0, 1e3, -1e3, float('-inf'), float('inf'), -3.0])]),
    ("cpu", "x: torch.Tensor", "return x.cpu() + 1, x.cpu().is_cpu", [torch.ones(2)]),
]
