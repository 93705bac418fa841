// The code printer against PyTorch 1.13 on hand-written graphs: each IR text below was parsed by
// torch._C.parse_ir and printed by torch._C._create_function_from_graph(name, graph).code; the expected
// text is that output, pasted. (PyTorch's IR parser keeps debug names only on graph and block inputs,
// so every other value here is numbered, which makes both sides name them alike. Nodes without outputs
// are written ` = kind(...)` as print(graph) shows them; torch's parse_ir was given them without ` = `.)

import { expect } from 'chai';
import '../../src/index.js';
import { Graph } from '../../src/ir/graph.js';
import { parseIR } from '../../src/ir/text/index.js';
import { TensorTensor } from '../../src/ir/types.js';
import { Function } from '../../src/module/function.js';
import { printMethodCode } from '../../src/serialization/printer/index.js';

interface GoldenCase {
  readonly ir: string;
  readonly code: string;
}

const CASES: Readonly<Record<string, GoldenCase>> = {
  for_loop_carried: {
    ir: `graph(%x.1 : Tensor, %n.1 : int):
  %2 : bool = prim::Constant[value=1]()
  %3 : int = prim::Constant[value=1]()
  %4 : Tensor = prim::Loop(%n.1, %2, %x.1)
    block0(%i.1 : int, %y.3 : Tensor):
      %5 : Tensor = aten::add(%y.3, %i.1, %3)
      -> (%2, %5)
  return (%4)
`,
    code: `def for_loop_carried(x: Tensor,
    n: int) -> Tensor:
  _0 = x
  for i in range(n):
    _0 = torch.add(_0, i)
  return _0
`,
  },
  for_unnamed_counter: {
    ir: `graph(%x.1 : Tensor, %n.1 : int):
  %2 : bool = prim::Constant[value=1]()
  %3 : int = prim::Constant[value=2]()
  %4 : Tensor = prim::Loop(%n.1, %2, %x.1)
    block0(%5 : int, %y.3 : Tensor):
      %6 : Tensor = aten::mul(%y.3, %3)
      -> (%2, %6)
  return (%4)
`,
    code: `def for_unnamed_counter(x: Tensor,
    n: int) -> Tensor:
  _0 = x
  for _1 in range(n):
    _0 = torch.mul(_0, 2)
  return _0
`,
  },
  while_loop: {
    ir: `graph(%x.1 : Tensor, %limit.1 : int):
  %1 : int = prim::Constant[value=9223372036854775807]()
  %2 : int = prim::Constant[value=0]()
  %3 : int = prim::Constant[value=1]()
  %4 : bool = aten::lt(%2, %limit.1)
  %5 : Tensor, %6 : int = prim::Loop(%1, %4, %x.1, %2)
    block0(%7 : int, %y.3 : Tensor, %i.3 : int):
      %8 : Tensor = aten::tanh(%y.3)
      %9 : int = aten::add(%i.3, %3)
      %10 : bool = aten::lt(%9, %limit.1)
      -> (%10, %8, %9)
  %11 : (Tensor, int) = prim::TupleConstruct(%5, %6)
  return (%11)
`,
    code: `def while_loop(x: Tensor,
    limit: int) -> Tuple[Tensor, int]:
  _0 = x
  _1 = 0
  _2 = torch.lt(0, limit)
  while _2:
    _3 = torch.tanh(_0)
    _4 = torch.add(_1, 1)
    _2, _0, _1 = torch.lt(_4, limit), _3, _4
  return (_0, _1)
`,
  },
  if_outputs_and_pass: {
    ir: `graph(%x.1 : Tensor, %flag.1 : bool):
  %2 : int = prim::Constant[value=1]()
  %3 : str = prim::Constant[value="boom"]()
  %4 : NoneType = prim::Constant()
  %5 : Tensor, %6 : int = prim::If(%flag.1)
    block0():
      %7 : Tensor = aten::relu(%x.1)
      -> (%7, %2)
    block1():
      -> (%x.1, %2)
  %8 : bool = aten::eq(%6, %2)
   = prim::If(%8)
    block0():
       = prim::RaiseException(%3, %4)
      -> ()
    block1():
      -> ()
  return (%5)
`,
    code: `def if_outputs_and_pass(x: Tensor,
    flag: bool) -> Tensor:
  if flag:
    _0, _1 = torch.relu(x), 1
  else:
    _0, _1 = x, 1
  if torch.eq(_1, 1):
    ops.prim.RaiseException("boom")
  else:
    pass
  return _0
`,
  },
  optional_annotation: {
    ir: `graph(%x.1 : Tensor?, %flag.1 : bool):
  %2 : NoneType = prim::Constant()
  %3 : Tensor? = prim::If(%flag.1)
    block0():
      -> (%x.1)
    block1():
      -> (%2)
  %4 : Tensor? = prim::If(%flag.1)
    block0():
      -> (%3)
    block1():
      -> (%x.1)
  return (%4)
`,
    code: `def optional_annotation(x: Optional[Tensor],
    flag: bool) -> Optional[Tensor]:
  if flag:
    _0 : Optional[Tensor] = x
  else:
    _0 = None
  if flag:
    _1 : Optional[Tensor] = _0
  else:
    _1 = x
  return _1
`,
  },
  tuple_and_list_unpack: {
    ir: `graph(%t.1 : (Tensor, Tensor), %l.1 : int[]):
  %2 : Tensor, %3 : Tensor = prim::TupleUnpack(%t.1)
  %4 : int, %5 : int = prim::ListUnpack(%l.1)
  %6 : Tensor = aten::add(%2, %3, %4)
  %7 : Tensor = aten::mul(%6, %5)
  return (%7)
`,
    code: `def tuple_and_list_unpack(t: Tuple[Tensor, Tensor],
    l: List[int]) -> Tensor:
  _0, _1, = t
  _2, _3, = l
  _4 = torch.mul(torch.add(_0, _1, alpha=_2), _3)
  return _4
`,
  },
  long_inline_split: {
    ir: `graph(%input_tensor_with_long_name.1 : Tensor, %other_tensor_with_long_name.1 : Tensor):
  %2 : int = prim::Constant[value=1]()
  %3 : Tensor = aten::add(%input_tensor_with_long_name.1, %other_tensor_with_long_name.1, %2)
  %4 : Tensor = aten::mul(%other_tensor_with_long_name.1, %input_tensor_with_long_name.1)
  %5 : Tensor = aten::sub(%3, %4, %2)
  %6 : Tensor = aten::relu(%5)
  return (%6)
`,
    code: `def long_inline_split(input_tensor_with_long_name: Tensor,
    other_tensor_with_long_name: Tensor) -> Tensor:
  _0 = torch.add(input_tensor_with_long_name, other_tensor_with_long_name)
  _1 = torch.mul(other_tensor_with_long_name, input_tensor_with_long_name)
  return torch.relu(torch.sub(_0, _1))
`,
  },
  inline_order_breaks: {
    ir: `graph(%x.1 : Tensor, %y.1 : Tensor):
  %2 : int = prim::Constant[value=1]()
  %3 : Tensor = aten::relu(%x.1)
  %4 : Tensor = aten::sigmoid(%y.1)
  %5 : Tensor = aten::add(%4, %3, %2)
  return (%5)
`,
    code: `def inline_order_breaks(x: Tensor,
    y: Tensor) -> Tensor:
  _0 = torch.relu(x)
  return torch.add(torch.sigmoid(y), _0)
`,
  },
  float_literals: {
    ir: `graph(%x.1 : Tensor):
  %1 : float = prim::Constant[value=1.0000000000000001e-05]()
  %2 : float = prim::Constant[value=0.10000000000000001]()
  %3 : float = prim::Constant[value=10000000000.]()
  %4 : float = prim::Constant[value=2.]()
  %5 : float = prim::Constant[value=1e+20]()
  %6 : float = prim::Constant[value=-2.5]()
  %7 : float = prim::Constant[value=0.]()
  %8 : float[] = prim::ListConstruct(%1, %2, %3, %4, %5, %6, %7)
  %9 : (Tensor, float[]) = prim::TupleConstruct(%x.1, %8)
  return (%9)
`,
    code: `def float_literals(x: Tensor) -> Tuple[Tensor, List[float]]:
  _0 = [1.0000000000000001e-05, 0.10000000000000001, 10000000000, 2., 1e+20, -2.5, 0.]
  return (x, _0)
`,
  },
  strings_and_names: {
    ir: `graph(%ops.1 : Tensor, %self.w.1 : Tensor, %_.1 : Tensor):
  %2 : int = prim::Constant[value=1]()
  %3 : str = prim::Constant[value="quote\\" and \\\\ backslash\\n"]()
  %4 : str = prim::Constant[value="a string constant that is long enough to get its own line"]()
  %5 : Tensor = aten::add(%ops.1, %self.w.1, %2)
  %6 : Tensor = aten::add(%5, %_.1, %2)
  %7 : (Tensor, str, str) = prim::TupleConstruct(%6, %3, %4)
  return (%7)
`,
    code: `def strings_and_names(ops0: Tensor,
    self.w: Tensor,
    _0: Tensor) -> Tuple[Tensor, str, str]:
  _1 = "a string constant that is long enough to get its own line"
  _2 = torch.add(torch.add(ops0, self.w), _0)
  _3 = (_2, "quote\\" and \\\\ backslash\\n", _1)
  return _3
`,
  },
  kwarg_only_and_defaults: {
    ir: `graph(%x.1 : Tensor, %n.1 : int):
  %2 : NoneType = prim::Constant()
  %3 : int = prim::Constant[value=1]()
  %4 : int = prim::Constant[value=0]()
  %5 : int = prim::dtype(%x.1)
  %6 : Device = prim::device(%x.1)
  %7 : int[] = prim::ListConstruct(%n.1, %n.1)
  %8 : Tensor = aten::zeros(%7, %5, %2, %6, %2)
  %9 : Tensor = aten::sum(%x.1, %2)
  %10 : Tensor = aten::cumsum(%x.1, %3, %2)
  %11 : Tensor = aten::add(%8, %9, %3)
  %12 : Tensor = aten::add(%11, %10, %3)
  %13 : Tensor = aten::softmax(%12, %4, %2)
  return (%13)
`,
    code: `def kwarg_only_and_defaults(x: Tensor,
    n: int) -> Tensor:
  _0 = ops.prim.dtype(x)
  _1 = ops.prim.device(x)
  _2 = torch.zeros([n, n], dtype=_0, layout=None, device=_1)
  _3 = torch.sum(x)
  _4 = torch.cumsum(x, 1)
  _5 = torch.softmax(torch.add(torch.add(_2, _3), _4), 0)
  return _5
`,
  },
  getitem_tupleindex_slice: {
    ir: `graph(%x.1 : Tensor, %t.1 : (int, int, int)):
  %0 : int = prim::Constant[value=0]()
  %1 : int = prim::Constant[value=1]()
  %2 : int[] = aten::size(%x.1)
  %3 : int = aten::__getitem__(%2, %0)
  %4 : int = prim::TupleIndex(%t.1, %1)
  %5 : (int, int) = prim::TupleSlice[beg=0, end=2](%t.1)
  %6 : int = aten::__getitem__(%2, %1)
  %7 : int = aten::add(%3, %4)
  %8 : (int, (int, int), int) = prim::TupleConstruct(%7, %5, %6)
  return (%8)
`,
    code: `def getitem_tupleindex_slice(x: Tensor,
    t: Tuple[int, int, int]) -> Tuple[int, Tuple[int, int], int]:
  _0 = torch.size(x)
  _1 = _0[0]
  _2 = (t)[1]
  _3 = (t)[0:2]
  _4 = _0[1]
  return (torch.add(_1, _2), _3, _4)
`,
  },
  conversions_and_casts: {
    ir: `graph(%x.1 : Tensor, %o.1 : int?):
  %2 : int = aten::Int(%x.1)
  %3 : float = aten::Float(%x.1)
  %4 : bool = aten::Bool(%x.1)
  %5 : str = aten::str(%2)
  %6 : int = prim::unchecked_cast(%o.1)
  %7 : Tensor = prim::NumToTensor(%3)
  %8 : (int, float, bool, str, int, Tensor) = prim::TupleConstruct(%2, %3, %4, %5, %6, %7)
  return (%8)
`,
    code: `def conversions_and_casts(x: Tensor,
    o: Optional[int]) -> Tuple[int, float, bool, str, int, Tensor]:
  _0 = int(x)
  _1 = float(x)
  _2 = (_0, _1, bool(x), str(_0), unchecked_cast(int, o), ops.prim.NumToTensor(_1))
  return _2
`,
  },
  lists_dicts: {
    ir: `graph(%x.1 : Tensor, %y.1 : Tensor?, %k.1 : str):
  %2 : Tensor[] = prim::ListConstruct(%x.1, %x.1)
  %3 : Tensor?[] = prim::ListConstruct(%x.1, %y.1)
  %4 : Dict(str, Tensor) = prim::DictConstruct(%k.1, %x.1)
  %5 : Dict(str, Tensor?) = prim::DictConstruct(%k.1, %y.1)
  %6 : float[] = prim::ListConstruct()
  %7 : (Tensor[], Tensor?[], Dict(str, Tensor), Dict(str, Tensor?), float[]) = prim::TupleConstruct(%2, %3, %4, %5, %6)
  return (%7)
`,
    code: `def lists_dicts(x: Tensor,
    y: Optional[Tensor],
    k: str) -> Tuple[List[Tensor], List[Optional[Tensor]], Dict[str, Tensor], Dict[str, Optional[Tensor]], List[float]]:
  _0 = [x, x]
  _1 = annotate(List[Optional[Tensor]], [x, y])
  _2 = {k: x}
  _3 = annotate(Dict[str, Optional[Tensor]], {k: y})
  _4 = (_0, _1, _2, _3, annotate(List[float], []))
  return _4
`,
  },
  constant_containers: {
    ir: `graph(%x.1 : Tensor):
  %1 : int[] = prim::Constant[value=[1, 2, 3]]()
  %2 : float[] = prim::Constant[value=[1., 2.5]]()
  %3 : str[] = prim::Constant[value=["a", "b"]]()
  %4 : Device = prim::Constant[value="cpu"]()
  %5 : (Tensor, int[], float[], str[], Device) = prim::TupleConstruct(%x.1, %1, %2, %3, %4)
  return (%5)
`,
    code: `def constant_containers(x: Tensor) -> Tuple[Tensor, List[int], List[float], List[str], Device]:
  _0 = (x, [1, 2, 3], [1., 2.5], ["a", "b"], torch.device("cpu"))
  return _0
`,
  },
  uninitialized: {
    ir: `graph(%x.1 : Tensor, %flag.1 : bool):
  %1 : Tensor = prim::Uninitialized()
  %2 : int = prim::Constant[value=1]()
  %3 : Tensor = prim::If(%flag.1)
    block0():
      -> (%x.1)
    block1():
      -> (%1)
  %4 : Tensor = aten::add(%3, %x.1, %2)
  return (%4)
`,
    code: `def uninitialized(x: Tensor,
    flag: bool) -> Tensor:
  _0 = uninitialized(Tensor)
  if flag:
    _1 = x
  else:
    _1 = _0
  return torch.add(_1, x)
`,
  },
  nested_control_flow: {
    ir: `graph(%x.1 : Tensor, %n.1 : int, %flag.1 : bool):
  %1 : bool = prim::Constant[value=1]()
  %2 : int = prim::Constant[value=1]()
  %3 : int = prim::Constant[value=2]()
  %4 : Tensor = prim::Loop(%n.1, %1, %x.1)
    block0(%i.1 : int, %acc.1 : Tensor):
      %5 : bool = aten::gt(%i.1, %2)
      %6 : Tensor = prim::If(%5)
        block0():
          %7 : Tensor = aten::mul(%acc.1, %3)
          -> (%7)
        block1():
          %8 : Tensor = prim::If(%flag.1)
            block0():
              %9 : Tensor = aten::neg(%acc.1)
              -> (%9)
            block1():
              -> (%acc.1)
          -> (%8)
      -> (%1, %6)
  return (%4)
`,
    code: `def nested_control_flow(x: Tensor,
    n: int,
    flag: bool) -> Tensor:
  _0 = x
  for i in range(n):
    if torch.gt(i, 1):
      _1 = torch.mul(_0, 2)
    else:
      if flag:
        _2 = torch.neg(_0)
      else:
        _2 = _0
      _1 = _2
    _0 = _1
  return _0
`,
  },
  side_effect_order: {
    ir: `graph(%x.1 : Tensor, %y.1 : Tensor):
  %1 : int = prim::Constant[value=1]()
  %2 : Tensor = aten::add_(%x.1, %y.1, %1)
  %3 : Tensor = aten::mul(%y.1, %x.1)
  %4 : Tensor = aten::add(%2, %3, %1)
  %5 : Tensor = aten::sub(%4, %2, %1)
  return (%5)
`,
    code: `def side_effect_order(x: Tensor,
    y: Tensor) -> Tensor:
  _0 = torch.add_(x, y)
  _1 = torch.sub(torch.add(_0, torch.mul(y, x)), _0)
  return _1
`,
  },
  multi_output_and_warn: {
    ir: `graph(%x.1 : Tensor):
  %1 : str = prim::Constant[value="careful"]()
  %2 : int = prim::Constant[value=2]()
  %3 : int = prim::Constant[value=0]()
  %7 : bool = prim::Constant[value=0]()
  %4 : Tensor, %5 : Tensor = aten::max(%x.1, %3, %7)
   = aten::warn(%1, %2)
  %6 : (Tensor, Tensor) = prim::TupleConstruct(%4, %5)
  return (%6)
`,
    code: `def multi_output_and_warn(x: Tensor) -> Tuple[Tensor, Tensor]:
  _0, _1 = torch.max(x, 0)
  torch.warn("careful")
  return (_0, _1)
`,
  },
  relu_chain: {
    ir: `graph(%x.1 : Tensor):
  %1 : Tensor = aten::relu(%x.1)
  %2 : Tensor = aten::relu(%1)
  %3 : Tensor = aten::relu(%2)
  %4 : Tensor = aten::relu(%3)
  %5 : Tensor = aten::relu(%4)
  %6 : Tensor = aten::relu(%5)
  %7 : Tensor = aten::relu(%6)
  %8 : Tensor = aten::relu(%7)
  %9 : Tensor = aten::relu(%8)
  %10 : Tensor = aten::relu(%9)
  return (%10)
`,
    code: `def relu_chain(x: Tensor) -> Tensor:
  _0 = torch.relu(torch.relu(torch.relu(torch.relu(x))))
  _1 = torch.relu(torch.relu(torch.relu(_0)))
  _2 = torch.relu(torch.relu(torch.relu(_1)))
  return _2
`,
  },
};

describe('code printer: PyTorch 1.13 goldens on hand-written graphs', () => {
  it('prints a chain of 30,000 single-use expressions without overflowing the stack', () => {
    const graph = new Graph();
    let x = graph.addInput(TensorTensor, 'x.1');
    for (let i = 0; i < 30_000; i++) x = graph.insert('aten::relu', [x], [TensorTensor]).output();
    graph.registerOutput(x);
    const code = printMethodCode(new Function({ name: 'chain', graph, qualifiedName: 'chain' }));
    // Every statement holds a few of them before it gets too long to inline (see relu_chain).
    expect(code.split('\n')).to.have.length(10_002);
    expect(code).to.contain('  _0 = torch.relu(torch.relu(torch.relu(torch.relu(x))))\n');
  });

  for (const [name, { ir, code }] of Object.entries(CASES)) {
    it(`prints ${name} as PyTorch does`, () => {
      const fn = new Function({ name, graph: parseIR(ir), qualifiedName: name });
      expect(printMethodCode(fn)).to.equal(code);
    });
  }
});
