// fast-check generators for the IR text property tests: constants of every kind, tensors of every dtype,
// attributes of every kind, and recipes of well-formed graphs with nested prim::If / prim::Loop blocks.

import fc from 'fast-check';
import {
  BoolType,
  createConstant,
  Device,
  DeviceType,
  DictType,
  FloatType,
  FunctionRef,
  FunctionType,
  IntType,
  ListType,
  NoneType,
  normalizeInt,
  parseType,
  setNodeScope,
  StringType,
  TensorTensor,
  tensorTypeOf,
  Tuple,
  TupleType,
  type Attribute,
  type Block,
  type Graph,
  type IValue,
  type Type,
  type Value,
} from '../../src/ir/index.js';
import { Graph as IRGraph } from '../../src/ir/graph.js';
import { DTYPES, storageFromBytes, type DType } from '../../src/tensor/dtype.js';
import { Storage, Tensor } from '../../src/tensor/tensor.js';

// ---- values and attributes ----------------------------------------------------------------------

const INT64 = fc.oneof(
  fc.integer(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(normalizeInt),
  fc.constantFrom<number | bigint>(0, -1, 2n ** 63n - 1n, -(2n ** 63n)),
);
const DOUBLE = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, 1, 1e10, -1e10, 1e16, 0.1, 2 ** -26, NaN, Infinity, -Infinity, 5e-324),
);
const TEXT = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    ' ',
    '"',
    "'",
    '\\',
    '\n',
    '\t',
    '\x00',
    '\x1f',
    '\x7f',
    'é',
    '€',
    '😀',
    '#',
    ']',
    '=',
    ',',
  ),
  maxLength: 8,
});

/** Every dtype the IR text writes tensors of. */
export const DTYPE_LIST: readonly DType[] = [
  'float32',
  'float64',
  'float16',
  'bfloat16',
  'int64',
  'int32',
  'int16',
  'int8',
  'uint8',
  'bool',
  'complex64',
];

/** A tensor of any dtype and small shape with arbitrary bytes (bools 0/1); sometimes a transposed view. */
export const TENSOR: fc.Arbitrary<Tensor> = fc
  .tuple(
    fc.constantFrom(...DTYPE_LIST),
    fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
    fc.boolean(),
    fc.boolean(),
  )
  .chain(([dtype, shape, transpose, grad]) => {
    const numel = shape.reduce((a, b) => a * b, 1);
    const length = numel * DTYPES[dtype].itemSize;
    return fc
      .uint8Array({ minLength: length, maxLength: length, ...(dtype === 'bool' ? { max: 1 } : {}) })
      .map((bytes) => {
        const t = new Tensor(new Storage(dtype, storageFromBytes(dtype, bytes)), shape);
        t.requiresGrad = grad;
        return transpose && shape.length === 2 ? t.t() : t;
      });
  });

/** Float32 tensors of 1-10 elements whose values span many magnitudes: PyTorch's table in all its formats. */
export const TABLE_TENSOR: fc.Arbitrary<Tensor> = fc
  .tuple(
    fc
      .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })
      .filter((s) => s.reduce((a, b) => a * b, 1) <= 10),
    fc.integer({ min: -8, max: 8 }),
    fc.boolean(),
  )
  .chain(([shape, exp, ints]) => {
    const numel = shape.reduce((a, b) => a * b, 1);
    const value = ints
      ? fc.integer({ min: -1000, max: 1000 })
      : fc.oneof(
          fc.double({ min: -10, max: 10, noNaN: true }).map((v) => v * 10 ** exp),
          fc.constantFrom(NaN, Infinity, -0),
        );
    return fc
      .array(value, { minLength: numel, maxLength: numel })
      .map((vs) => Tensor.fromArray('float32', vs, shape));
  });

interface ConstSpec {
  readonly value: IValue;
  readonly type: Type;
}

function constants(tensors: fc.Arbitrary<Tensor>): fc.Arbitrary<ConstSpec> {
  const c = <T extends IValue>(
    arb: fc.Arbitrary<T>,
    type: Type | ((v: T) => Type),
  ): fc.Arbitrary<ConstSpec> =>
    arb.map((value) => ({ value, type: typeof type === 'function' ? type(value) : type }));
  return fc.oneof(
    c(INT64, IntType),
    c(DOUBLE, FloatType),
    c(fc.boolean(), BoolType),
    c(TEXT, StringType),
    c(fc.constant(null), NoneType),
    c(fc.constantFrom(new Device('cpu'), new Device('cuda', 1)), DeviceType),
    c(fc.array(INT64, { maxLength: 4 }), new ListType(IntType)),
    c(fc.array(DOUBLE, { maxLength: 4 }), new ListType(FloatType)),
    c(fc.array(fc.boolean(), { maxLength: 4 }), new ListType(BoolType)),
    c(fc.array(TEXT, { maxLength: 3 }), new ListType(StringType)),
    c(
      fc.tuple(INT64, DOUBLE, TEXT).map((items) => new Tuple(items)),
      new TupleType([IntType, FloatType, StringType]),
    ),
    c(
      fc.array(fc.tuple(TEXT, INT64), { maxLength: 3 }).map((kv) => new Map(kv)),
      new DictType(StringType, IntType),
    ),
    c(
      fc.constantFrom('relu', 'torch.nn.functional.gelu').map((n) => new FunctionRef(n)),
      FunctionType,
    ),
    c(tensors, (t: Tensor) => (t.isContiguous ? tensorTypeOf(t) : TensorTensor)),
    c(fc.array(tensors, { minLength: 1, maxLength: 2 }), new ListType(TensorTensor)),
  );
}

const TYPE_TEXTS = [
  'Tensor',
  'int',
  'float',
  'bool',
  'str',
  'int[]',
  'Tensor?',
  '(Tensor, int)',
  'Dict(str, Tensor)',
  '__torch__.M',
  'Float(2, 3, strides=[3, 1], requires_grad=0, device=cpu)',
  'NamedTuple(a : Tensor, b : int?)',
  'InterfaceType<I>',
  'Long(requires_grad=0, device=cpu)',
  'Tensor?[]',
  'Union(int, str)',
  'Future[int]',
  'NoneType',
  'Device',
  'FloatTensor',
];
const TYPE = fc.constantFrom(...TYPE_TEXTS).map((t) => parseType(t));

/** Attributes of non-constant nodes, by kind (non-empty lists: an empty list reads back as `is`). */
function attributes(tensors: fc.Arbitrary<Tensor>): fc.Arbitrary<Attribute> {
  return fc.oneof(
    INT64.map((value): Attribute => ({ kind: 'i', value })),
    DOUBLE.map((value): Attribute => ({ kind: 'f', value })),
    TEXT.map((value): Attribute => ({ kind: 's', value })),
    fc.array(INT64, { minLength: 1, maxLength: 3 }).map((value): Attribute => ({ kind: 'is', value })),
    fc.array(DOUBLE, { minLength: 1, maxLength: 3 }).map((value): Attribute => ({ kind: 'fs', value })),
    fc.array(TEXT, { minLength: 1, maxLength: 3 }).map((value): Attribute => ({ kind: 'ss', value })),
    TYPE.map((value): Attribute => ({ kind: 'ty', value })),
    fc.array(TYPE, { minLength: 1, maxLength: 3 }).map((value): Attribute => ({ kind: 'tys', value })),
    tensors.map((value): Attribute => ({ kind: 't', value })),
    fc.array(tensors, { minLength: 1, maxLength: 2 }).map((value): Attribute => ({ kind: 'ts', value })),
    fc
      .array(fc.oneof(fc.integer(), TEXT, fc.constant(null), fc.boolean()), { maxLength: 3 })
      .map((items): Attribute => ({ kind: 'ival', value: new Tuple(items) })),
  );
}

// ---- graph recipes ------------------------------------------------------------------------------

const NAME = fc.option(
  fc.constantFrom('x', 'x.1', 'y', 'self', 'self.1', 'a.b.c', 'input0.1', 'y_1', '_tmp', '7', 'out.12'),
  { nil: undefined },
);
const SOURCE = fc.option(
  fc.constantFrom('generate.py:12:4', ':0:0', '<string>:5:2', 'torch/nn/functional.py:1457:17'),
  { nil: undefined },
);
const SCOPE = fc.option(fc.constantFrom('__module.conv', '__module.layer1/__module.layer1.0'), {
  freq: 8,
  nil: undefined,
});
const PICKS = fc.array(fc.nat(), { maxLength: 3 });

type Stmt =
  | { tag: 'const'; c: ConstSpec; name?: string; src?: string }
  | {
      tag: 'op';
      kind: string;
      picks: number[];
      outs: { type: Type; name?: string }[];
      attrs: [string, Attribute][];
      src?: string;
      scope?: string;
    }
  | {
      tag: 'if';
      cond: number;
      outs: { name?: string }[];
      then: Stmt[];
      else: Stmt[];
      thenPicks: number[];
      elsePicks: number[];
      src?: string;
    }
  | {
      tag: 'loop';
      trip: number;
      cond: number;
      carried: number[];
      body: Stmt[];
      bodyCond: number;
      bodyPicks: number[];
      counter?: string;
      src?: string;
    };

/** Random graph recipes: graph inputs, a body of statements nested up to 3 blocks deep, and outputs. */
export function recipe(
  tensors: fc.Arbitrary<Tensor>,
): fc.Arbitrary<{ inputs: { type: Type; name?: string }[]; body: Stmt[]; outs: number[] }> {
  const constStmt = fc.record(
    { tag: fc.constant('const' as const), c: constants(tensors), name: NAME, src: SOURCE },
    { requiredKeys: ['tag', 'c'] },
  );
  const attrNames = fc.uniqueArray(
    fc.tuple(fc.constantFrom('name', 'value', 'warn_id', 'alpha', 'axes', 'ty', 'x1'), attributes(tensors)),
    { maxLength: 3, selector: ([n]) => n },
  );
  const opStmt = fc.record(
    {
      tag: fc.constant('op' as const),
      kind: fc.constantFrom(
        'aten::add',
        'aten::relu',
        // Kinds without an arity rule in the verifier: these nodes have any number of inputs and outputs.
        'prim::Print',
        'prim::Guard',
        'custom::get_attr',
        'custom::set_attr',
        'aten::warn',
        'prim::RaiseException',
        'torchvision::nms',
        'aten::_convolution',
      ),
      picks: PICKS,
      outs: fc.array(fc.record({ type: TYPE, name: NAME }, { requiredKeys: ['type'] }), { maxLength: 2 }),
      attrs: attrNames,
      src: SOURCE,
      scope: SCOPE,
    },
    { requiredKeys: ['tag', 'kind', 'picks', 'outs', 'attrs'] },
  );
  const { block } = fc.letrec<{ block: Stmt[]; stmt: Stmt }>((tie) => ({
    block: fc.array(tie('stmt'), { maxLength: 5 }),
    stmt: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'ir-blocks' },
      constStmt,
      opStmt,
      fc.record(
        {
          tag: fc.constant('if' as const),
          cond: fc.nat(),
          outs: fc.array(fc.record({ name: NAME }, { requiredKeys: [] }), { maxLength: 2 }),
          then: tie('block'),
          else: tie('block'),
          thenPicks: fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
          elsePicks: fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
          src: SOURCE,
        },
        { requiredKeys: ['tag', 'cond', 'outs', 'then', 'else', 'thenPicks', 'elsePicks'] },
      ),
      fc.record(
        {
          tag: fc.constant('loop' as const),
          trip: fc.nat(),
          cond: fc.nat(),
          carried: PICKS,
          body: tie('block'),
          bodyCond: fc.nat(),
          bodyPicks: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
          counter: NAME,
          src: SOURCE,
        },
        { requiredKeys: ['tag', 'trip', 'cond', 'carried', 'body', 'bodyCond', 'bodyPicks'] },
      ),
    ) as fc.Arbitrary<Stmt>,
  }));
  return fc.record({
    inputs: fc.array(fc.record({ type: TYPE, name: NAME }, { requiredKeys: ['type'] }), {
      minLength: 1,
      maxLength: 3,
    }),
    body: block,
    outs: PICKS,
  });
}

/** Builds the graph a recipe describes (picks index the values visible at that point, modulo their count). */
// Traced scopes (from IR text) stay with a moved node but are not copied: copies of these recipes have none.
export function withoutScopes(stmts: Stmt[]): Stmt[] {
  return stmts.map((s) => {
    if (s.tag === 'op') return { ...s, scope: undefined };
    if (s.tag === 'if') return { ...s, then: withoutScopes(s.then), else: withoutScopes(s.else) };
    if (s.tag === 'loop') return { ...s, body: withoutScopes(s.body) };
    return s;
  });
}

export function build(r: { inputs: { type: Type; name?: string }[]; body: Stmt[]; outs: number[] }): Graph {
  const g = new IRGraph();
  const visible = r.inputs.map((i) => g.addInput(i.type, i.name));
  const scope = emit(g, g.block, r.body, visible);
  for (const p of r.outs) g.registerOutput(scope[p % scope.length]);
  return g;
}

function emit(g: Graph, block: Block, stmts: readonly Stmt[], outer: readonly Value[]): Value[] {
  const visible = [...outer];
  const pick = (i: number): Value => visible[i % visible.length];
  g.withInsertPoint(block, () => {
    for (const s of stmts) {
      if (s.tag === 'const') {
        const node = g.insertNode(createConstant(g, s.c.value, s.c.type));
        node.sourceRange = s.src;
        if (s.name) node.output().setDebugName(s.name);
        visible.push(node.output());
      } else if (s.tag === 'op') {
        const node = g.insert(s.kind, s.picks.map(pick), []);
        for (const o of s.outs) node.addOutput(o.type, o.name);
        for (const [name, attr] of s.attrs) node.setAttribute(name, attr);
        node.sourceRange = s.src;
        setNodeScope(node, s.scope);
        visible.push(...node.outputs);
      } else if (s.tag === 'if') {
        const node = g.insert('prim::If', [pick(s.cond)], []);
        node.sourceRange = s.src;
        const branches: [Stmt[], number[]][] = [
          [s.then, s.thenPicks],
          [s.else, s.elsePicks],
        ];
        const results = branches.map(([body, picks]) => {
          const b = node.addBlock();
          const inner = emit(g, b, body, visible);
          s.outs.forEach((_, i) => b.registerOutput(inner[picks[i] % inner.length]));
          return b;
        });
        s.outs.forEach((o, i) => node.addOutput(results[0].outputs[i].type, o.name));
        visible.push(...node.outputs);
      } else {
        const carried = s.carried.map(pick);
        const node = g.insert('prim::Loop', [pick(s.trip), pick(s.cond), ...carried], []);
        node.sourceRange = s.src;
        const body = node.addBlock();
        const params = [body.addInput(IntType, s.counter), ...carried.map((c) => body.addInput(c.type))];
        const inner = emit(g, body, s.body, [...visible, ...params]);
        body.registerOutput(inner[s.bodyCond % inner.length]);
        carried.forEach((c, i) => body.registerOutput(inner[s.bodyPicks[i % 3] % inner.length]));
        for (const c of carried) node.addOutput(c.type);
        visible.push(...node.outputs);
      }
    }
  });
  return visible;
}
