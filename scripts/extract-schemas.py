#!/usr/bin/python3
"""Extract PyTorch 1.13's operator schemas (and two facts about each) into tsfreeze's operator table.

Writes, next to the TypeScript that reads them:
  src/ops/data/schemas.txt   one schema string per line, exactly as str(torch._C.FunctionSchema) prints it
  src/ops/data/schemas.ts    the same strings as a TypeScript module (so tsc carries them into dist/),
                             plus the schemas PyTorch itself reports side effects / nondeterminism for

Regenerate (Debian bookworm's python3-torch 1.13.1; other interpreters on PATH have no torch):
  /usr/bin/python3 scripts/extract-schemas.py
  npx prettier --check src/ops/data/schemas.ts        # the output is already prettier-clean

What is kept: every schema of the `aten` and `prim` namespaces, and of `torchvision` (the custom operators
torchvision 0.14 registers on import: nms, roi_align, roi_pool, ps_roi_*, deform_conv2d and their
backward ops). Custom operator namespaces are ordinary entries of the one table. Order: operator names sorted; the overloads of one operator stay in
PyTorch's registration order, which is the order TorchScript's overload resolution tries them in.

The facts are measured on PyTorch, not copied from its sources: for each schema the script builds a
one-node graph whose inputs have the argument types (type variables replaced by Tensor), then asks
  - Node.isNondeterministic()                    -> TORCH_NONDETERMINISTIC
  - whether torch._C._jit_pass_dce keeps the node although no output is used, for schemas that write
    none of their arguments                      -> TORCH_SIDE_EFFECTS
A schema whose node PyTorch resolves to an earlier overload (a handful, listed in the output) is
not measured; tsfreeze's own rules (src/ops/facts.ts) cover those.
"""

import os
import sys

import torch
import torchvision  # noqa: F401  (registers the torchvision:: operators)

C = torch._C
NAMESPACES = ('aten', 'prim', 'torchvision')
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, 'src', 'ops', 'data')


def concrete(t):
    """The type with every type variable replaced by Tensor, so a graph value can carry it."""
    kind = t.kind()
    if kind == 'VarType':
        return C.TensorType.get()
    if kind == 'ListType':
        return C.ListType(concrete(t.getElementType()))
    if kind == 'OptionalType':
        return C.OptionalType(concrete(t.getElementType()))
    if kind == 'DictType':
        return C.DictType(concrete(t.getKeyType()), concrete(t.getValueType()))
    if kind == 'TupleType':
        return C.TupleType([concrete(e) for e in t.elements()])
    return t


def key(schema):
    """`aten::add.Tensor`, or `aten::relu` when the overload name is empty."""
    return schema.name + ('.' + schema.overload_name if schema.overload_name else '')


def probe(schema):
    """(nondeterministic, side_effects) as PyTorch sees a node of this schema, or None if unmeasurable."""
    text = str(schema)
    graph = C.Graph()
    inputs = []
    for arg in schema.arguments:
        value = graph.addInput()
        value.setType(concrete(arg.type))
        inputs.append(value)
    outputs = 1 if text.endswith('-> ...') else max(1, len(schema.returns))
    node = graph.create(schema.name, inputs, outputs)
    graph.insertNode(node)
    try:
        if str(node.schema()) != text:
            return None
    except RuntimeError:
        return None
    nondeterministic = node.isNondeterministic()
    writes = any(a.alias_info is not None and a.alias_info.is_write for a in schema.arguments)
    C._jit_pass_dce(graph)
    kept = any(True for _ in graph.nodes())
    return nondeterministic, kept and not writes


def ts_string(text):
    # Single quotes as prettier's singleQuote setting wants; escape what a JS string literal needs.
    return "'" + text.replace('\\', '\\\\').replace("'", "\\'") + "'"


def ts_array(name, doc, items):
    lines = ['/** %s */' % doc, 'export const %s: readonly string[] = [' % name]
    lines += ['  %s,' % ts_string(i) for i in items]
    lines.append('];')
    return lines


def main():
    if not torch.__version__.startswith('1.13'):
        sys.exit('expected PyTorch 1.13 (Debian python3-torch), found ' + torch.__version__)
    names = sorted({s.name for s in C._jit_get_all_schemas() if s.name.split('::')[0] in NAMESPACES})
    schemas = []
    for name in names:
        schemas.extend(C._jit_get_schemas_for_operator(name))
    texts = [str(s) for s in schemas]
    assert len(set(texts)) == len(texts), 'duplicate schema strings'

    nondeterministic, side_effects, unmeasured = [], [], []
    for schema in schemas:
        facts = probe(schema)
        if facts is None:
            unmeasured.append(key(schema))
            continue
        if facts[0]:
            nondeterministic.append(key(schema))
        if facts[1]:
            side_effects.append(key(schema))

    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, 'schemas.txt'), 'w') as f:
        f.write('\n'.join(texts) + '\n')
    out = [
        '// Generated by scripts/extract-schemas.py from PyTorch %s: do not edit, rerun the script.' % torch.__version__,
        '// The operator schemas of the aten, prim and torchvision namespaces, and facts measured on PyTorch itself.',
        '',
    ]
    out += ts_array(
        'TORCH_SCHEMAS',
        'Every aten/prim/torchvision schema, operators sorted by name, overloads in PyTorch\'s registration order.',
        texts,
    )
    out.append('')
    out += ts_array(
        'TORCH_SIDE_EFFECTS',
        'Overloads whose node PyTorch\'s dead-code elimination keeps with no used output (Node::hasSideEffects).',
        side_effects,
    )
    out.append('')
    out += ts_array(
        'TORCH_NONDETERMINISTIC',
        'Overloads PyTorch reports Node::isNondeterministic for (with a non-constant `train` for dropout).',
        nondeterministic,
    )
    out.append('')
    out += ts_array(
        'TORCH_UNMEASURED',
        'Overloads whose facts could not be measured: PyTorch resolves their node to an earlier overload.',
        unmeasured,
    )
    with open(os.path.join(OUT_DIR, 'schemas.ts'), 'w') as f:
        f.write('\n'.join(out) + '\n')
    print('%d schemas (%d side effects, %d nondeterministic, %d unmeasured: %s)' % (
        len(texts), len(side_effects), len(nondeterministic), len(unmeasured), ', '.join(unmeasured)))


if __name__ == '__main__':
    main()
