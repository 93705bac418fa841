#!/usr/bin/python3
"""PyTorch's side of `npm run bench -- inference`: a long-lived process on one thread that the Node bench
drives over stdin/stdout, one JSON object per line each way, so both sides are timed alternately in the
same run on the same machine state.

Requests:
  {"cmd": "load", "name", "path", "input", "shape", "output"}  torch.jit.load + eval + torch.jit.freeze;
      reads the raw float32 input, writes the frozen model's output (raw float32) to "output".
      Answers {"ok": true, "shape": [...]}.
  {"cmd": "time", "name", "variant": "scripted" | "frozen", "reps", "min_ms"}  runs forward at least
      `reps` times and for at least `min_ms`; answers {"ok": true, "ms": [per-call times]}.
  {"cmd": "warm", "name", "variant", "min_ms"}  untimed calls (the profiling executor settles first).
Errors answer {"ok": false, "error": "..."}; end of input ends the process.
Run with Debian's /usr/bin/python3 (torch 1.13)."""

import array
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_grad_enabled(False)
models = {}


def handle(req):
    cmd = req["cmd"]
    if cmd == "load":
        x = torch.frombuffer(bytearray(open(req["input"], "rb").read()), dtype=torch.float32).reshape(req["shape"])
        scripted = torch.jit.load(req["path"]).eval()
        frozen = torch.jit.freeze(scripted)
        y = frozen(x)
        with open(req["output"], "wb") as f:
            array.array("f", y.flatten().tolist()).tofile(f)
        models[req["name"]] = {"x": x, "scripted": scripted, "frozen": frozen}
        return {"ok": True, "shape": list(y.shape)}
    model = models[req["name"]]
    fn, x = model[req["variant"]], model["x"]
    if cmd == "warm":
        begin = time.perf_counter()
        i = 0
        while i < 3 or time.perf_counter() - begin < req["min_ms"] / 1000:
            fn(x)
            i += 1
        return {"ok": True}
    if cmd == "time":
        times = []
        begin = time.perf_counter()
        while len(times) < req["reps"] or time.perf_counter() - begin < req["min_ms"] / 1000:
            t = time.perf_counter()
            fn(x)
            times.append((time.perf_counter() - t) * 1000)
        return {"ok": True, "ms": times}
    raise ValueError("unknown command " + cmd)


for line in sys.stdin:
    if not line.strip():
        continue
    try:
        answer = handle(json.loads(line))
    except Exception as e:  # the Node side reports it and carries on without torch numbers
        answer = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
