#!/usr/bin/python3
"""Compiles test/fixtures/_emit/cases.py with PyTorch 1.13's TorchScript compiler and writes the graph of each
function to test/fixtures/_emit/<function>.txt: the emitter tests compare tsfreeze's graphs for the same
source with these, structurally.

torch.jit.CompilationUnit(source) runs the same C++ frontend (ir_emitter, convert_to_ssa, cleanup passes)
torch.jit.load runs on archive code. Run with Debian's python:
    /usr/bin/python3 scripts/extract-emit-expectations.py
"""

import os
import re

import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
DIR = os.path.join(ROOT, 'test', 'fixtures', '_emit')


def main():
    with open(os.path.join(DIR, 'cases.py')) as f:
        source = f.read()
    cu = torch.jit.CompilationUnit(source)
    for name in re.findall(r'^def (\w+)\(', source, re.M):
        out = os.path.join(DIR, name + '.txt')
        with open(out, 'w') as f:
            f.write(str(getattr(cu, name).graph))
        print(out)


if __name__ == '__main__':
    main()
