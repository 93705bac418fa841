#!/usr/bin/python3
"""Asks PyTorch 1.13's AliasDb about every graph of an .ir case file and writes its answers as JSON.

Usage: /usr/bin/python3 scripts/alias-db-oracle.py [test/fixtures/alias_db/cases.ir [OUT.json]]

Cases are split by `// -----` lines (comment lines are dropped); each is parsed with torch._C.parse_ir and
analysed with Graph.alias_db() (PyTorch's AliasDb, not in frozen mode). Values are numbered in one fixed
order (graph inputs; then per node: each block's inputs and nodes, recursively, then the node's outputs),
which test/analysis/alias-db-oracle.test.ts reproduces on tsfreeze's parse of the same text. Per case:
  "values":   [{"type": str, "has_writers": bool}, ...]   in that order
  "contain":  [[i, j], ...]  pairs (i < j) of values that may contain an alias of each other
"""

import json
import os
import re
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CASES = os.path.join(HERE, "..", "test", "fixtures", "alias_db", "cases.ir")


def split_cases(text):
    cases, current = [], []
    for line in text.split("\n"):
        if line.strip() == "// -----":
            cases.append(current)
            current = []
        else:
            current.append(line)
    cases.append(current)
    out = []
    for lines in cases:
        # The case's title: the comment line right above its graph.
        first = next((i for i, l in enumerate(lines) if l.strip() and not l.strip().startswith("//")), 0)
        title = next((l.strip()[2:].strip() for l in reversed(lines[:first]) if l.strip().startswith("//")), "")
        # print(graph) writes an output-less node as ` = kind(...)`; torch's parse_ir wants `kind(...)`.
        body = "\n".join(re.sub(r"^(\s*) = ", r"\1", l) for l in lines if not l.strip().startswith("//"))
        if body.strip():
            out.append((title, body))
    return out


def values_in_order(graph):
    order = list(graph.inputs())

    def walk(block):
        for node in block.nodes():
            for sub in node.blocks():
                order.extend(sub.inputs())
                walk(sub)
            order.extend(node.outputs())

    walk(graph)
    return order


MUTABLE_KINDS = ("TensorType", "ListType", "DictType", "ClassType", "OptionalType", "TupleType",
                 "UnionType", "AnyType", "FutureType")


def main():
    cases_path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CASES
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(cases_path), "expected.json")
    with open(cases_path) as f:
        cases = split_cases(f.read())
    results = []
    for title, body in cases:
        graph = torch._C.parse_ir(body)
        db = graph.alias_db()
        values = values_in_order(graph)
        described = [{"type": str(v.type()), "has_writers": bool(db.has_writers(v))} for v in values]
        mutable = [i for i, v in enumerate(values) if v.type().kind() in MUTABLE_KINDS]
        contain = []
        for a in range(len(mutable)):
            for b in range(a + 1, len(mutable)):
                i, j = mutable[a], mutable[b]
                if db.may_contain_alias(values[i], values[j]):
                    contain.append([i, j])
        results.append({"title": title, "values": described, "contain": contain})
    with open(out_path, "w") as f:
        json.dump({"torch": torch.__version__, "cases": results}, f, indent=1)
        f.write("\n")
    print("%d cases -> %s" % (len(results), out_path))


if __name__ == "__main__":
    main()
