# Scalar and list builtins models use: prim::min/max overloads, sum of lists, del, sorted, implicit
# conversions, devices.
import math

import torch

CASES = [
    ("max int", "a: int, b: int", "return max(a, b), min(a, b)", [3, -7]),
    ("max float", "a: float, b: float", "return max(a, b), min(a, b)", [2.5, -1.5]),
    ("max int float", "a: int, b: float", "return max(a, b), min(a, b), max(b, a), min(b, a)", [3, 2.5]),
    ("max nan", "a: float, b: float", "return max(a, b), max(b, a), min(a, b), min(b, a)", [float("nan"), 1.0]),
    ("max of int list", "l: List[int]", "return max(l), min(l)", [[4, -2, 9, 0]]),
    ("max of float list", "l: List[float]", "return max(l), min(l)", [[0.5, -2.5, 9.25]]),
    ("max of bool list", "l: List[bool]", "return max(l), min(l)", [[False, True, False]]),
    ("max of empty list", "l: List[int]", "return max(l)", [[]]),
    ("max of two lists", "a: List[int], b: List[int]", "return max(a, b), min(a, b)", [[1, 2, 3], [1, 3]]),
    ("max of two float lists", "a: List[float], b: List[float]", "return max(a, b), min(a, b)", [[1.0, 2.0], [1.0, 2.0, 0.5]]),
    ("max of two bool lists", "a: List[bool], b: List[bool]", "return max(a, b), min(a, b)", [[True], [False, True]]),
    ("max scalar number", "x: torch.Tensor", "a = x.item()\nreturn max(a, 2), min(a, 2.5)", [torch.tensor(3.5)]),
    ("sum of lists", "a: List[int], b: List[float], c: List[bool]", "return sum(a), sum(b), sum(c)", [[1, 2, 3], [0.5, 0.25], [True, False, True]]),
    ("sum of empty", "a: List[int]", "return sum(a)", [[]]),
    ("del list item", "l: List[int], i: int", "del l[i]\nreturn l", [[1, 2, 3, 4], -1]),
    ("del list out of range", "l: List[int]", "del l[7]\nreturn l", [[1, 2]]),
    ("del dict key", "d: Dict[str, int]", 'del d["b"]\nreturn d', [{"a": 1, "b": 2, "c": 3}]),
    ("del dict int key", "d: Dict[int, float]", "del d[2]\nreturn d", [{1: 1.0, 2: 2.0}]),
    ("del missing key", "d: Dict[str, int]", 'del d["z"]\nreturn d', [{"a": 1}]),
    ("sorted ints", "l: List[int]", "return sorted(l)", [[3, 1, 2, -5]]),
    ("sorted floats", "l: List[float]", "return sorted(l)", [[3.5, 1.0, -2.0]]),
    ("sorted bools", "l: List[bool]", "return sorted(l)", [[True, False, True]]),
    ("sort ints reverse", "l: List[int]", "l.sort(reverse=True)\nreturn l", [[3, 1, 2]]),
    ("sort floats", "l: List[float]", "l.sort()\nreturn l", [[3.5, 1.0, -2.0]]),
    ("IntImplicit", "x: torch.Tensor", "l = [1, 2, 3, 4, 5]\nreturn l[x]", [torch.tensor(2)]),
    ("FloatImplicit", "x: torch.Tensor", "return torch.full([2], x)", [torch.tensor(1.5)]),
    ("Int Float of tensor", "x: torch.Tensor", "return int(x), float(x), bool(x)", [torch.tensor(2.75)]),
    ("device of str", "s: str", "d = torch.device(s)\nreturn d.type, d.index", ["cpu"]),
    ("device with index", "s: str", "d = torch.device(s)\nreturn d.type, d.index", ["cuda:1"]),
    ("tensor device", "x: torch.Tensor", "return x.device.type, x.cpu() is x, x.is_cpu, x.is_cuda", [torch.ones(2)]),
    ("cpu keeps values", "x: torch.Tensor", "y = x.cpu()\nreturn y + 1", [torch.arange(3.0)]),
    ("to device str", "x: torch.Tensor", 'return x.to("cpu") * 2', [torch.arange(3.0)]),
    ("abs of numbers", "a: int, b: float", "return abs(a), abs(b)", [-3, -2.5]),
    ("list ops", "l: List[int]", "l.append(4)\nl.insert(0, 9)\nx = l.pop()\nl.extend([7, 8])\nl.reverse()\nreturn l, x, l.index(7), l.count(9)", [[1, 2]]),
    ("list remove clear", "l: List[int]", "l.remove(2)\nm = l.copy()\nl.clear()\nreturn l, m", [[1, 2, 3, 2]]),
    ("list contains compare", "a: List[int], b: List[int]", "return 2 in a, a == b, a != b, a + b", [[1, 2], [1, 2]]),
    ("dict methods", "d: Dict[str, int]", 'd["z"] = 26\nk = list(d.keys())\nv = list(d.values())\nx = d.pop("a")\ny = d.setdefault("q", 5)\nreturn k, v, x, y, d, len(d), "z" in d', [{"a": 1, "b": 2}]),
    ("dict items loop", "d: Dict[str, int]", "t = 0\nfor k, v in d.items():\n    t += len(k) * v\nreturn t", [{"ab": 2, "c": 5}]),
    ("range and enumerate", "n: int", "out: List[int] = []\nfor i, v in enumerate(range(2, n, 3)):\n    out.append(i * 100 + v)\nreturn out", [12]),
    ("zip lists", "a: List[int], b: List[str]", "out: List[str] = []\nfor x, y in zip(a, b):\n    out.append(str(x) + y)\nreturn out", [[1, 2, 3], ["a", "b"]]),
    ("int arithmetic", "a: int, b: int", "return a // b, a % b, -a // b, -a % b, a ** 2, a / b", [7, 3]),
    ("float arithmetic", "a: float, b: float", "return a // b, a % b, -a // b, -a % b, a ** b", [7.5, 2.0]),
    ("math module", "x: float", "return math.floor(x), math.ceil(x), math.sqrt(x), math.log(x), math.exp(x)", [2.25]),
]

CASES += [
    ("list += and *=", "a: List[int], b: List[int]", "c = a\na += b\nd = b\nd *= 3\nreturn a, c, d, b", [[1, 2], [3]]),
    ("list *= 0", "a: List[int]", "a *= 0\nreturn a", [[1, 2]]),
]
