"""Fixture cases for `with` statements (issue 10: retinanet's archived code holds `with torch.no_grad():`).

TorchScript compiles `with obj:` into prim::Enter(obj) ... prim::Exit(obj) in the same block: Enter calls
obj.__enter__() (its result is the `as` target), Exit calls obj.__exit__(None, None, None); a return or
break inside the body still reaches the Exit (exit transforms), and an exception raised inside the body
runs __exit__ before it propagates. torch.jit.freeze keeps Enter/Exit and the context object (its
__init__ inlined into SetAttrs). Registered into scripts/generate_fixtures.py like aliasing.py.
"""

from typing import Any, Tuple

import torch
import torch.nn as nn
from torch import Tensor

from fixture_generator import Spec, case, fwd, randn


class NoGradBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 3)

    def forward(self, x):
        y = x * 2
        with torch.no_grad():
            z = self.lin(y)
            w = z + 1
        return w - y


@case("with_no_grad")
def _():
    x = randn(2, 3)
    return Spec(NoGradBlock(), [fwd(x), fwd(x + 1)],
                "`with torch.no_grad():` around a submodule call: the no_grad object, its __init__ "
                "inlined into a SetAttr, prim::Enter / prim::Exit kept by freezing.",
                ["with statement", "torch.no_grad", "prim::Enter", "prim::Exit"])


@torch.jit.script
class Tally(object):
    """A context manager with visible effects: __enter__ adds `step` to the log and returns log * 10,
    __exit__ doubles the log."""

    def __init__(self, log: Tensor, step: float):
        self.log = log
        self.step = step

    def __enter__(self) -> Tensor:
        self.log.add_(self.step)
        return self.log * 10

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        self.log.mul_(2)


class WithExits(nn.Module):
    """`with ... as`, two items in one `with`, a return inside the body, a break inside a `with` in a
    loop; the log is a buffer, so the effects carry over from call to call. (PyTorch 1.13 fails an
    internal assert when a variable assigned after a possible exit inside a `with` body is read after
    the block, so the bodies only write in place there.)"""

    def __init__(self):
        super().__init__()
        self.register_buffer("log", torch.zeros(1))

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        y = x.clone()
        with Tally(self.log, 1.0) as t, torch.no_grad():
            if bool(x.sum() > 0):
                return x + t, self.log.clone()
            y.sub_(t)
        for i in range(3):
            with Tally(self.log, 0.5):
                if i == 1:
                    break
                y.mul_(2)
        return y, self.log.clone()


@case("with_exits")
def _():
    x = randn(4)
    return Spec(WithExits(), [fwd(x.abs()), fwd(-x.abs()), fwd(x.abs())],
                "`with Tally(...) as t, torch.no_grad():` with an early return in the body and a break "
                "inside a `with` in a loop: __enter__/__exit__ of a script class run in order on every path.",
                ["with statement", "with ... as", "return inside with", "break inside with",
                 "script class context manager"])


class WithRaise(nn.Module):
    """An exception raised inside the body runs __exit__ before it propagates: the next call sees it."""

    def __init__(self):
        super().__init__()
        self.register_buffer("log", torch.zeros(1))

    def forward(self, x: Tensor) -> Tensor:
        with Tally(self.log, 1.0):
            if bool(x.sum() < 0):
                raise ValueError("negative input")
            y = x + self.log
        return y * self.log


@case("with_raise")
def _():
    x = randn(3).abs()
    return Spec(WithRaise(), [fwd(x), fwd(-x), fwd(x)],
                "a raise inside a `with` body: PyTorch's interpreter calls __exit__ on the way out, so the "
                "third call sees the log doubled by the second (raising) call.",
                ["with statement", "raise inside with", "__exit__ on exception"])
