// The operator registry: overload resolution as TorchScript picks overloads, per-op facts, registering
// operators and kernels, and the schema of IR nodes (including node-level dropout determinism).

import { expect } from 'chai';
import {
  DictType,
  FloatType,
  IntType,
  ListType,
  NoneType,
  NumberType,
  StringType,
  TensorTensor,
  TupleType,
  cloneNode,
  collectProblems,
  type Graph,
  type Node,
  type Type,
} from '../../src/ir/index.js';
import { parseIR } from '../../src/ir/text/index.js';
import {
  builtinOverloadCount,
  OperatorError,
  OperatorRegistry,
  SPECIAL_OPS,
  TORCH_SCHEMAS,
  type Resolution,
} from '../../src/ops/index.js';
import { thrownBy } from '../support/thrown.js';

const T = TensorTensor;
const I = IntType;
const F = FloatType;
const S = StringType;

const codeOf = (fn: () => unknown) => thrownBy(OperatorError, fn);

function firstNode(graph: Graph, kind: string): Node {
  const node = graph.nodesOfKind(kind)[0];
  expect(node, kind).to.not.equal(undefined);
  return node;
}

describe('ops/registry', () => {
  let registry: OperatorRegistry;
  beforeEach(() => {
    registry = new OperatorRegistry();
  });
  const resolve = (kind: string, types: Type[], kwargs: string[] = []): Resolution =>
    registry.resolve(kind, types, kwargs);
  const key = (kind: string, types: Type[], kwargs: string[] = []): string =>
    resolve(kind, types, kwargs).schema.key;

  describe('overload resolution', () => {
    it('aten::add: Tensor+Tensor, Tensor+Scalar, int+int, str+str, float+int, list+list', () => {
      expect(key('aten::add', [T, T])).to.equal('aten::add.Tensor');
      expect(key('aten::add', [T, I])).to.equal('aten::add.Scalar');
      expect(key('aten::add', [T, F])).to.equal('aten::add.Scalar');
      expect(key('aten::add', [I, I])).to.equal('aten::add.int');
      expect(key('aten::add', [S, S])).to.equal('aten::add.str');
      expect(key('aten::add', [F, I])).to.equal('aten::add.float_int');
      expect(key('aten::add', [NumberType, NumberType])).to.equal('aten::add');
      const lists = resolve('aten::add', [new ListType(I), new ListType(I)]);
      expect(lists.schema.key).to.equal('aten::add.t');
      expect(lists.bindings.get('t')).to.equal(I);
      expect(lists.returnTypes).to.deep.equal([new ListType(I)]);
    });

    it('fills defaults and takes keyword arguments (alpha is keyword-only in add.Tensor)', () => {
      const r = resolve('aten::add', [T, T]);
      expect(r.args).to.deep.equal([
        { kind: 'positional', index: 0 },
        { kind: 'positional', index: 1 },
        { kind: 'default', value: 1 },
      ]);
      expect(r.usedConversions).to.equal(false);
      const kw = resolve('aten::add', [T, T, I], ['alpha']);
      expect(kw.schema.key).to.equal('aten::add.Tensor');
      expect(kw.args[2]).to.deep.equal({ kind: 'keyword', index: 2 });
      // Three positionals cannot fill the keyword-only alpha: add.Scalar takes alpha positionally.
      expect(key('aten::add', [T, T, I])).to.equal('aten::add.Scalar');
    });

    it('an int is not a float: sqrt(int) picks sqrt.int, and sqrt.float refuses an int', () => {
      expect(key('aten::sqrt', [I])).to.equal('aten::sqrt.int');
      expect(key('aten::sqrt', [F])).to.equal('aten::sqrt.float');
      expect(key('aten::floor', [F])).to.equal('aten::floor.float');
      const e = codeOf(() => registry.resolve('aten::floordiv', [S, I]));
      expect(e.code).to.equal('NO_MATCHING_OVERLOAD');
    });

    it('aten::size: (Tensor) -> int[], (Tensor, int) -> int', () => {
      const all = resolve('aten::size', [T]);
      expect(all.schema.key).to.equal('aten::size');
      expect(all.returnTypes).to.deep.equal([new ListType(I)]);
      const one = resolve('aten::size', [T, I]);
      expect(one.schema.key).to.equal('aten::size.int');
      expect(one.returnTypes).to.deep.equal([I]);
    });

    it('aten::__getitem__ on lists, dicts and strings binds the element type', () => {
      const list = resolve('aten::__getitem__', [new ListType(T), I]);
      expect(list.schema.key).to.equal('aten::__getitem__.t');
      expect(list.returnTypes).to.deep.equal([T]);
      const dict = resolve('aten::__getitem__', [new DictType(S, F), S]);
      expect(dict.schema.key).to.equal('aten::__getitem__.Dict_str');
      expect(dict.returnTypes).to.deep.equal([F]);
      expect(key('aten::__getitem__', [new DictType(I, T), I])).to.equal('aten::__getitem__.Dict_int');
      expect(key('aten::__getitem__', [S, I])).to.equal('aten::__getitem__.str');
      const e = codeOf(() => registry.resolve('aten::__getitem__', [new DictType(S, F), I]));
      expect(e.code).to.equal('NO_MATCHING_OVERLOAD');
      expect(e.message).to.contain('aten::__getitem__.Dict_str');
    });

    it('aten::len of a list, a string, a tensor and a dict', () => {
      expect(key('aten::len', [new ListType(I)])).to.equal('aten::len.t');
      expect(key('aten::len', [S])).to.equal('aten::len.str');
      expect(key('aten::len', [T])).to.equal('aten::len.Tensor');
      expect(key('aten::len', [new DictType(S, T)])).to.equal('aten::len.Dict_str');
    });

    it('aten::conv2d: defaults, an int broadcast to int[2], the str padding overload by position or name', () => {
      const r = resolve('aten::conv2d', [T, T]);
      expect(r.schema.key).to.equal('aten::conv2d');
      expect(r.args.slice(2)).to.deep.equal([
        { kind: 'default', value: null },
        { kind: 'default', value: [1, 1] },
        { kind: 'default', value: [0, 0] },
        { kind: 'default', value: [1, 1] },
        { kind: 'default', value: 1 },
      ]);
      const stride = resolve('aten::conv2d', [T, T, NoneType, I]);
      expect(stride.args[3]).to.deep.equal({ kind: 'positional', index: 3, conversion: 'broadcast-list' });
      expect(key('aten::conv2d', [T, T, T, new ListType(I), S])).to.equal('aten::conv2d.padding');
      const named = resolve('aten::conv2d', [T, T, S], ['padding']);
      expect(named.schema.key).to.equal('aten::conv2d.padding');
      expect(named.args[4]).to.deep.equal({ kind: 'keyword', index: 2 });
    });

    it('second round: trailing ints gathered into int[] (x.view(2, 3)), str converted to Device', () => {
      const view = resolve('aten::view', [T, I, I]);
      expect(view.usedConversions).to.equal(true);
      expect(view.args[1]).to.deep.equal({ kind: 'varargs-list', indices: [1, 2] });
      const to = resolve('aten::to', [T, S]);
      expect(to.schema.key).to.equal('aten::to.prim_Device');
      expect(to.args[1]).to.deep.equal({ kind: 'positional', index: 1, conversion: 'aten::device' });
      const range = resolve('aten::__range_length', [T, I, I]);
      expect(range.args[0]).to.deep.equal({ kind: 'positional', index: 0, conversion: 'aten::IntImplicit' });
    });

    it('a homogeneous tuple passes for a list; varargs ops take any extra arguments', () => {
      const r = resolve('aten::cat', [new TupleType([T, T]), I]);
      expect(r.args[0]).to.deep.equal({ kind: 'positional', index: 0, conversion: 'tuple-to-list' });
      const f = resolve('aten::format', [S, I, new ListType(F), T]);
      expect(f.varargs).to.deep.equal([1, 2, 3]);
      expect(f.returnTypes).to.deep.equal([S]);
    });

    it('errors: unknown operator, no matching overload (listing every overload), bad keywords', () => {
      expect(codeOf(() => registry.resolve('aten::no_such_op', [T])).code).to.equal('UNKNOWN_OPERATOR');
      const e = codeOf(() => registry.resolve('aten::add', [T, S]));
      expect(e.code).to.equal('NO_MATCHING_OVERLOAD');
      expect(e.message).to.contain('no overload of aten::add accepts (Tensor, str)');
      expect(e.message).to.contain("argument 'other' (position 1): expected Tensor, got str");
      expect(e.message.split('\n').filter((l) => l.startsWith('  aten::add'))).to.have.length(16);
      const kw = codeOf(() => registry.resolve('aten::relu', [T, I], ['inplace']));
      expect(kw.message).to.contain("unknown keyword argument 'inplace'");
      const twice = codeOf(() => registry.resolve('aten::relu', [T, T], ['self']));
      expect(twice.message).to.contain("'self' given both by position and by name");
      expect(registry.tryResolve('aten::add', [T, S])).to.equal(undefined);
    });
  });

  describe('facts', () => {
    it('add_ writes argument 0; add.out writes its keyword-only out; view aliases argument 0', () => {
      const addInplace = registry.requireEntry('aten::add_.Tensor').schema;
      expect(registry.writtenArgs(addInplace)).to.deep.equal([0]);
      expect(registry.hasSideEffects('aten::add_.Tensor')).to.equal(true);
      expect(registry.isPure('aten::add_.Tensor')).to.equal(false);
      expect(registry.facts('aten::add_.Tensor').externalSideEffects).to.equal(false);
      const out = registry.requireEntry('aten::add.out').schema;
      expect(registry.writtenArgs(out)).to.deep.equal([3]);
      expect(out.arguments[3].isOut).to.equal(true);
      const view = registry.requireEntry('aten::view').schema;
      expect(registry.aliasedArgs(view, 0)).to.deep.equal([0]);
      expect(registry.isPure(view)).to.equal(true);
      expect(registry.aliasedArgs(registry.requireEntry('aten::relu').schema, 0)).to.deep.equal([]);
    });

    it('relu, size, format and list construction are pure; rand, bernoulli and dropout are not', () => {
      for (const k of [
        'aten::relu',
        'aten::size.int',
        'aten::format',
        'prim::ListConstruct',
        'aten::__getitem__.t',
      ]) {
        expect(registry.isPure(k), k).to.equal(true);
      }
      for (const k of [
        'aten::rand',
        'aten::rand.generator',
        'aten::bernoulli',
        'aten::dropout',
        'aten::randn_like',
      ]) {
        expect(registry.isNondeterministic(k), k).to.equal(true);
        expect(registry.isPure(k), k).to.equal(false);
        expect(registry.facts(k).impureReason).to.equal('is nondeterministic');
      }
    });

    it('external side effects: warn, RaiseException, Print, SetAttr, calls, global-state reads', () => {
      for (const k of [
        'aten::warn',
        'prim::RaiseException',
        'prim::Print',
        'prim::SetAttr',
        'prim::CallMethod',
        'aten::is_grad_enabled',
      ]) {
        expect(registry.facts(k).externalSideEffects, k).to.equal(true);
      }
      expect(registry.facts('prim::CallFunction').aliasAnalysis).to.equal('conservative');
      expect(registry.facts('aten::append.t').writtenArgs).to.deep.equal([0]);
      expect(registry.facts('aten::append.t').externalSideEffects).to.equal(false);
    });

    it('special prim ops: GetAttr reads object state, If is control flow, Constant is pure', () => {
      expect(registry.facts('prim::GetAttr')).to.include({
        pure: false,
        category: 'attribute',
        hasSideEffects: false,
      });
      expect(registry.facts('prim::If')).to.include({ pure: false, category: 'control-flow' });
      expect(registry.facts('prim::Constant')).to.include({ pure: true, category: 'constant' });
      expect(registry.facts('prim::TupleIndex').aliasAnalysis).to.equal('special-case');
      expect(registry.isPure('prim::Uninitialized')).to.equal(false);
    });

    it('facts of a schema string not in the table are derived from the schema alone', () => {
      expect(registry.isPure('my::f(Tensor x) -> Tensor')).to.equal(true);
      expect(registry.hasSideEffects('my::log(str msg) -> ()')).to.equal(true);
      expect(
        registry.isNondeterministic('my::noise(Tensor x, *, Generator? generator=None) -> Tensor'),
      ).to.equal(true);
      expect(codeOf(() => registry.facts('aten::add_')).message).to.contain('aten::add_.Tensor');
    });
  });

  describe('registering operators and kernels', () => {
    it('one call registers schema, kernel and facts; resolution finds it', () => {
      const kernel = (args: readonly unknown[]): unknown => args[0];
      const entry = registry.register('my::scale(Tensor x, float factor=2.) -> Tensor', { kernel });
      expect(entry.kernel).to.equal(kernel);
      expect(entry.builtin).to.equal(false);
      const r = resolve('my::scale', [T]);
      expect(r.entry).to.equal(entry);
      expect(r.args[1]).to.deep.equal({ kind: 'default', value: 2 });
      expect(registry.isPure('my::scale')).to.equal(true);
      registry.register('my::scale.impure(Tensor x) -> Tensor', {
        pure: false,
        impureReason: 'talks to a device',
      });
      expect(registry.facts('my::scale.impure').impureReason).to.equal('talks to a device');
      expect(registry.overloads('my::scale').map((e) => e.key)).to.deep.equal([
        'my::scale',
        'my::scale.impure',
      ]);
    });

    it('kernels attach to PyTorch schemas; a different schema under a known key is a conflict', () => {
      const kernel = (): unknown => 0;
      const same = registry.register('aten::relu(Tensor self) -> Tensor', { kernel });
      expect(same.builtin).to.equal(true);
      expect(registry.implement('aten::add.Tensor', kernel).kernel).to.equal(kernel);
      const e = codeOf(() => registry.register('aten::relu(Tensor self, int x) -> Tensor'));
      expect(e.code).to.equal('SCHEMA_CONFLICT');
      expect(codeOf(() => registry.implement('aten::relu.nope', kernel)).code).to.equal('UNKNOWN_OPERATOR');
      // Registries do not share entries.
      expect(new OperatorRegistry().lookup('aten::relu')?.kernel).to.equal(undefined);
    });

    it('an empty registry knows nothing; the full one has every PyTorch schema plus the special prim ops', () => {
      const empty = OperatorRegistry.empty();
      expect(empty.has('aten::add')).to.equal(false);
      expect(empty.kinds()).to.deep.equal([]);
      expect(builtinOverloadCount()).to.equal(TORCH_SCHEMAS.length + SPECIAL_OPS.length);
      expect(registry.entries()).to.have.length(builtinOverloadCount());
      expect(registry.has('prim::GetAttr')).to.equal(true);
    });
  });

  describe('schemas of IR nodes', () => {
    const text = `graph(%self : __torch__.M, %x : Tensor, %train : bool):
  %one : int = prim::Constant[value=1]()
  %p : float = prim::Constant[value=0.5]()
  %false : bool = prim::Constant[value=0]()
  %true : bool = prim::Constant[value=1]()
  %w : Tensor = prim::GetAttr[name="weight"](%self)
  %y : Tensor = aten::add(%x, %w, %one)
  %z : Tensor = aten::add(%y, %one, %one)
  %n : int = aten::add(%one, %one)
  %d0 : Tensor = aten::dropout(%z, %p, %false)
  %d1 : Tensor = aten::dropout(%z, %p, %true)
  %d2 : Tensor = aten::dropout(%z, %p, %train)
  %l : Tensor[] = prim::ListConstruct(%x, %y)
  %c : Tensor = aten::cat(%l, %one)
  %r : Tensor = aten::relu_(%c)
  return (%r)`;

    it('picks the overload from the input types; all arguments are positional in the IR', () => {
      const g = parseIR(text);
      const adds = g.nodesOfKind('aten::add').map((n) => registry.schemaForNode(n)?.key);
      expect(adds).to.deep.equal(['aten::add.Tensor', 'aten::add.Scalar', 'aten::add.int']);
      expect(registry.schemaForNode(firstNode(g, 'prim::GetAttr'))?.key).to.equal('prim::GetAttr');
      expect(registry.schemaForNode(firstNode(g, 'prim::ListConstruct'))?.isVararg).to.equal(true);
      expect(registry.schemaForNode(firstNode(g, 'aten::cat'))?.key).to.equal('aten::cat');
      expect(registry.hasSideEffectsNode(firstNode(g, 'aten::relu_'))).to.equal(true);
      expect(registry.isPureNode(g.nodesOfKind('aten::add')[0])).to.equal(true);
    });

    it('dropout is deterministic (and pure) only when train is the constant False', () => {
      const g = parseIR(text);
      const [d0, d1, d2] = g.nodesOfKind('aten::dropout');
      expect([d0, d1, d2].map((n) => registry.isNondeterministicNode(n))).to.deep.equal([false, true, true]);
      expect([d0, d1, d2].map((n) => registry.isPureNode(n))).to.deep.equal([true, false, false]);
      expect(registry.factsForNode(d0)?.nondeterministic).to.equal(false);
    });

    it('unknown kinds are not pure and assumed to have effects; the verifier hook reports mismatched inputs', () => {
      const g = parseIR(`graph(%s : str, %x : Tensor):
  %y : Tensor = aten::relu(%s)
  %z : Tensor = my::mystery(%x)
  %a : Tensor, %b : Tensor = aten::relu(%x)
  return (%y, %z)`);
      const mystery = firstNode(g, 'my::mystery');
      expect(registry.schemaForNode(mystery)).to.equal(undefined);
      expect(registry.isPureNode(mystery)).to.equal(false);
      expect(registry.hasSideEffectsNode(mystery)).to.equal(true);
      const problems = collectProblems(g, { checkNode: registry.nodeChecker() });
      expect(problems).to.have.length(2);
      expect(problems[0]).to.contain('no schema of aten::relu accepts input types (str)');
      expect(problems[1]).to.contain('aten::relu has 2 outputs but its schema returns 1');
    });

    it('several overloads accept the inputs: the one whose returns fit the outputs wins', () => {
      const g = parseIR(`graph(%a : int, %b : int):
  %p : float = aten::pow(%a, %b)
  return (%p)`);
      expect(registry.schemaForNode(firstNode(g, 'aten::pow'))?.key).to.equal('aten::pow.int');
      // pow.int_to_int comes later in PyTorch's order; PyTorch's own Node::schema() never reaches it.
      const h = parseIR(`graph(%a : int, %b : int):
  %p : int = aten::pow(%a, %b)
  return (%p)`);
      expect(registry.schemaForNode(firstNode(h, 'aten::pow'))?.key).to.equal('aten::pow.int_to_int');
    });

    it('the overload kept on a node follows its input changes, type changes and newly added overloads', () => {
      const g = parseIR(`graph(%a : int, %b : int, %f : float):
  %p : int = aten::add(%a, %b)
  return (%p)`);
      const add = firstNode(g, 'aten::add');
      expect(registry.schemaForNode(add)?.key).to.equal('aten::add.int');
      add.replaceInput(1, g.inputs[2]);
      add.output().setType(FloatType);
      expect(registry.schemaForNode(add)?.key).to.equal('aten::add.int_float');
      g.inputs[0].setType(FloatType);
      expect(registry.schemaForNode(add)?.key).to.equal('aten::add.float');
      const own = new OperatorRegistry();
      const mystery = g.create('my::thing', [g.inputs[0]], [FloatType]);
      expect(own.schemaForNode(mystery)).to.equal(undefined);
      own.register('my::thing(float x) -> float');
      expect(own.schemaForNode(mystery)?.key).to.equal('my::thing');
    });

    it('the overload kept on a node is per registry: another registry chooses from its own table', () => {
      const mine = OperatorRegistry.empty();
      const other = OperatorRegistry.empty();
      mine.register('my::op(int x) -> int');
      other.register('my::op.first(int x) -> int');
      const g = parseIR(`graph(%a : int):
  %p : int = my::op(%a)
  return (%p)`);
      const op = firstNode(g, 'my::op');
      for (let round = 0; round < 2; round++) {
        expect(mine.schemaForNode(op)?.key).to.equal('my::op');
        expect(other.schemaForNode(op)?.key).to.equal('my::op.first');
      }
      // A registry that knows nothing of the kind answers undefined, whatever the node keeps.
      expect(OperatorRegistry.empty().schemaForNode(op)).to.equal(undefined);
      expect(mine.schemaForNode(op)?.key).to.equal('my::op');
    });

    it('among several overloads the kept choice follows the number of outputs and inputs', () => {
      const own = OperatorRegistry.empty();
      own.register('my::split.one(int x) -> int');
      own.register('my::split.two(int x) -> (int, int)');
      own.register('my::split.pair(int x, int y) -> int');
      const g = parseIR(`graph(%a : int):
  %p : int = my::split(%a)
  return (%p)`);
      const split = firstNode(g, 'my::split');
      expect(own.schemaForNode(split)?.key).to.equal('my::split.one');
      split.addOutput(IntType);
      expect(own.schemaForNode(split)?.key).to.equal('my::split.two');
      split.eraseOutput(1);
      expect(own.schemaForNode(split)?.key).to.equal('my::split.one');
      split.addInput(g.inputs[0]);
      expect(own.schemaForNode(split)?.key).to.equal('my::split.pair');
      split.removeInput(1);
      expect(own.schemaForNode(split)?.key).to.equal('my::split.one');
    });

    it("a cloned node starts from its source's overload and re-resolves when its types differ", () => {
      const g = parseIR(`graph(%a : int, %b : int, %f : float):
  %p : int = aten::add(%a, %b)
  return (%p)`);
      const add = firstNode(g, 'aten::add');
      expect(registry.schemaForNode(add)?.key).to.equal('aten::add.int');
      const same = cloneNode(g, add, new Map());
      expect(same.opCache).to.equal(add.opCache);
      expect(registry.schemaForNode(same)?.key).to.equal('aten::add.int');
      const floats = cloneNode(g, add, new Map([[g.inputs[1], g.inputs[2]]]), {
        mapType: (t) => (t === IntType ? FloatType : t),
      });
      expect(registry.schemaForNode(floats)?.key).to.equal('aten::add.int_float');
    });

    it('nodes of one kind and equally spelled types share one choice; other types or arities get their own', () => {
      const own = new OperatorRegistry();
      const chosen: string[] = [];
      const choose = own['chooseEntry'].bind(own);
      own['chooseEntry'] = (n: Node) => (chosen.push(n.kind), choose(n));
      const g = parseIR(`graph(%a : int, %b : int, %x : Float(2, 3), %y : Tensor, %f : float):
  %one : int = prim::Constant[value=1]()
  %p : int = aten::add(%a, %b)
  %q : int = aten::add(%b, %a)
  %s : Tensor = aten::add(%x, %x, %one)
  %t : Tensor = aten::add(%y, %y, %one)
  %u : float = aten::add(%a, %f)
  %l1 : int[] = prim::ListConstruct(%a)
  %l2 : int[] = prim::ListConstruct(%a, %b)
  %l3 : int[] = prim::ListConstruct(%b, %a)
  return (%p)`);
      const keys = [...g.nodes()].map((n) => own.schemaForNode(n)?.key);
      expect(keys).to.deep.equal([
        'prim::Constant',
        'aten::add.int',
        'aten::add.int',
        'aten::add.Tensor',
        'aten::add.Tensor',
        'aten::add.int_float',
        'prim::ListConstruct',
        'prim::ListConstruct',
        'prim::ListConstruct',
      ]);
      expect(chosen).to.deep.equal([
        'prim::Constant',
        'aten::add',
        'aten::add',
        'aten::add',
        'prim::ListConstruct',
        'prim::ListConstruct',
      ]);
      // A new overload: every choice is made again.
      own.register('my::thing(float x) -> float');
      chosen.length = 0;
      for (const n of g.nodes()) n.opCache = undefined;
      expect([...g.nodes()].map((n) => own.schemaForNode(n)?.key)).to.deep.equal(keys);
      expect(chosen).to.have.length(6);
    });
  });
});
