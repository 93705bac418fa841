#!/usr/bin/python3
"""Regenerates test/fixtures/zoo/: the zoo rows small enough to commit, which `npm test` checks
(test/zoo/zoo-fixtures.test.ts) the way `npm run zoo` checks every row.

  /usr/bin/python3 scripts/zoo/make-fixtures.py            # all of FIXTURES
  /usr/bin/python3 scripts/zoo/make-fixtures.py nn.LSTM    # some

Each row is exported by export.py in its own process (PYTHONHASHSEED=0, as the sweep does); timings
and tracebacks are dropped from torch.json so regenerating changes only what PyTorch computes.
"""

import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(os.path.dirname(HERE)), "test", "fixtures", "zoo")

FIXTURES = [
    "tiny.gelu_mlp",
    "nn.LSTM",
    "nn.GRU",
    "nn.MultiheadAttention",
    "nn.TransformerEncoder.batch_first",
    "nn.EmbeddingBag.mean",
    "hand.script_classes",
    "hand.script_class_objects",
    "hand.strings",
    "hand.fork_wait",
    "hand.lists_dicts",
    "hand.gpt_generate",
]


def main():
    names = sys.argv[1:] or FIXTURES
    os.makedirs(OUT, exist_ok=True)
    for name in names:
        target = os.path.join(OUT, name)
        shutil.rmtree(target, ignore_errors=True)
        env = dict(os.environ, PYTHONHASHSEED="0")
        subprocess.run([sys.executable, os.path.join(HERE, "export.py"), "--row", name, "--cache", OUT], check=True, env=env)
        for mode in os.listdir(target):
            record = os.path.join(target, mode, "torch.json")
            if not os.path.exists(record):
                continue
            with open(record) as f:
                info = json.load(f)
            for volatile in ("seconds", "traceback"):
                info.pop(volatile, None)
            with open(record, "w") as f:
                json.dump(info, f, indent=1)
        print(name, "->", os.path.relpath(target))


if __name__ == "__main__":
    main()
