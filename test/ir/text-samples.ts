// Graphs printed by PyTorch 1.13 that are not in the fixtures, kept verbatim: every constant kind the IR
// printer has (doubles at the edges of %.17g, octal-escaped UTF-8, tuples, dicts, devices, tensor tables
// with scales, column splits and 3-D slices, `<Tensor>`, `[<Tensors>]`) and a scripted module with
// nested loops, zero-output nodes, optionals and named tuples. Generated with torch._C.Graph.insertConstant
// and torch.jit.script; source paths shortened to gen.py.

/** `insertConstant` of ~70 values of every kind, printed by PyTorch 1.13. */
export const PYTORCH_CONSTANTS = String.raw`graph():
  %0 : float[] = prim::Constant[value=[1.5, 2., 0.10000000000000001]]()
  %1 : str[] = prim::Constant[value=["a", "b\n", "it\'s", "\001\177", "\0)+\/.)"]]()
  %2 : float = prim::Constant[value=0.10000000000000001]()
  %3 : float = prim::Constant[value=1.0000000000000001e-05]()
  %4 : float = prim::Constant[value=1e+20]()
  %5 : float = prim::Constant[value=-0.]()
  %6 : float = prim::Constant[value=10000000000]()
  %7 : float = prim::Constant[value=2.5e-300]()
  %8 : float = prim::Constant[value=inf]()
  %9 : float = prim::Constant[value=-inf]()
  %10 : float = prim::Constant[value=nan]()
  %11 : bool = prim::Constant[value=1]()
  %12 : Device = prim::Constant[value="cpu"]()
  %13 : (int, float, str) = prim::Constant[value=(1, 2., "x")]()
  %14 : bool[] = prim::Constant[value=[True, False]]()
  %15 : Dict(str, int) = prim::Constant[value={"a": 1}]()
  %16 : NoneType = prim::Constant()
  %17 : Tensor[] = prim::Constant[value=[<Tensors>]]()
  %18 : (int) = prim::Constant[value=(1,)]()
  %19 : ((int, int), int[]) = prim::Constant[value=((1, 2), [3])]()
  %20 : Dict(int, str) = prim::Constant[value={1: "a"}]()
  %21 : int[][] = prim::Constant[value=[[1, 2], [3]]]()
  %22 : (Float(2, strides=[1], requires_grad=0, device=cpu)) = prim::Constant[value=( 0  0 [ CPUFloatType{2} ],)]()
  %23 : (Float(20, strides=[1], requires_grad=0, device=cpu)) = prim::Constant[value=(<Tensor>,)]()
  %24 : (Device, int) = prim::Constant[value=(torch.device("cpu"), 1)]()
  %25 : () = prim::Constant[value=()]()
  %26 : (Dict(str, float[])) = prim::Constant[value=({"a": [1.5]},)]()
  %27 : (int, float, float) = prim::Constant[value=(4611686018427387904, -1., 9.9998886718268301e-321)]()
  %28 : Float(2, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1.0000e-05  1.0000e+00 [ CPUFloatType{2} ]]()
  %29 : Long(3, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1  2  3 [ CPULongType{3} ]]()
  %30 : Double(requires_grad=0, device=cpu) = prim::Constant[value={3.5}]()
  %31 : Float(2, 2, strides=[2, 1], requires_grad=0, device=cpu) = prim::Constant[value=    1.5000     2.5000     3.0000  1000.0000 [ CPUFloatType{2,2} ]]()
  %32 : Bool(2, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1  0 [ CPUBoolType{2} ]]()
  %33 : Float(0, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=[ CPUFloatType{0} ]]()
  %34 : Float(11, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=<Tensor>]()
  %35 : Float(2, 5, strides=[5, 1], requires_grad=0, device=cpu) = prim::Constant[value= 0  0  0  0  0  0  0  0  0  0 [ CPUFloatType{2,5} ]]()
  %36 : Long(requires_grad=0, device=cpu) = prim::Constant[value={7}]()
  %37 : Half(1, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value={0.5}]()
  %38 : Float(2, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1.0000e-10  1.0000e+10 [ CPUFloatType{2} ]]()
  %39 : Float(3, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=nan  1 inf [ CPUFloatType{3} ]]()
  %40 : Float(2, 2, strides=[2, 1], requires_grad=0, device=cpu) = prim::Constant[value=0.01 *  1.0000  2.0000   3.0000  4.0000 [ CPUFloatType{2,2} ]]()
  %41 : Float(2, 1, 1, 3, strides=[3, 3, 3, 1], requires_grad=0, device=cpu) = prim::Constant[value=(1,1,.,.) =    0  0  0  (2,1,.,.) =    0  0  0 [ CPUFloatType{2,1,1,3} ]]()
  %42 : Float(1, 10, strides=[10, 1], requires_grad=0, device=cpu) = prim::Constant[value=Columns 1 to 6 1.0000e-10  1.0000e+10  1.0000e+00  2.0000e+00  3.0000e+00  4.0000e+00  Columns 7 to 10 5.0000e+00  6.0000e+00  7.0000e+00  8.0000e+00 [ CPUFloatType{1,10} ]]()
  %43 : Float(1, 10, strides=[10, 1], requires_grad=0, device=cpu) = prim::Constant[value=Columns 1 to 8  1.5000  -2.2500   3.0000   4.0000   5.0000   6.0000   7.0000   8.0000  Columns 9 to 10  9.0000  10.5000 [ CPUFloatType{1,10} ]]()
  %44 : Int(2, 2, strides=[2, 1], requires_grad=0, device=cpu) = prim::Constant[value= 1  2  3  4 [ CPUIntType{2,2} ]]()
  %45 : Long(1, 2, strides=[2, 1], requires_grad=0, device=cpu) = prim::Constant[value= 1.0000e+12  2.0000e+00 [ CPULongType{1,2} ]]()
  %46 : Double(2, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 0.1000  0.2000 [ CPUDoubleType{2} ]]()
  %47 : Float(1, 1, 1, 2, strides=[2, 2, 2, 1], requires_grad=0, device=cpu) = prim::Constant[value=(1,1,.,.) =    0.0010  1.0000 [ CPUFloatType{1,1,1,2} ]]()
  %48 : BFloat16(1, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value={1.5}]()
  %49 : Long(0, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=[ CPULongType{0} ]]()
  %50 : Float(2, 0, strides=[1, 1], requires_grad=0, device=cpu) = prim::Constant[value=[ CPUFloatType{2,0} ]]()
  %51 : Long(2, 5, strides=[5, 1], requires_grad=0, device=cpu) = prim::Constant[value= 1.0000e+00  2.0000e+00  3.0000e+00  4.0000e+00  5.0000e+00  6.0000e+00  7.0000e+00  8.0000e+00  9.0000e+00  1.0000e+09 [ CPULongType{2,5} ]]()
  %52 : Float(3, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=1e-05 *  1.0000  2.0000  3.0000 [ CPUFloatType{3} ]]()
  %53 : Float(2, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 100000  200000 [ CPUFloatType{2} ]]()
  %54 : Float(2, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=-0  0 [ CPUFloatType{2} ]]()
  %55 : Float(2, 2, 2, strides=[4, 2, 1], requires_grad=0, device=cpu) = prim::Constant[value=(1,.,.) =    1.0000e-05  1.0000e+00   2.0000e+00  3.0000e+00  (2,.,.) =    4  5   6  7 [ CPUFloatType{2,2,2} ]]()
  %56 : Float(2, 5, strides=[5, 1], requires_grad=0, device=cpu) = prim::Constant[value= -404.8549    68.4607   -89.2842  1029.3010 -1536.8369   571.9426  -112.4378  -535.5646  -392.2029  -421.3493 [ CPUFloatType{2,5} ]]()
  %57 : Float(10, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=0.001 * -2.4275  0.3651 -0.2297  0.0956  0.3195 -0.3429 -1.5068  0.0989  0.3199 -1.0321 [ CPUFloatType{10} ]]()
  %58 : Float(3, 3, strides=[3, 1], requires_grad=0, device=cpu) = prim::Constant[value= 0.0834 -0.7725  0.2675 -0.2544 -1.3385 -0.1902 -0.7381 -0.7786  1.5898 [ CPUFloatType{3,3} ]]()
  %59 : Char(3, 3, strides=[3, 1], requires_grad=0, device=cpu) = prim::Constant[value=-2 -5 -1  0 -4  1  4 -5  4 [ CPUCharType{3,3} ]]()
  %60 : Float(2, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1.4901e-08  1.0312e+00 [ CPUFloatType{2} ]]()
  %61 : float = prim::Constant[value=1.4901161193847656e-08]()
  %62 : float = prim::Constant[value=1234567890123456.8]()
  %63 : float = prim::Constant[value=9999999999.5]()
  %64 : float = prim::Constant[value=123456789.]()
  %65 : float = prim::Constant[value=10000000000000000]()
  %66 : int = prim::Constant[value=-7]()
  %67 : int = prim::Constant[value=9223372036854775807]()
  %68 : int = prim::Constant[value=-9223372036854775808]()
  return ()
`;

/** A scripted module's forward: loops in ifs in loops, raise, Optional, NamedTuple, strings with escapes. */
export const PYTORCH_SCRIPTED = String.raw`graph(%self : __torch__.M1,
      %x.1 : Tensor,
      %k.1 : int,
      %opt.1 : Tensor?):
  %82 : bool = prim::Constant[value=0]()
  %77 : float = prim::Constant[value=-2.25]() # gen.py:35:31
  %72 : str = prim::Constant[value="builtins.ValueError"]() # gen.py:34:18
  %71 : str = prim::Constant[value="bad \t value"]() # gen.py:34:29
  %68 : str = prim::Constant[value="x"]() # gen.py:33:21
  %127 : NoneType = prim::Constant()
  %8 : bool = prim::Constant[value=1]() # gen.py:23:8
  %12 : int = prim::Constant[value=2]() # gen.py:24:19
  %14 : int = prim::Constant[value=0]() # gen.py:24:24
  %18 : float = prim::Constant[value=2.5]() # gen.py:25:24
  %20 : float = prim::Constant[value=9.9999999999999995e-08]() # gen.py:25:30
  %24 : int = prim::Constant[value=9223372036854775807]() # gen.py:27:16
  %28 : float = prim::Constant[value=100.]() # gen.py:27:37
  %35 : int = prim::Constant[value=3]() # gen.py:28:28
  %61 : int = prim::Constant[value=1]() # gen.py:31:13
  %74 : float = prim::Constant[value=1.5]() # gen.py:35:26
  %78 : float = prim::Constant[value=3.0000000000000001e-05]() # gen.py:35:38
  %y.51 : Tensor = prim::Loop(%k.1, %8, %x.1) # gen.py:23:8
    block0(%i.1 : int, %y.49 : Tensor):
      %13 : int = aten::remainder(%i.1, %12) # gen.py:24:15
      %15 : bool = aten::eq(%13, %14) # gen.py:24:15
      %y.47 : Tensor = prim::If(%15) # gen.py:24:12
        block0():
          %19 : Tensor = aten::mul(%y.49, %18) # gen.py:25:20
          %y.3 : Tensor = aten::add(%19, %20, %61) # gen.py:25:20
          -> (%y.3)
        block1():
          %128 : Tensor = aten::sum(%y.49, %127) # gen.py:27:27
          %129 : Tensor = aten::gt(%128, %28) # gen.py:27:27
          %131 : bool = aten::Bool(%129) # gen.py:27:22
          %y.45 : Tensor = prim::Loop(%24, %131, %y.49) # gen.py:27:16
            block0(%33 : int, %y.43 : Tensor):
              %y.11 : Tensor = aten::div(%y.43, %35) # gen.py:28:24
              %27 : Tensor = aten::sum(%y.11, %127) # gen.py:27:27
              %29 : Tensor = aten::gt(%27, %28) # gen.py:27:27
              %31 : bool = aten::Bool(%29) # gen.py:27:22
              -> (%31, %y.11)
          -> (%y.45)
      -> (%8, %y.47)
  %44 : bool = aten::__isnot__(%opt.1, %127) # gen.py:29:11
  %y : Tensor = prim::If(%44) # gen.py:29:8
    block0():
      %opt.7 : Tensor = prim::unchecked_cast(%opt.1)
      %y.25 : Tensor = aten::add(%y.51, %opt.7, %61) # gen.py:30:16
      -> (%y.25)
    block1():
      -> (%y.51)
  %z.1 : int[] = prim::ListConstruct(%61, %12, %k.1)
  %s : str = prim::GetAttr[name="s"](%self)
  %69 : bool = aten::eq(%s, %68) # gen.py:33:11
   = prim::If(%69) # gen.py:33:8
    block0():
       = prim::RaiseException(%71, %72) # gen.py:34:12
      -> ()
    block1():
      -> ()
  %79 : float[] = prim::ListConstruct(%74, %77, %78)
  %w.1 : Tensor = aten::tensor(%79, %127, %127, %82) # gen.py:35:12
  %l : __torch__.torch.nn.modules.linear.Linear = prim::GetAttr[name="l"](%self)
  %90 : Tensor = aten::slice(%y, %14, %127, %127, %61) # gen.py:36:22
  %94 : Tensor = aten::slice(%90, %61, %127, %35, %61) # gen.py:36:22
  %95 : Tensor = prim::CallMethod[name="forward"](%l, %94) # gen.py:36:15
  %98 : Tensor = aten::sum(%w.1, %127) # gen.py:36:34
  %100 : Tensor = aten::add(%95, %98, %61) # gen.py:36:15
  %104 : int = aten::len(%z.1) # gen.py:36:51
  %105 : NamedTuple(a : Tensor, b : int) = prim::TupleConstruct(%y, %104) # gen.py:36:46
  %106 : (Tensor, int[], NamedTuple(a : Tensor, b : int)) = prim::TupleConstruct(%100, %z.1, %105)
  return (%106)
`;
