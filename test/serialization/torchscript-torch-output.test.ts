// Source that torch 1.13 wrote for constructs the fixtures lack (with-blocks, fork's nested def, Enum,
// NamedTuple, base-less classes, dict loops, defaults): captured from torch.jit.save of small scripted
// modules and embedded here, since tests read no files outside test/fixtures.
import { expect } from 'chai';
import {
  parseSource,
  printModuleSource,
  summarizeClass,
  type ClassDef,
  type FunctionDef,
} from '../../src/serialization/torchscript/index.js';
import { sexpr, structure } from './torchscript-test-helpers.js';

const TORCH_OUTPUT: Record<string, string> = {
  with_no_grad: [
    'class WithNoGrad(Module):',
    '  __parameters__ = []',
    '  __buffers__ = []',
    '  training : bool',
    '  _is_full_backward_hook : Optional[bool]',
    '  def forward(self: __torch__.WithNoGrad,',
    '    x: Tensor) -> Tensor:',
    '    _0 = __torch__.torch.autograd.grad_mode.no_grad.__new__(__torch__.torch.autograd.grad_mode.no_grad)',
    '    _1 = (_0).__init__()',
    '    with _0:',
    '      y = torch.mul(x, 2)',
    '    return y',
    '',
  ].join('\n'),
  grad_mode: [
    'class no_grad:',
    '  prev : bool',
    '  def __enter__(self: __torch__.torch.autograd.grad_mode.no_grad) -> NoneType:',
    '    self.prev = torch.is_grad_enabled()',
    '    torch.set_grad_enabled(False)',
    '    return None',
    '  def __exit__(self: __torch__.torch.autograd.grad_mode.no_grad,',
    '    exc_type: Any,',
    '    exc_value: Any,',
    '    traceback: Any) -> NoneType:',
    '    prev = self.prev',
    '    torch.set_grad_enabled(prev)',
    '    return None',
    '  def __init__(self: __torch__.torch.autograd.grad_mode.no_grad) -> NoneType:',
    '    self.prev = False',
    '    return None',
    '',
  ].join('\n'),
  many_forms: [
    'class M(Module):',
    '  __parameters__ = []',
    '  __buffers__ = []',
    '  training : bool',
    '  _is_full_backward_hook : Optional[bool]',
    '  d : Dict[str, int]',
    '  s : str',
    '  big : int',
    '  f : float',
    '  lst : List[float]',
    '  c : __torch__.Color',
    '  k : Final[int] = 3',
    '  def forward(self: __torch__.M,',
    '    x: Tensor,',
    '    y: Optional[Tensor]=None,',
    '    n: int=-3,',
    '    s: str="h\\"i") -> Tuple[Tensor, Dict[str, int], __torch__.Pt]:',
    '    _0 = uninitialized(int)',
    '    _1 = uninitialized(bool)',
    '    out = annotate(Dict[str, int], {})',
    '    d = self.d',
    '    _2 = torch.items(d)',
    '    for _3 in range(torch.len(_2)):',
    '      k, v, = _2[_3]',
    '      _4 = torch.add(torch.mul(v, 2), torch.floordiv(v, 3))',
    '      _5 = torch.sub(_4, torch.remainder(v, 2))',
    '      torch._set_item(out, k, _5)',
    '    i = 0',
    '    _6 = True',
    '    while _6:',
    '      i0 = torch.add(i, 1)',
    '      if torch.eq(i0, 5):',
    '        _7, _8, _9 = True, False, i0',
    '      else:',
    '        if torch.eq(i0, 3):',
    '          _10, _11, _12 = True, torch.lt(i0, 10), i0',
    '        else:',
    '          _10, _11, _12 = False, _1, _0',
    '        _7, _8, _9 = _10, _11, _12',
    '      if _7:',
    '        _13, _14 = _8, _9',
    '      else:',
    '        _13, _14 = torch.lt(i0, 10), i0',
    '      _6, i = _13, _14',
    '    if torch.gt(torch.dim(x), 0):',
    '      pass',
    '    else:',
    '      ops.prim.RaiseException("AssertionError: need dims")',
    '    if torch.gt(n, 0):',
    '      _15 = torch.unsqueeze(torch.slice(x, 0, 1, -1, 2), -1)',
    '      z = _15',
    '    else:',
    '      _16 = torch.select(torch.slice(x), 1, 0)',
    '      z = _16',
    '    if torch.__isnot__(y, None):',
    '      y1 = unchecked_cast(Tensor, y)',
    '      y0, z0 = y1, torch.add(z, y1)',
    '    else:',
    '      y0, z0 = y, z',
    '    _17 = isinstance(y0, Tensor)',
    '    if _17:',
    '      z1 = torch.mul(z0, 2)',
    '    else:',
    '      z1 = z0',
    '    w = annotate(List[int], [])',
    '    _18 = [1, 2, 3]',
    '    for _19 in range(torch.len(_18)):',
    '      a = _18[_19]',
    '      _20 = torch.append(w, torch.mul(a, 2))',
    '    f = self.f',
    '    e = torch.add(nan, f)',
    '    big = self.big',
    '    b = torch.sub(big, 1)',
    '    if torch.lt(1, n):',
    '      _21 = torch.lt(n, 5)',
    '    else:',
    '      _21 = False',
    '    if _21:',
    '      _23 = torch.__not__(torch.__contains__([1, 2], n))',
    '      _22 = _23',
    '    else:',
    '      _22 = False',
    '    if _22:',
    '      c = True',
    '    else:',
    '      c = torch.eq(n, 7)',
    '    q = torch.__or__(torch.__and__(n, 3), 6)',
    '    p = torch.pow(2, n)',
    '    mm = torch.matmul(x, x)',
    '    c0 = self.c',
    '    if torch.eq(c0, __torch__.Color.GREEN):',
    '      ops.prim.RaiseException(torch.add("bad ", s), "builtins.ValueError")',
    '    else:',
    '      pass',
    '    def __forked_function():',
    '      return torch.relu(x)',
    '    fut = fork(__forked_function)',
    '    r = torch.wait(fut)',
    '    _24 = torch.add(torch.add(torch.add(r, z1), p), mm)',
    '    _25 = torch.add(torch.add(_24, e), float(b))',
    '    _26 = torch.add(torch.add(_25, float(q)), float(c))',
    '    _27 = (torch.add(_26, float(torch.len(w))), out, __torch__.Pt(1, 2.))',
    '    return _27',
    'class Color(Enum):',
    '  RED = 1',
    '  GREEN = 2',
    'class Pt(NamedTuple):',
    '  x : int',
    '  y : float',
    '',
  ].join('\n'),
  defaults: [
    'class Sub(Module):',
    '  __parameters__ = ["p", ]',
    '  __buffers__ = ["b", ]',
    '  p : Tensor',
    '  b : Tensor',
    '  training : bool',
    '  _is_full_backward_hook : Optional[bool]',
    '  def forward(self: __torch__.Sub,',
    '    x: Tensor) -> Tuple[()]:',
    '    return ()',
    '  def other(self: __torch__.Sub,',
    '    x: Tensor,',
    '    t: Tuple[int, int]=(1, 2),',
    '    e: float=1.0000000000000001e-05,',
    '    s: str="a\\\'b") -> Tensor:',
    '    p = self.p',
    '    _0 = torch.add(x, p)',
    '    b = self.b',
    '    return torch.add(_0, b)',
    '',
  ].join('\n'),
};

function method(text: string, className: string, name: string): FunctionDef {
  const cls = parseSource(text, 't.py').body.find(
    (i) => i.kind === 'ClassDef' && i.name === className,
  ) as ClassDef;
  const def = cls.body.find((i) => i.kind === 'FunctionDef' && i.name === name);
  if (def?.kind !== 'FunctionDef') throw new Error(`${className}.${name} not found`);
  return def;
}

describe('torchscript source: torch output beyond the fixtures', function () {
  it('parses each file and prints it back byte for byte', function () {
    for (const [name, text] of Object.entries(TORCH_OUTPUT)) {
      const module = parseSource(text, name);
      const printed = printModuleSource(module);
      expect(printed === text || printed === `${text}\n`, name).to.equal(true);
      expect(structure(parseSource(printed, name).body)).to.equal(structure(module.body));
    }
  });

  it('reads a with block and the base-less no_grad class', function () {
    const forward = method(TORCH_OUTPUT['with_no_grad'] ?? '', 'WithNoGrad', 'forward');
    const withStmt = forward.body.find((s) => s.kind === 'With');
    expect(withStmt?.kind === 'With' && withStmt.items.map((i) => sexpr(i.context))).to.deep.equal(['_0']);
    const noGrad = parseSource(TORCH_OUTPUT['grad_mode'] ?? '', 'g.py').body[0] as ClassDef;
    expect(noGrad.bases).to.deep.equal([]);
    expect(summarizeClass(noGrad).flavor).to.equal('class');
    expect(summarizeClass(noGrad).methods.map((m) => m.name)).to.deep.equal([
      '__enter__',
      '__exit__',
      '__init__',
    ]);
  });

  it('reads the nested def torch writes for fork, dict-item loops, Enum and NamedTuple classes', function () {
    const text = TORCH_OUTPUT['many_forms'] ?? '';
    const forward = method(text, 'M', 'forward');
    const nested = forward.body.find((s) => s.kind === 'FunctionDef');
    expect(nested?.kind === 'FunctionDef' && nested.name).to.equal('__forked_function');
    expect(forward.params.map((p) => (p.default ? `${p.name}=${sexpr(p.default)}` : p.name))).to.deep.equal([
      'self',
      'x',
      'y=None',
      'n=(- 3)',
      's="h\\"i"',
    ]);
    const loop = forward.body.find((s) => s.kind === 'For');
    const unpack = loop?.kind === 'For' ? loop.body[0] : undefined;
    expect(unpack?.kind === 'Assign' && `${sexpr(unpack.target)} = ${sexpr(unpack.value)}`).to.equal(
      '(tuple k v) = ([] _2 _3)',
    );
    const classes = parseSource(text, 't.py').body.filter((i): i is ClassDef => i.kind === 'ClassDef');
    expect(classes.map((c) => `${c.name}:${summarizeClass(c).flavor}`)).to.deep.equal([
      'M:module',
      'Color:enum',
      'Pt:namedtuple',
    ]);
    const color = summarizeClass(classes[1] as ClassDef);
    expect(color.constants.map((c) => `${c.name}=${sexpr(c.value)}`)).to.deep.equal(['RED=1', 'GREEN=2']);
  });

  it('reads tuple and float defaults of an exported method', function () {
    const other = method(TORCH_OUTPUT['defaults'] ?? '', 'Sub', 'other');
    expect(other.params.map((p) => (p.default ? `${p.name}=${sexpr(p.default)}` : p.name))).to.deep.equal([
      'self',
      'x',
      't=(tuple 1 2)',
      'e=f0.00001',
      's="a\'b"',
    ]);
  });
});
