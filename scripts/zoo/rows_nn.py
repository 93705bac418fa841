"""torch.nn blocks users script and trace on their own: transformers, recurrent layers, attention,
EmbeddingBag. Small widths; eval mode (the Transformer encoder's fast path is taken where PyTorch
takes it: batch_first, eval, no grad)."""

import torch
from torch import nn

from catalog import Row

D, HEADS, FF = 32, 4, 64


class MhaSelf(nn.Module):
    """MultiheadAttention called as users do (query, key, value), both outputs returned."""

    def __init__(self, batch_first=False):
        super().__init__()
        self.attn = nn.MultiheadAttention(D, HEADS, batch_first=batch_first)

    def forward(self, q, k, v):
        return self.attn(q, k, v)


class Recurrent(nn.Module):
    """An LSTM/GRU/RNN as users call it from their own module (a bare scripted nn.LSTM has no forward)."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        return self.rnn(x)


class BagOfIds(nn.Module):
    """EmbeddingBag over a flat index tensor with offsets (the form TorchScript supports)."""

    def __init__(self, mode):
        super().__init__()
        self.bag = nn.EmbeddingBag(100, 16, mode=mode)

    def forward(self, ids, offsets):
        return self.bag(ids, offsets)


def seq(batch, length=5, width=D, batch_first=False):
    return torch.randn(batch, length, width) if batch_first else torch.randn(length, batch, width)


def encoder(batch_first):
    layer = nn.TransformerEncoderLayer(D, HEADS, FF, batch_first=batch_first)
    return nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)


def decoder():
    return nn.TransformerDecoder(nn.TransformerDecoderLayer(D, HEADS, FF), 2)


class PaddedEncoder(nn.Module):
    """A batch_first TransformerEncoder given a key padding mask: in eval PyTorch runs it on nested tensors
    (_nested_tensor_from_mask ... to_padded_tensor), and the output is cut to the longest sequence."""

    def __init__(self):
        super().__init__()
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, HEADS, FF, batch_first=True), 2)

    def forward(self, src, padding_mask):
        return self.enc(src, src_key_padding_mask=padding_mask)


def padded_inputs(batch, length=6):
    # Every sequence shorter than `length` (so the output is cut), lengths differing across the batch.
    lengths = [length - 1 - (i % 3) for i in range(batch)]
    mask = torch.tensor([[j >= n for j in range(length)] for n in lengths])
    return (seq(batch, length, batch_first=True), mask)


def bag_inputs(batch):
    return (torch.randint(0, 100, (3 * batch + 2,)), torch.arange(0, 3 * batch, 3))


ROWS = [
    Row("nn.Transformer", "nn", lambda: nn.Transformer(D, HEADS, 2, 2, FF), lambda b: (seq(b, 5), seq(b, 4))),
    Row("nn.TransformerEncoder", "nn", lambda: encoder(False), lambda b: (seq(b),)),
    Row(
        "nn.TransformerEncoder.batch_first",
        "nn",
        lambda: encoder(True),
        lambda b: (seq(b, batch_first=True),),
        note="takes PyTorch's fast path (aten::_transformer_encoder_layer_fwd) in eval",
    ),
    Row(
        "nn.TransformerEncoder.padding_mask",
        "nn",
        PaddedEncoder,
        padded_inputs,
        modes=("script",),
        test_batch=3,
        note="nested-tensor fast path in eval (key padding mask, batch_first)",
    ),
    Row("nn.TransformerDecoder", "nn", decoder, lambda b: (seq(b, 4), seq(b, 5))),
    Row("nn.LSTM", "nn", lambda: Recurrent(nn.LSTM(16, D, num_layers=2)), lambda b: (seq(b, 6, 16),)),
    Row(
        "nn.LSTM.bidirectional_batch_first",
        "nn",
        lambda: Recurrent(nn.LSTM(16, D, num_layers=2, bidirectional=True, batch_first=True)),
        lambda b: (seq(b, 6, 16, batch_first=True),),
    ),
    Row("nn.GRU", "nn", lambda: Recurrent(nn.GRU(16, D, num_layers=2)), lambda b: (seq(b, 6, 16),)),
    Row("nn.RNN", "nn", lambda: Recurrent(nn.RNN(16, D, num_layers=2, nonlinearity="tanh")), lambda b: (seq(b, 6, 16),)),
    Row("nn.MultiheadAttention", "nn", MhaSelf, lambda b: (seq(b, 5), seq(b, 7), seq(b, 7))),
    Row(
        "nn.MultiheadAttention.batch_first",
        "nn",
        lambda: MhaSelf(True),
        lambda b: (seq(b, 5, batch_first=True), seq(b, 7, batch_first=True), seq(b, 7, batch_first=True)),
    ),
    Row("nn.EmbeddingBag.mean", "nn", lambda: BagOfIds("mean"), bag_inputs),
    Row("nn.EmbeddingBag.sum", "nn", lambda: BagOfIds("sum"), bag_inputs),
    Row("nn.EmbeddingBag.max", "nn", lambda: BagOfIds("max"), bag_inputs),
]
