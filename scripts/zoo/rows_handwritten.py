"""Hand-written TorchScript: what users write themselves rather than take from a library — a BERT-like
encoder, a GPT-like greedy generation loop, script classes (created in forward and held as
attributes), string handling, fork/wait, and list/dict inputs and outputs. Scripted only (the
language features are the point); small widths so each row runs in well under a second."""

from typing import Dict, List, Optional, Tuple

import torch
from torch import nn, Tensor

from catalog import Row

D, HEADS, FF, VOCAB = 32, 4, 64, 50


class SelfAttention(nn.Module):
    """Multi-head self-attention written out (no nn.MultiheadAttention): views, matmuls, masking."""

    def __init__(self, causal: bool):
        super().__init__()
        self.qkv = nn.Linear(D, 3 * D)
        self.out = nn.Linear(D, D)
        self.causal = causal
        self.heads = HEADS
        self.head_dim = D // HEADS
        self.scale = 1.0 / (D // HEADS) ** 0.5

    def forward(self, x: Tensor, pad_mask: Optional[Tensor]) -> Tensor:
        b, t, _ = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q = q.view(b, t, self.heads, self.head_dim).transpose(1, 2)
        k = k.view(b, t, self.heads, self.head_dim).transpose(1, 2)
        v = v.view(b, t, self.heads, self.head_dim).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-2, -1)) * self.scale
        if self.causal:
            future = torch.ones(t, t, dtype=torch.bool).triu(1)
            scores = scores.masked_fill(future, float("-inf"))
        if pad_mask is not None:
            scores = scores.masked_fill(pad_mask[:, None, None, :], float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        return self.out(torch.matmul(weights, v).transpose(1, 2).reshape(b, t, self.heads * self.head_dim))


class Block(nn.Module):
    def __init__(self, causal: bool):
        super().__init__()
        self.norm1 = nn.LayerNorm(D)
        self.attn = SelfAttention(causal)
        self.norm2 = nn.LayerNorm(D)
        self.ff1 = nn.Linear(D, FF)
        self.ff2 = nn.Linear(FF, D)

    def forward(self, x: Tensor, pad_mask: Optional[Tensor]) -> Tensor:
        x = x + self.attn(self.norm1(x), pad_mask)
        return x + self.ff2(torch.nn.functional.gelu(self.ff1(self.norm2(x))))


class BertLike(nn.Module):
    """Token + position + segment embeddings, pre-norm blocks, a pooled [CLS]; returns a dict."""

    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, D, padding_idx=0)
        self.positions = nn.Embedding(16, D)
        self.segments = nn.Embedding(2, D)
        self.blocks = nn.ModuleList([Block(False) for _ in range(2)])
        self.norm = nn.LayerNorm(D)
        self.pool = nn.Linear(D, D)

    def forward(self, ids: Tensor, segments: Tensor) -> Dict[str, Tensor]:
        pad_mask = ids == 0
        positions = torch.arange(ids.size(1)).unsqueeze(0).expand_as(ids)
        x = self.tokens(ids) + self.positions(positions) + self.segments(segments)
        for block in self.blocks:
            x = block(x, pad_mask)
        x = self.norm(x)
        return {"hidden": x, "pooled": torch.tanh(self.pool(x[:, 0]))}


def bert_inputs(batch):
    ids = torch.randint(1, VOCAB, (batch, 8))
    ids[:, 6:] = 0  # padding
    segments = torch.zeros(batch, 8, dtype=torch.long)
    segments[:, 4:] = 1
    return ids, segments


class GptLike(nn.Module):
    """Greedy decoding: a Python list of token ids grows in a loop; the model re-reads it each step."""

    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, D)
        self.positions = nn.Embedding(32, D)
        self.blocks = nn.ModuleList([Block(True) for _ in range(2)])
        self.norm = nn.LayerNorm(D)
        self.head = nn.Linear(D, VOCAB, bias=False)
        self.eos: int = 1

    def logits(self, ids: Tensor) -> Tensor:
        positions = torch.arange(ids.size(1)).unsqueeze(0)
        x = self.tokens(ids) + self.positions(positions)
        for block in self.blocks:
            x = block(x, None)
        return self.head(self.norm(x))

    def forward(self, prompt: List[int], max_new: int) -> Tuple[List[int], Tensor]:
        out: List[int] = prompt.copy()
        scores: List[Tensor] = []
        for _ in range(max_new):
            step = self.logits(torch.tensor([out]))[0, -1]
            next_id = int(step.argmax())
            scores.append(step.log_softmax(-1)[next_id])
            out.append(next_id)
            if next_id == self.eos:
                break
        return out, torch.stack(scores)


@torch.jit.script
class RunningStats(object):
    """A script class with mutable fields and methods (Welford's running mean and variance)."""

    def __init__(self, width: int):
        self.count = 0
        self.mean = torch.zeros(width)
        self.m2 = torch.zeros(width)
        self.seen: List[str] = []

    def update(self, x: Tensor, tag: str):
        self.count += 1
        delta = x - self.mean
        self.mean = self.mean + delta / self.count
        self.m2 = self.m2 + delta * (x - self.mean)
        self.seen.append(tag)

    def variance(self) -> Tensor:
        if self.count < 2:
            return torch.zeros_like(self.mean)
        return self.m2 / (self.count - 1)


@torch.jit.script
class Scaler(object):
    """Held by the module as an attribute: frozen into an object constant whose fields fold."""

    def __init__(self, scale: float, shift: Tensor):
        self.scale = scale
        self.shift = shift

    def apply(self, x: Tensor) -> Tensor:
        return x * self.scale + self.shift


class ScriptClasses(nn.Module):
    def __init__(self):
        super().__init__()
        self.scaler = Scaler(0.5, torch.linspace(-1, 1, 6))
        self.proj = nn.Linear(6, 6)

    def forward(self, rows: Tensor) -> Tuple[Tensor, Tensor, List[str], int]:
        stats = RunningStats(rows.size(1))
        for i in range(rows.size(0)):
            stats.update(self.proj(self.scaler.apply(rows[i])), "row" + str(i))
        return stats.mean, stats.variance(), stats.seen, stats.count


@torch.jit.script
class Pipeline(object):
    """Holds other script-class objects in a list and an Optional field; magic methods; a method that
    builds a new object of another class."""

    def __init__(self, stages: List[Scaler], fallback: Optional[Scaler]):
        self.stages = stages
        self.fallback = fallback

    def __len__(self) -> int:
        return len(self.stages)

    def __getitem__(self, i: int) -> Scaler:
        return self.stages[i]

    def combined(self) -> Scaler:
        scale = 1.0
        shift = torch.zeros(6)
        for s in self.stages:
            scale = scale * s.scale
            shift = shift * s.scale + s.shift
        return Scaler(scale, shift)


class ScriptClassObjects(nn.Module):
    def __init__(self):
        super().__init__()
        stages = [Scaler(2.0, torch.ones(6)), Scaler(-0.5, torch.arange(6.0))]
        self.pipeline = Pipeline(stages, None)

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor, int]:
        y = x
        for i in range(len(self.pipeline)):
            y = self.pipeline[i].apply(y)
        z = self.pipeline.combined().apply(x)
        fallback = self.pipeline.fallback
        if fallback is not None:
            z = fallback.apply(z)
        return y, z, len(self.pipeline)


class Strings(nn.Module):
    """A tiny tokenizer: strip, lower, split, replace, startswith, ord, join, a str->int vocabulary
    dict, then an embedding bag over the ids; returns tokens, ids and a dict keyed by str."""

    def __init__(self):
        super().__init__()
        words = ["<unk>", "the", "cat", "sat", "on", "mat", "a", "dog"]
        self.vocab: Dict[str, int] = {w: i for i, w in enumerate(words)}
        self.embed = nn.EmbeddingBag(len(words) + 64, 8, mode="mean")

    def forward(self, text: str) -> Tuple[List[str], Tensor, Dict[str, Tensor], str]:
        tokens: List[str] = []
        for word in text.strip().lower().replace(",", " ").split():
            if word.startswith("#"):
                continue
            tokens.append(word.strip("."))
        ids: List[int] = []
        for t in tokens:
            if t in self.vocab:
                ids.append(self.vocab[t])
            else:
                ids.append(len(self.vocab) + ord(t[0]) % 64)
        id_tensor = torch.tensor(ids)
        pooled = self.embed(id_tensor, torch.tensor([0]))
        by_word: Dict[str, Tensor] = {}
        for i, t in enumerate(tokens):
            by_word[t + ":" + str(len(t))] = pooled[0] * float(i)
        joined = "-".join(sorted(tokens)).upper()
        return tokens, id_tensor, by_word, "{} tokens: {}".format(len(tokens), joined)


def branch(x: Tensor, w: Tensor) -> Tensor:
    return torch.relu(x @ w).sum(0)


class ForkWait(nn.Module):
    """Parallel branches with torch.jit.fork: a submodule's forward and a free function."""

    def __init__(self):
        super().__init__()
        self.left = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 4))
        self.right = nn.Linear(8, 4)
        self.w = nn.Parameter(torch.randn(8, 4))

    def forward(self, x: Tensor) -> Tensor:
        a = torch.jit.fork(self.left, x)
        b = torch.jit.fork(branch, x, self.w)
        c = self.right(x)
        return torch.jit.wait(a) + torch.jit.wait(b) + c


class ListsAndDicts(nn.Module):
    """List[Tensor] and Dict[str, Tensor] in; a Dict[str, List[Tensor]] and a List[Tuple] out."""

    def __init__(self):
        super().__init__()
        self.heads = nn.ModuleDict({"a": nn.Linear(4, 3), "b": nn.Linear(4, 2)})

    def forward(
        self, xs: List[Tensor], named: Dict[str, Tensor], weights: List[float]
    ) -> Tuple[Dict[str, List[Tensor]], List[Tuple[str, Tensor]]]:
        out: Dict[str, List[Tensor]] = {}
        for key, head in self.heads.items():
            out[key] = [head(x) * w for x, w in zip(xs, weights)]
        pairs: List[Tuple[str, Tensor]] = []
        for key in sorted(named.keys()):
            pairs.append((key, named[key].sum(0) + torch.stack(xs).mean()))
        out["extra"] = [named[k] for k in named.keys()]
        del out["extra"][1]
        return out, pairs


def lists_inputs(batch):
    xs = [torch.randn(batch, 4) for _ in range(3)]
    named = {"z": torch.randn(2, 4), "skip": torch.randn(1, 4), "m": torch.randn(3, 4)}
    return xs, named, [0.5, 1.0, 2.0]


ROWS = [
    Row("hand.bert_encoder", "handwritten", BertLike, bert_inputs, modes=("script",), test_batch=2),
    Row(
        "hand.gpt_generate",
        "handwritten",
        GptLike,
        lambda b: ([2, 7, 11], 6),
        modes=("script",),
        note="greedy loop over a growing List[int]; stops at eos",
    ),
    Row("hand.script_classes", "handwritten", ScriptClasses, lambda b: (torch.randn(4, 6),), modes=("script",)),
    Row(
        "hand.script_class_objects",
        "handwritten",
        ScriptClassObjects,
        lambda b: (torch.randn(3, 6),),
        modes=("script",),
        note="objects in lists and Optional fields become object constants, as PyTorch makes them",
    ),
    Row(
        "hand.strings",
        "handwritten",
        Strings,
        lambda b: ("  The cat, sat on #tag a Mat. zebra  ",),
        modes=("script",),
    ),
    Row("hand.fork_wait", "handwritten", ForkWait, lambda b: (torch.randn(5, 8),), modes=("script",)),
    Row("hand.lists_dicts", "handwritten", ListsAndDicts, lists_inputs, modes=("script",), test_batch=2),
]
