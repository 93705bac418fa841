#!/usr/bin/python3
"""PyTorch 1.13's frozen node-kind counts without heap address reuse, for the zoo's counts step.

PyTorch 1.13's ConstantPropagation asks an AliasDb keyed by Value addresses while it destroys values;
a constant later allocated at a freed, written value's address counts as written, and its users stay
unfolded. PyTorch's own counts therefore depend on glibc's allocator. Run under LD_PRELOAD of
nofree.so (free() does nothing), no address is reused and the counts follow PyTorch's rules only.

    LD_PRELOAD=nofree.so counts_no_reuse.py MODE_DIR...

For each <row>/<mode> folder: torch.jit.load(model.pt).eval(), torch.jit.freeze, and the counts go
into torch.json as `counts_no_reuse` (the sweep accepts ours if equal to `counts` or to these).
One JSON line per folder on stdout: {"dir": ..., "ok": true} or {"dir": ..., "ok": false, "error": ...}.
"""

import json
import os
import sys

import torch

try:
    import torchvision  # noqa: F401  (registers torchvision:: operators)
except ImportError:
    pass
try:
    import torchaudio  # noqa: F401
except ImportError:
    pass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import kind_counts  # noqa: E402


def main(dirs):
    if "nofree" not in os.environ.get("LD_PRELOAD", ""):
        sys.exit("counts_no_reuse.py must run with LD_PRELOAD=.../nofree.so")
    torch.set_num_threads(1)
    for mode_dir in dirs:
        try:
            frozen = torch.jit.freeze(torch.jit.load(os.path.join(mode_dir, "model.pt")).eval())
            path = os.path.join(mode_dir, "torch.json")
            with open(path) as f:
                info = json.load(f)
            info["counts_no_reuse"] = kind_counts(frozen.graph)
            with open(path + ".tmp", "w") as f:
                json.dump(info, f, indent=1)
            os.replace(path + ".tmp", path)
            print(json.dumps({"dir": mode_dir, "ok": True}), flush=True)
        except Exception as e:  # one bad folder must not stop the others
            print(json.dumps({"dir": mode_dir, "ok": False, "error": str(e)[-400:]}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
