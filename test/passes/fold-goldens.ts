// PyTorch 1.13 goldens for the folding passes, written by scripts/make-fold-goldens.py (do not edit by hand):
// small graphs with lossless tensor constants, and the weight/bias PyTorch's own passes fold them into.

/** One golden: the graph, the input shape and dtype to run it on, and PyTorch's folded parameters (lossless text). */
export interface FoldGolden {
  readonly ir: string;
  readonly input: readonly number[];
  readonly dtype: 'float32' | 'float64';
  readonly weight: string;
  readonly bias: string | null;
}

/** The goldens by name. */
export const FOLD_GOLDENS: Readonly<Record<string, FoldGolden>> = {
  conv2d_bn: {
    ir: `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(3, 2, 3, 3)>"hRuQv4qAk7/WS4C+XSXevhVFWT+DJzE/bcyhvsFfB8A4AaU+9LShv/8wsz67w50+d2/1PZNrnj+O8o4/fDZ9vsIjrb9GFNm/BBARP10jSz+LTRk/Ww3Hv8rGrr5OL+0/awxAPyvjFb/rjjG+pOE7PsDWsT8ADcs/nEByPzP7V7/IEx2/ZGcBPShA/L5wYH4+0B/hPtY35j1dFQs/F1LKvlJ1Uj6fkea+LrUSv/grDr+OJRg/YF7FP8Ls6D/8MA2/SKSpvzAUQT77dY2922b9viR6v789fUa+"]()
  %b : Tensor = prim::Constant[value=tensor<Float(3)>"jdyQP7g9Jb/qmOK/"]()
  %g : Tensor = prim::Constant[value=tensor<Float(3)>"NOOFPyrsLz+6tQg/"]()
  %beta : Tensor = prim::Constant[value=tensor<Float(3)>"XmpbPoskCL4DFkC9"]()
  %mean : Tensor = prim::Constant[value=tensor<Float(3)>"yILlvCo4XT3tyG+8"]()
  %var : Tensor = prim::Constant[value=tensor<Float(3)>"Ke6XP1tQAT+A9yw/"]()
  %stride : int[] = prim::Constant[value=[1, 1]]()
  %pad : int[] = prim::Constant[value=[1, 1]]()
  %dil : int[] = prim::Constant[value=[1, 1]]()
  %groups : int = prim::Constant[value=1]()
  %false : bool = prim::Constant[value=0]()
  %momentum : float = prim::Constant[value=0.1]()
  %eps : float = prim::Constant[value=1e-05]()
  %true : bool = prim::Constant[value=1]()
  %y : Tensor = aten::conv2d(%x, %w, %b, %stride, %pad, %dil, %groups)
  %z : Tensor = aten::batch_norm(%y, %g, %beta, %mean, %var, %false, %momentum, %eps, %true)
  return (%z)
`,
    input: [2, 2, 5, 5],
    dtype: 'float32',
    weight:
      'tensor<Float(3, 2, 3, 3)>"HFuKv3Gdjb/zWXa+mUfVviOZUD9yFSo/QlebvpP4AcBKa54+uUCbvx4KrD7Hd5c+vaPrPewYmD//PYk/SxtzvrY6pr9HatC/PEIMPz1pRD/nORQ/33XAvxv9qL6MVOU/T7A5P3zsEL+mrSu+26g1Phrzqz+eU8Q/5DpqPzLUUL8l4Be/tjz6PK3l877v83U+30GSPhCRlT28t7Q+QnGDvq66CD5ly5W+05++vgK7uL4BscU+qDmAPzxTlz/kdLe+bWxcv2Pg+j2Lzje95KCkvpjLeL8G9AC+"',
    bias: 'tensor<Float(3)>"I/OpP08sT7/9/5e/"',
  },
  conv1d_nobias_bn_noaffine: {
    ir: `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(3, 2, 3)>"xavSPwQarr9VVJW9VTULvZlndj8uxrI+7+Rrv4EsZr0NlzO/J7KEP/f89T9zGs6+lcD9PaAXlT81Ymw/5JKxPz4BsD+V3Sg/"]()
  %b : NoneType = prim::Constant()
  %g : NoneType = prim::Constant()
  %beta : NoneType = prim::Constant()
  %mean : Tensor = prim::Constant[value=tensor<Float(3)>"cfGAvLvPcj0ZN6U9"]()
  %var : Tensor = prim::Constant[value=tensor<Float(3)>"gNCtP3HXcj9Zx4E/"]()
  %stride : int[] = prim::Constant[value=[1]]()
  %pad : int[] = prim::Constant[value=[1]]()
  %dil : int[] = prim::Constant[value=[1]]()
  %groups : int = prim::Constant[value=1]()
  %false : bool = prim::Constant[value=0]()
  %momentum : float = prim::Constant[value=0.1]()
  %eps : float = prim::Constant[value=0.001]()
  %true : bool = prim::Constant[value=1]()
  %y : Tensor = aten::conv1d(%x, %w, %b, %stride, %pad, %dil, %groups)
  %z : Tensor = aten::batch_norm(%y, %g, %beta, %mean, %var, %false, %momentum, %eps, %true)
  return (%z)
`,
    input: [2, 2, 5],
    dtype: 'float32',
    weight:
      'tensor<Float(3, 2, 3)>"ZLi0P5RZlb97GYC9rdXuvLBfUz+wW5k+yhJyvwA0bL1YSzi/+yuIP4Ju/D+IgNO+F+L7PX3+kz93pGo/DESwP1u1rj8onyc/"',
    bias: 'tensor<Float(3)>"GTldPPgreb2P/6O9"',
  },
  conv3d_bn_float64: {
    ir: `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Double(3, 2, 3, 3, 3)>"qCdj7AYx4D8zl93flRjpP53LEXv5TOs/O+Ra4vwp8r/9yvH1Cme6P3Gmrw8htwTAhPenL5W2AUAN3qbIjVv2v795S5ci5PU/dH7ebcE77z+Le5/QCRbtv9p4CR2+d/E/2niyOrc13T/CV0Q8qsfovwwrua4j4Oc/2E5BKcuSrr98YmSt5Rb2v1nl/lL4ouA/U4EFrtdS4T/rwsa6ueS5v7/xzTQ0VdM/hzYgkphC4D/PnfpwwY/Zv171kQSxMds/O44volkF6z+qf4N6jsbpP2faDWoeUe4/SRa3ot2d879NohjXZgTkP0HwEggUGfq/gPJV69tG3D+BVhDHNpzQv3kt4nPbR/E/hxm6XojHkj9EpAjUqqb7P3OTazBYdOc/JHiQojPj8j86lkTfwujcP/v7yaruyNa/NQJhF4RI1793M8C4qvnnvwGD9lbZfOi/1wOs80Kq3r84sYTVfTnkP4ebZ3DHocG/kwObSZ194L/PQdYLPt/NP0bHyVe7NvI/OmiWXr3/4b8sS/1ie8Txv2SedqbxH9M/FfThxUHG478nUL4TlPCNP1YQcybdKay/8aAN05jxxL/IOUQc1Tj2P5JXpydPJfM/gMVMtAvmyb8JDfgDYzXhv3DqDUvrorS/kNeVSXaOpL+5z80Qa1+5P85AUmbcLOA/kBRolJDx5D/AH6NfwPrgv/FLU+Ssoc4/RB9DBxPdxr8T3leurivMP8ewCXYr/us/7RyD96mK5L8XWBfZujPsP8cykP6yj+G/++5pf/0O9j+ORZxbkMPiP1Z4s2ue5tg/BxdgIMEV3T9NCL4N5778v17cKwgdQOs/zuDAz+QW4L+toZFi3by+v8S1MKfVT8q/3dPUeMcN6L+aWLMjQLP4P/5Fs+TQDuy/HM+08HKdz7/gZmoz66Ljv5CyyjfLsu2/WX06k2yq7r9GQVP5sl6rv89nj5pVAfS/XvE8a5oA2T+vmLnmcaIAQBRUF8mWXUs//a6GyZ/x9j882TYVxt/mv3xRO/EwPcy/IfhQHwOS0b8JxnKHA1fhP9I7RJth5ec/z3uow7wd7T8IVB0Kk/IKwPuk8o05aMG/NcTGJH+B9D9rRgrmrYvjP4erFgprOsi/3n379beW8j9F20eUL97vPyeo6hvKRe0/m2NXQc1E9L+yMiNzYObbv4zIyw0Mfdq/qGy8RjYj278UdWF+O7Gqv51LGD513d8/w+kW8zRx+j8PxeEU1CPvv5GSw4pq5e0/z/7mPOak+7+1ha2raZ/RPw/vu2xe1/g/NHmSwxcI1T+6mivNVM7TP+2gfNkqPtC/E/Yix+1b2r9Ygq5fDx5/vxXCi3JJrMI/dmvnzWCTw7+/25hcoa/cPwZfG1eI2I0/BVkcjJ0A8b/3E7C3CGDkPwPUjZ0LJs2/6KGrJXdAvT8olxmFQRfev1wnMXYlNQTAJ/miB7fJzj8KuqS03tr6Px2PymxjZ/E/Z71f8ndL8T+C99dHlfnXv1LG0lQTouo/ghG59tvR9r/QmiFhYhffvy57eNE5csG/sxI7hSNA5j9qEfuDaFG2v85dbhmbF+c/wI/5GjUu/D8rBsdUVO/hP5pYYCmKJOg/OSC/7mEG+D9Fcm82P53hP+2quC6X9ro/RLdzJkrn2L/9+k/yALnpv9162846/uy/tbFIl938sD/3xaWPQIjdP2slTNqxyuk/ptsQ6mTLAkBzy7IxEyP0v5EiJjBDC7S/"]()
  %b : Tensor = prim::Constant[value=tensor<Double(3)>"x9NIkK6u2j+P6sNaGorzP8kgwahqD+g/"]()
  %g : Tensor = prim::Constant[value=tensor<Double(3)>"/hJg+Jsj9T8SW+zD/MPrP6w11N/WgfU/"]()
  %beta : Tensor = prim::Constant[value=tensor<Double(3)>"ujc00Ise9L+f0tSQ4fniv6ErWK8BD+a/"]()
  %mean : Tensor = prim::Constant[value=tensor<Double(3)>"ADN7LuAWvr/srIgVsJSUP6op+Nj73bS/"]()
  %var : Tensor = prim::Constant[value=tensor<Double(3)>"NXrTntih8T8s3awZySDhP3m7NAQNR+M/"]()
  %stride : int[] = prim::Constant[value=[1, 1, 1]]()
  %pad : int[] = prim::Constant[value=[1, 1, 1]]()
  %dil : int[] = prim::Constant[value=[1, 1, 1]]()
  %groups : int = prim::Constant[value=1]()
  %false : bool = prim::Constant[value=0]()
  %momentum : float = prim::Constant[value=0.1]()
  %eps : float = prim::Constant[value=1e-05]()
  %true : bool = prim::Constant[value=1]()
  %y : Tensor = aten::conv3d(%x, %w, %b, %stride, %pad, %dil, %groups)
  %z : Tensor = aten::batch_norm(%y, %g, %beta, %mean, %var, %false, %momentum, %eps, %true)
  return (%z)
`,
    input: [2, 2, 5, 5, 5],
    dtype: 'float64',
    weight:
      'tensor<Double(3, 2, 3, 3, 3)>"b3E9Prtg5D9hWfyArJXvP1JyZ07+LfE/eCS4MEDc9r8N5C+KTZ3AP7jwsVBDEgrAzKUs6gFLBkB8E2GkYyP8v9oADDYYjfs/SaIdVYmn8z8u+V7VnE3yv8Lt7n/r+/U/x4OF5Ith4j82K1XM1C/vvyOmFLxxDO4//kSRdjY9s79WQHAz+8z7v+DHO3Ii8OQ/K4dbrHrN5T/QQtAeTEvAv5gse2jUVNg/WdT7w9d25D8wCtzt0xXgv8BY5ibTHOE/LYfH/+sA8T/Q1YAQUDjwPxAEPJviE/M/WhFyRUew+L/xl41BUzHpP48hw909bADAc+fkXD3L4T//Mt+4oefUv1f09Fanv/U/7/+/dIeilz9oE1FUb2YBQDDfLWDHhO0/ZFi8HFrF9z89KKruHjHiP535lDQMrdy/GQAKTZ5N3b/aw5Zrkizuv0ws0eKr0e6/mYFrBftL47+tNfQ5JHTpP1XQmi/TMMa/qepp3h7B5L8zeiC5OczSPz8J6ylK7PY/v9/pTRSn5r/3GjUYgFz2v7Llz5zMEdg/iG/F3hzj6L8HZhh4IteSP3LJnGT+uLG/7gXFdbDWyL97flXRx1r6P6N4DVnNtPY/8Afq0Qe3zr/NpEREp2jkv74cBTlhebi/Abp4Sx5hqL9mRjrRXRe+P0yAkxHvLuM/lIWbrqbW6D9npkIbHSPkv3AWxjf+KdI/3c8X/JAdy7/B/lC3arTQP2T1u7htmfA/nQwHJ51c6L8UgQtdMLnwP5PJ89nC0+S/rC+SLCgp+j/yaEsU4UDmP/9wbyMaiN0/CVVJzjc/4T9PB5hXtwsBwChjeGS6KPA/Fvh1quEU4799NfKuHTrCv9ob5S1+NM+/3MPK2++G7L9r0Q9PLkv9Pwz9fK9Mo/C/MmOAekq/0r/D2TVuxUnnv1xHTgdXnPG/RuPLUC4v8r8gg4Rt3Tqwv+mSLMm+ufe/OEk0NOum3T8uSFmGYroDQJ9vj+g0OlA/Bf5GFfA1+z93htyNxCDrv5nmz6DMvtC/7QjQGIHW1L9sqAeziJDkP8HvSrkGV+w/TjfSpvND8T9y4cBNf/UPwPz+LhzypMS//FFq5L1R+D/1jaW9NS7nP/BnOprgu8y/BMBerrEL9j/YnYLMreXyP8mlQ7qzW/E/FNjs9xmNAcB6FTAWvyjov9maA+Tc7+a/gfFltL9/57+FAyMiDR23v6SjqHS6l+s/HmBDMJzlBkCY80jN/Pb6v7wu519E4/k/8XxpTgzwB8Bq4WveEYXeP69NMdq4ggVAkuisWTU24j/TLujegybhPykGHqlNIdy/tTHUWy/T5r8fGUcW/vGKv7atXe9bK9A/ycMEXnfz0L98Nz03BNfoPxP6/mIc2Jk/ib9MrA5y/b86xFa3rqTxP5dZcQSOPdm/Vg2Xtm5UyT8NK+apbA7qvw+fZYeLfxHAgDYUyfSo2j9KD/YvG0EHQGahy1ALJP4/Sl/j/LDz/T/kYnY7rMLkv0cvajbtD/c/SAjtRpnCA8AjJ986NuzqvxZO1CLQNs6/jVHpgmpE8z/5o2bAXlPDv6vw5nH+/vM/4IfePfJmCECJNIYbeQ/vP63Teq7e5/Q/C2ZJj8HNBEBheR+iUYHuP4k4IjAcWcc/jgmcHYKQ5b9Pb7m7Gkb2v2DgatUTG/m/i2ZOLZBrvT/pUEQimJLpP1d1iGpsVfY/01ibrktGEED9u+OJ5W8BwE9gTt5GW8G/"',
    bias: 'tensor<Double(3)>"pYlkbea24r8ZNAu4iJvqP0262GmWIOg/"',
  },
  add_1c11: {
    ir: `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(3, 2, 3, 3)>"WXu4Pparzr+OSx7AFxgUPTE3r74ubcO+cflovd1/YL/S0C4/xz1ZQISa1b+hxwI/o2ySvuiLqz4KApY/p8vOvoIPZD9dzfq+oxmWvzbiL79RbhXAfZjAPaHuTr4mDEhABMIAQPZvrL7l5qY+/wIJP8CU/D/AfVS+dnf6vLj2hD7zv7U7m1lLP3B20D4syLi+branP7ENd79KHqc/hBGIP7XiPD+3UXu++bCcviwq+T96XgJAzdqEPx8xAj9kBao+LLYfvoCpqr9h6b+/hJZgP5nf9r5ycTG+"]()
  %b : Tensor = prim::Constant[value=tensor<Float(3)>"2Gljv+ugP79tGxU+"]()
  %stride : int[] = prim::Constant[value=[1, 1]]()
  %pad : int[] = prim::Constant[value=[1, 1]]()
  %dil : int[] = prim::Constant[value=[1, 1]]()
  %groups : int = prim::Constant[value=1]()
  %other : Tensor = prim::Constant[value=tensor<Float(1, 3, 1, 1)>"/qLpPsKJDkAvNty+"]()
  %alpha : int = prim::Constant[value=1]()
  %y : Tensor = aten::conv2d(%x, %w, %b, %stride, %pad, %dil, %groups)
  %z : Tensor = aten::add(%y, %other, %alpha)
  return (%z)
`,
    input: [2, 2, 5, 5],
    dtype: 'float32',
    weight:
      'tensor<Float(3, 2, 3, 3)>"WXu4Pparzr+OSx7AFxgUPTE3r74ubcO+cflovd1/YL/S0C4/xz1ZQISa1b+hxwI/o2ySvuiLqz4KApY/p8vOvoIPZD9dzfq+oxmWvzbiL79RbhXAfZjAPaHuTr4mDEhABMIAQPZvrL7l5qY+/wIJP8CU/D/AfVS+dnf6vLj2hD7zv7U7m1lLP3B20D4syLi+branP7ENd79KHqc/hBGIP7XiPD+3UXu++bCcviwq+T96XgJAzdqEPx8xAj9kBao+LLYfvoCpqr9h6b+/hJZgP5nf9r5ycTG+"',
    bias: 'tensor<Float(3)>"sjDdvg5DvT94qJG+"',
  },
  sub_number_alpha2_nobias: {
    ir: `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(3, 2, 3, 3)>"x9A5P2H7KTziGX+//356P10E4r55p4W+NkhMP+m2jb93HqG+MdhDv+0u875Dkv2+BB9LvpbADUAa+Au+GFOCv8Bx271begO/aX4Qvywaa79n4z+/NWzCvS/pjD8tvac/IGTpve3QSb/7li2+7zALwCJiOD8AJpI+3oZqPilCpD90f6w/Bm8KP4Kjcr/T/k4+R5WzvneFCz/JxVA/7ggAQCfy4L5lWIq/4B2yvxqEtL5Mx8c/jo5Sv9HDEr+k/lI+rN1aPoBUKj+LZRDARUmAvxWUsr+P4dQ+"]()
  %b : NoneType = prim::Constant()
  %stride : int[] = prim::Constant[value=[1, 1]]()
  %pad : int[] = prim::Constant[value=[1, 1]]()
  %dil : int[] = prim::Constant[value=[1, 1]]()
  %groups : int = prim::Constant[value=1]()
  %other : float = prim::Constant[value=0.3]()
  %alpha : int = prim::Constant[value=2]()
  %y : Tensor = aten::conv2d(%x, %w, %b, %stride, %pad, %dil, %groups)
  %z : Tensor = aten::sub(%y, %other, %alpha)
  return (%z)
`,
    input: [2, 2, 5, 5],
    dtype: 'float32',
    weight:
      'tensor<Float(3, 2, 3, 3)>"x9A5P2H7KTziGX+//356P10E4r55p4W+NkhMP+m2jb93HqG+MdhDv+0u875Dkv2+BB9LvpbADUAa+Au+GFOCv8Bx271begO/aX4Qvywaa79n4z+/NWzCvS/pjD8tvac/IGTpve3QSb/7li2+7zALwCJiOD8AJpI+3oZqPilCpD90f6w/Bm8KP4Kjcr/T/k4+R5WzvneFCz/JxVA/7ggAQCfy4L5lWIq/4B2yvxqEtL5Mx8c/jo5Sv9HDEr+k/lI+rN1aPoBUKj+LZRDARUmAvxWUsr+P4dQ+"',
    bias: 'tensor<Float(3)>"mpkZv5qZGb+amRm/"',
  },
  add_int_tensor: {
    ir: `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(3, 2, 3, 3)>"msEfPzQu2L/bTFE/j+kIvZSqtr45Gam+nhDQPoXcMj+BbHW/fA1rP6ZD+j7qDBfAWPv5vseChL9pQIc/opu4v4Fknr/5iZc/GSVIvhAQTD8BAf6+hJiivz0tlT8gVWe99kYZwMW90D6S9i2+i/njP1KJMz4eEAu/47oVvyvNSD8YOJy/hrgSP5D+Mj+DGJs+kApMPpc5J8Ay66c/qcpJP1nRnb+opOg+NuO3v/F/yb0nj/g+XCM1P4UO1z+S/hg/k590vo0msb7CkuI/VEaIv+U4a77X0aC/"]()
  %b : Tensor = prim::Constant[value=tensor<Float(3)>"0LkZvxyiqz88qHO/"]()
  %stride : int[] = prim::Constant[value=[1, 1]]()
  %pad : int[] = prim::Constant[value=[1, 1]]()
  %dil : int[] = prim::Constant[value=[1, 1]]()
  %groups : int = prim::Constant[value=1]()
  %other : Tensor = prim::Constant[value=tensor<Int(1)>"AgAAAA=="]()
  %alpha : int = prim::Constant[value=1]()
  %y : Tensor = aten::conv2d(%x, %w, %b, %stride, %pad, %dil, %groups)
  %z : Tensor = aten::add(%y, %other, %alpha)
  return (%z)
`,
    input: [2, 2, 5, 5],
    dtype: 'float32',
    weight:
      'tensor<Float(3, 2, 3, 3)>"msEfPzQu2L/bTFE/j+kIvZSqtr45Gam+nhDQPoXcMj+BbHW/fA1rP6ZD+j7qDBfAWPv5vseChL9pQIc/opu4v4Fknr/5iZc/GSVIvhAQTD8BAf6+hJiivz0tlT8gVWe99kYZwMW90D6S9i2+i/njP1KJMz4eEAu/47oVvyvNSD8YOJy/hrgSP5D+Mj+DGJs+kApMPpc5J8Ay66c/qcpJP1nRnb+opOg+NuO3v/F/yb0nj/g+XCM1P4UO1z+S/hg/k590vo0msb7CkuI/VEaIv+U4a77X0aC/"',
    bias: 'tensor<Float(3)>"GCOzPw7RVUDiK4Y/"',
  },
  mul_single: {
    ir: `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(3, 2, 3, 3)>"Lp/nv+BLMT8QX5k/TYmoP1hXsr56j5o/Htglv1TKBj8VZ3O/KFEJwJ3ywz5AytG+GxU9vxPg0z8WNwU/5TJuvmWt/j6/e4k+XAq9P7OntT5z9s8/iuoXP0na3L9qPB+/xsfMu6crZT8vT/y74AU5PexPFD/6j8q/jXkWv7Bv6b1pkTM/NTwOv05tw75ROTW9XAMFP6aUQj8Nkj7Ai6QTvj4R375YKY0/XNtEv44dBL4XwLU/OL6ovmRk2b9+CCy/klehP9YyJr8LKSU+3odhv4ErMb38K/E+"]()
  %b : Tensor = prim::Constant[value=tensor<Float(3)>"4QX1PtJraz9O5RRA"]()
  %stride : int[] = prim::Constant[value=[1, 1]]()
  %pad : int[] = prim::Constant[value=[1, 1]]()
  %dil : int[] = prim::Constant[value=[1, 1]]()
  %groups : int = prim::Constant[value=1]()
  %other : Tensor = prim::Constant[value=tensor<Float(1)>"xQaAPw=="]()
  %y : Tensor = aten::conv2d(%x, %w, %b, %stride, %pad, %dil, %groups)
  %z : Tensor = aten::mul(%y, %other)
  return (%z)
`,
    input: [2, 2, 5, 5],
    dtype: 'float32',
    weight:
      'tensor<Float(3, 2, 3, 3)>"bqvnv0BVMT8tZ5k/N5KoP8dgsr6nl5o/4+Alv3XRBj/0c3O/a1gJwPr8wz5Y1dG+Gx89v0jr0z8iPgU/fj9uvt26/j4Eg4k+WxS9P06xtT5zAdA/k/IXP/fl3L/WRB+/m9LMu8Y3ZT+HXPy7qQ85PcRXFD+xmsq/goEWvwl86b3omjM/u0MOv6R3w77nQjW9ZQoFP/CeQj8hnD7AWqwTvgod377PMI0/xeVEv4skBL60ybU/JceovuNv2b+XESy/GmChP6A7Jr/HMSU+y5Nhv+A0Mb29OPE+"',
    bias: 'tensor<Float(3)>"1hL1PkV4az8u7RRA"',
  },
  div_number: {
    ir: `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(3, 2, 3, 3)>"gbplv7jhL79PYYi/px7OPtZ7z758VxW/El2EvvIFG7+7Bc4/HBk9vxcVLj+o60S//0OVvZC/uL+tkaG/BZMWP8Luor6d7+w/YYybv92yLb5WEBU/9eHxP4ufij7E6jo/rBDHv/yBTD8l63q9KmarPwWKh79z9NQ+57VHvwgSyLy3f56/h/ttv+RVR0B5jk+/d3eNv54qOb+tr5m/va6CPykhxr7kA2m9TxyYP4CuIsA4sbS+oCy1v6qcpr+9uK+/eXDYP3Gl7L7JquI+8I0DP1G7HL/1MPm/"]()
  %b : Tensor = prim::Constant[value=tensor<Float(3)>"ooO7voaiUb+orJU/"]()
  %stride : int[] = prim::Constant[value=[1, 1]]()
  %pad : int[] = prim::Constant[value=[1, 1]]()
  %dil : int[] = prim::Constant[value=[1, 1]]()
  %groups : int = prim::Constant[value=1]()
  %other : float = prim::Constant[value=3.0]()
  %y : Tensor = aten::conv2d(%x, %w, %b, %stride, %pad, %dil, %groups)
  %z : Tensor = aten::div(%y, %other)
  return (%z)
`,
    input: [2, 2, 5, 5],
    dtype: 'float32',
    weight:
      'tensor<Float(3, 2, 3, 3)>"ASeZvkuCar4U17W+xWkJPo9SCr5QH0e+GHywvZiyTr4nWQk/eyF8vh8caD7FR4O+VAXHvMBU9r7nbNe+B8RIPlg+2b0T9R0/12XPvieZZ71zwEY+TkEhP7nUuD0FOXk+yLUEv6hWiD5uR6e8OIjkPge4tL5N+A0+7yOFvlthBbz0VNO+r6eevu3jhD/7Xoq+SZ+8vn3jdr486sy+UT6uPhsWBL7tV5u8adDKPqvoWL9L7PC91ZDxvjgm3r6nS+q++0oQP6HDHb6GHBc+62cvPsH5UL6jICa/"',
    bias: 'tensor<Float(3)>"2AT6va/Bi77gkMc+"',
  },
  mul_1c11_nobias: {
    ir: `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(3, 2, 3, 3)>"/Am4vhNtgD+BEvE+qQ6fvtG1rr8xw1C9sj+yP+8KE0DQfkq/IyDRPm5XDD/7JtO/hnYfv5ahqL/Dgbc7yWARP0LP5z+jWes/uR8oPiXPtz/SBCs+FCGCP1e0pD+ePwVA1lOjPaTJXT7RHYi+nTIHv1hh576fbOS/igsyP0kyHcAnzm8+Xgn0vqVoFr7Q05A+KN7dvmPoNj+bd1A/6760vyhWzL0meJk9XR8XP5YPzD66ySK/efk/PfWrjL90egPAWDKlvfJVDLrFnZK/omMAQClMNb6dka+/"]()
  %b : NoneType = prim::Constant()
  %stride : int[] = prim::Constant[value=[1, 1]]()
  %pad : int[] = prim::Constant[value=[1, 1]]()
  %dil : int[] = prim::Constant[value=[1, 1]]()
  %groups : int = prim::Constant[value=1]()
  %other : Tensor = prim::Constant[value=tensor<Float(1, 3, 1, 1)>"+P6sP/R7bz9/qhw/"]()
  %y : Tensor = aten::conv2d(%x, %w, %b, %stride, %pad, %dil, %groups)
  %z : Tensor = aten::mul(%y, %other)
  return (%z)
`,
    input: [2, 2, 5, 5],
    dtype: 'float32',
    weight:
      'tensor<Float(3, 2, 3, 3)>"A7z4vmOSrT+J6CI/iPjWvlQg7L8RE429p+jwP5i7RkDi1oi/4FENPwmtPT9+sA7A6IRXvwnp47/nA/g7pHtEPyGmHECgCh9ABUcdPmPzqz9O/B8+x3dzPx0Umj/STfk/WsqYPaN6Tz58q36+bvP8vulz2L4CsNW/+44mPw8OE8CTVWA+6Erkvoa0DL7fe4c+JMeHvtve3z5zJ/8+bzldvy4Zer3a1js9hfe4Ps7CeT6wPse+wffqPPMsLL9e7KC/ZjFKvazDq7mTczO/cSSdP0/m3b1T41a/"',
    bias: null,
  },
  linear_bn: {
    ir: `graph(%x : Tensor):
  %w : Tensor = prim::Constant[value=tensor<Float(4, 3)>"VfAXv3061b3WO84/u2JtP39Mmr+oZ1c/1laLvsk43T7zXyK+UCgvv9ijKL6cpjS/"]()
  %b : Tensor = prim::Constant[value=tensor<Float(4)>"MTmNP0nQg78BA7W+RStGPw=="]()
  %g : Tensor = prim::Constant[value=tensor<Float(4)>"LelcP5vVij8AoIo/RXSgPw=="]()
  %beta : Tensor = prim::Constant[value=tensor<Float(4)>"NRvRPIJBPD/NbBe+x98Mvw=="]()
  %mean : Tensor = prim::Constant[value=tensor<Float(4)>"eQkvvvTajLpZ/sc8fqgMPg=="]()
  %var : Tensor = prim::Constant[value=tensor<Float(4)>"tiysPzSYsj9hT4k/4eB1Pw=="]()
  %false : bool = prim::Constant[value=0]()
  %momentum : float = prim::Constant[value=0.1]()
  %eps : float = prim::Constant[value=1e-05]()
  %true : bool = prim::Constant[value=1]()
  %y : Tensor = aten::linear(%x, %w, %b)
  %z : Tensor = aten::batch_norm(%y, %g, %beta, %mean, %var, %false, %momentum, %eps, %true)
  return (%z)
`,
    input: [5, 3],
    dtype: 'float32',
    weight: 'tensor<Float(4, 3)>"yhjivnymnr0scpk/JfpZP/Sujb8jy0U/87KRvqlR5z45ySm+dwpgv1u0V748EWe/"',
    bias: 'tensor<Float(4)>"oj55PzxCVr4yBwu/gj6HPg=="',
  },
};
