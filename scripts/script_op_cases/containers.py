# Containers built and mutated in place, reached through other containers (load-time cleanup must keep
# the writes): lists in lists made under an If, appends in loops, dict values, tuples holding lists.
import torch

CASES = [
    ("list appended after being put in an If-built list", "n: int, c: bool", """
a: List[int] = []
b: List[int] = []
if c:
    m = [a, b]
else:
    m = [a]
for i in range(n):
    a.append(i)
    b.append(i * 10)
return len(m[0]), sum(m[0]), len(m)""", [4, True]),
    ("tensor lists concatenated through an outer list", "x: torch.Tensor, c: bool", """
a: List[torch.Tensor] = []
b: List[torch.Tensor] = []
if c:
    m = [a, b]
else:
    m = [b, a]
for i in range(3):
    a.append(x * i)
    b.append(x + i)
out: List[torch.Tensor] = []
for part in m:
    out.append(torch.cat(part))
return torch.cat(out)""", [torch.arange(3.0), False]),
    ("list in a dict value appended later", "n: int", """
a: List[int] = []
d: Dict[str, List[int]] = {"k": a}
for i in range(n):
    a.append(i * i)
return d["k"]""", [4]),
    ("list in a tuple appended later", "n: int", """
a: List[int] = []
t = (a, n)
for i in range(n):
    a.append(i)
return t[0], t[1]""", [3]),
    ("list of lists extended and popped", "n: int", """
rows: List[List[int]] = []
for i in range(n):
    row: List[int] = []
    rows.append(row)
    for j in range(i):
        row.append(j)
last = rows.pop()
rows[0].extend(last)
return rows, last""", [4]),
    ("list passed to a helper that appends", "n: int", """
a: List[int] = []
for i in range(n):
    self.push(a, i)
return a""", [3]),
]
