#!/usr/bin/python3
"""Writes test/passes/fold-goldens.json, the PyTorch 1.13 goldens of the folding passes: small conv/linear graphs
whose constants are in tsfreeze's lossless IR form, and the weight/bias PyTorch's own folding passes
(torch._C._jit_pass_fold_frozen_conv_bn / _add_or_sub / _mul_or_div; torch.nn.utils.fusion for linear, which
1.13's freeze does not fold) compute for them. Deterministic (seed 0). Run from the repository root with
Debian's python3-torch, then format:
    /usr/bin/python3 scripts/make-fold-goldens.py && npx prettier --write test/passes/fold-goldens.json"""
import base64
import json

import torch

torch.manual_seed(0)
IR_DTYPE = {torch.float32: 'Float', torch.float64: 'Double', torch.int32: 'Int', torch.int64: 'Long'}


def lossless(t):
    t = t.contiguous()
    sizes = ', '.join(str(s) for s in t.shape)
    return f'tensor<{IR_DTYPE[t.dtype]}({sizes})>"{base64.b64encode(t.numpy().tobytes()).decode()}"'


def graph_text(inputs, body, out):
    """IR text with every tensor/number of `inputs` (name -> value) as a prim::Constant."""
    lines = ['graph(%x : Tensor):']
    for name, v in inputs.items():
        if v is None:
            lines.append(f'  %{name} : NoneType = prim::Constant()')
        elif isinstance(v, torch.Tensor):
            lines.append(f'  %{name} : Tensor = prim::Constant[value={lossless(v)}]()')
        elif isinstance(v, bool):
            lines.append(f'  %{name} : bool = prim::Constant[value={int(v)}]()')
        elif isinstance(v, int):
            lines.append(f'  %{name} : int = prim::Constant[value={v}]()')
        elif isinstance(v, float):
            lines.append(f'  %{name} : float = prim::Constant[value={v!r}]()')
        else:
            lines.append(f'  %{name} : int[] = prim::Constant[value={list(v)}]()')
    return '\n'.join(lines + ['  ' + l for l in body] + [f'  return ({out})', ''])


def torch_graph(text):
    """Parses our text with PyTorch: its parser has no tensor literals, so tensors go in as inputs."""
    consts = {}
    lines = text.splitlines()
    params = ['%x : Tensor']
    kept = [lines[0]]
    for l in lines[1:]:
        if 'value=tensor<' in l:
            name = l.split()[0][1:]
            params.append(f'%{name} : Tensor')
            consts[name] = None
        else:
            kept.append(l)
    kept[0] = f'graph({", ".join(params)}):'
    return torch._C.parse_ir('\n'.join(kept)), list(consts)


def run_pass(text, values, pass_name, node_kind):
    g, names = torch_graph(text)
    first = next(iter(g.nodes()))
    for i in reversed(range(1, len(list(g.inputs())))):
        v = list(g.inputs())[i]
        c = g.insertConstant(values[v.debugName()])
        c.node().moveBefore(first)
        first = c.node()
        v.replaceAllUsesWith(c)
        g.eraseInput(i)
    getattr(torch._C, pass_name)(g)
    node = g.findNode(node_kind)
    kinds = [n.kind() for n in g.nodes() if n.kind() != 'prim::Constant']
    assert kinds == [node_kind], kinds
    w, b = node.inputsAt(1).toIValue(), node.inputsAt(2).toIValue()
    return {'weight': lossless(w), 'bias': None if b is None else lossless(b)}


CONV = {'stride': [1, 1], 'pad': [1, 1], 'dil': [1, 1], 'groups': 1}
BN_SCALARS = {'false': False, 'momentum': 0.1, 'eps': 1e-05, 'true': True}
cases = {}


def conv_bn(name, nd, dtype, bias, affine, eps):
    w = torch.randn(3, 2, *([3] * nd), dtype=dtype)
    vals = {'w': w, 'b': torch.randn(3, dtype=dtype) if bias else None,
            'g': torch.rand(3, dtype=dtype) + 0.5 if affine else None, 'beta': torch.randn(3, dtype=dtype) if affine else None,
            'mean': torch.randn(3, dtype=dtype) * 0.1, 'var': torch.rand(3, dtype=dtype) + 0.5,
            'stride': [1] * nd, 'pad': [1] * nd, 'dil': [1] * nd, 'groups': 1, **BN_SCALARS, 'eps': eps}
    body = [f'%y : Tensor = aten::conv{nd}d(%x, %w, %b, %stride, %pad, %dil, %groups)',
            '%z : Tensor = aten::batch_norm(%y, %g, %beta, %mean, %var, %false, %momentum, %eps, %true)']
    text = graph_text(vals, body, '%z')
    cases[name] = {'ir': text, 'input': [2, 2] + [5] * nd, 'dtype': str(dtype)[6:],
                   **run_pass(text, {k: v for k, v in vals.items() if isinstance(v, torch.Tensor)}, '_jit_pass_fold_frozen_conv_bn', f'aten::conv{nd}d')}


def conv_op(name, op, other, alpha=None, bias=True):
    vals = {'w': torch.randn(3, 2, 3, 3), 'b': torch.randn(3) if bias else None, **CONV, 'other': other}
    if alpha is not None:
        vals['alpha'] = alpha
    tail = ', %alpha' if alpha is not None else ''
    body = ['%y : Tensor = aten::conv2d(%x, %w, %b, %stride, %pad, %dil, %groups)', f'%z : Tensor = aten::{op}(%y, %other{tail})']
    text = graph_text(vals, body, '%z')
    pass_name = '_jit_pass_fold_frozen_conv_add_or_sub' if op in ('add', 'sub') else '_jit_pass_fold_frozen_conv_mul_or_div'
    cases[name] = {'ir': text, 'input': [2, 2, 5, 5], 'dtype': 'float32',
                   **run_pass(text, {k: v for k, v in vals.items() if isinstance(v, torch.Tensor)}, pass_name, 'aten::conv2d')}


conv_bn('conv2d_bn', 2, torch.float32, True, True, 1e-05)
conv_bn('conv1d_nobias_bn_noaffine', 1, torch.float32, False, False, 1e-03)
conv_bn('conv3d_bn_float64', 3, torch.float64, True, True, 1e-05)
conv_op('add_1c11', 'add', torch.randn(1, 3, 1, 1), alpha=1)
conv_op('sub_number_alpha2_nobias', 'sub', 0.3, alpha=2, bias=False)
conv_op('add_int_tensor', 'add', torch.tensor([2], dtype=torch.int32), alpha=1)
conv_op('mul_single', 'mul', torch.rand(1) + 0.5)
conv_op('div_number', 'div', 3.0)
conv_op('mul_1c11_nobias', 'mul', torch.rand(1, 3, 1, 1) + 0.5, bias=False)

# linear -> batch_norm: PyTorch 1.13 has no frozen pass; torch.nn.utils.fusion computes the same formula.
lw, lb = torch.randn(4, 3), torch.randn(4)
g, beta, mean, var = torch.rand(4) + 0.5, torch.randn(4), torch.randn(4) * 0.1, torch.rand(4) + 0.5
fw, fb = torch.nn.utils.fusion.fuse_linear_bn_weights(lw, lb, mean, var, 1e-05, g, beta)
vals = {'w': lw, 'b': lb, 'g': g, 'beta': beta, 'mean': mean, 'var': var, **BN_SCALARS}
body = ['%y : Tensor = aten::linear(%x, %w, %b)', '%z : Tensor = aten::batch_norm(%y, %g, %beta, %mean, %var, %false, %momentum, %eps, %true)']
cases['linear_bn'] = {'ir': graph_text(vals, body, '%z'), 'input': [5, 3], 'dtype': 'float32',
                      'weight': lossless(fw.detach()), 'bias': lossless(fb.detach())}

# The IR as a list of lines, for reading; test/passes/fold-goldens.ts joins them back (each ends in a newline).
goldens = {name: {**c, 'ir': c['ir'].splitlines()} for name, c in cases.items()}
with open('test/passes/fold-goldens.json', 'w') as f:
    json.dump(goldens, f, indent=2)
    f.write('\n')
