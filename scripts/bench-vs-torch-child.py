"""One PyTorch side of `npm run bench -- vs-torch`, in a fresh process (bench/vs-torch/protocol.ts).

Usage: python3 scripts/bench-vs-torch-child.py MODEL.pt SHAPE(e.g. 1x3x224x224) INFER_BUDGET_MS (0: no inference)
Loads with torch.jit.load, freezes with torch.jit.freeze, then times the frozen forward at one thread.
Prints one JSON line with the same fields as the Node child.
"""

import json
import resource
import sys
import threading
import time

import torch

torch.set_num_threads(1)


def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return (r.ru_utime + r.ru_stime) * 1000, r.ru_maxrss / 1024


def phase(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, {"wallMs": (time.perf_counter() - wall) * 1000, "cpuMs": (time.process_time() - cpu) * 1000}


def median_latency(fn, budget_ms):
    fn()
    times = []
    begin = time.perf_counter()
    while len(times) < 3 or (len(times) < 50 and (time.perf_counter() - begin) * 1000 < budget_ms):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2]


def main():
    path, shape_text, budget = sys.argv[1], sys.argv[2], float(sys.argv[3])
    shape = [int(s) for s in shape_text.split("x")]
    module, load = phase(lambda: torch.jit.load(path))
    frozen, freeze = phase(lambda: torch.jit.freeze(module))
    process_cpu, peak_rss = usage()
    infer = None  # a budget of 0: inference is not timed
    if budget > 0:
        n = 1
        for s in shape:
            n *= s
        x = torch.tensor([((i * 37) % 101) / 101 - 0.5 for i in range(n)], dtype=torch.float32).reshape(shape)
        with torch.no_grad():
            infer = median_latency(lambda: frozen(x), budget)
    print(json.dumps({"load": load, "freeze": freeze, "processCpuMs": process_cpu, "peakRssMb": peak_rss, "inferMs": infer}))


if __name__ == "__main__":
    # torch.jit.load parses the saved code recursively; the 100k-node chain's one long expression
    # overflows the main thread's 8 MiB stack, so run in a thread with a big one.
    threading.stack_size(1 << 30)
    worker = threading.Thread(target=main)
    worker.start()
    worker.join()
