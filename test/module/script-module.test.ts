// ScriptObject/ScriptModule: attribute access with typed errors, nn.Module traversal order and dedup
// (checked against what PyTorch 1.13 prints for the same structure), train/eval, hooks and calls.

import { expect } from 'chai';
import fc from 'fast-check';
import { TsFreezeError } from '../../src/errors.js';
import { Tuple, type IValue } from '../../src/ir/ivalue.js';
import {
  AnyType,
  BoolType,
  IntType,
  ListType,
  OptionalType,
  StringType,
  TensorTensor,
} from '../../src/ir/types.js';
import { moduleBuilder, classBuilder } from '../../src/module/builder.js';
import { ClassType } from '../../src/module/class-type.js';
import type { Function } from '../../src/module/function.js';
import { setCodePrinter, setInterpreter } from '../../src/module/hooks.js';
import { ScriptObject } from '../../src/module/script-object.js';
import { ScriptModule, createObject } from '../../src/module/script-module.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { floats, readAttrGraph } from './helpers.js';

// The same instances in the same order (deep equality would accept equal-looking copies).
function expectSameModules(actual: readonly ScriptModule[], expected: readonly ScriptModule[]): void {
  expect(actual.length).to.equal(expected.length);
  actual.forEach((m, i) => expect(m).to.equal(expected[i]));
}

function linear(name = 'Linear'): ScriptModule {
  return moduleBuilder(`__torch__.torch.nn.modules.linear.${name}`)
    .parameter('weight', floats([1, 2, 3, 4], [2, 2]))
    .parameter('bias', floats([0, 0]))
    .build();
}

/**
 * The structure of this PyTorch module (probed with torch 1.13):
 *   x = 3; sub1 = ReLU(); b = buffer; p = Parameter; y = 4; shared = Linear(2, 2);
 *   sub2 = Sequential(shared, ReLU())
 * named_modules: ['', 'sub1', 'shared', 'sub2', 'sub2.1'];  named_parameters: ['p', 'shared.weight', 'shared.bias']
 * named_children: ['sub1', 'shared', 'sub2'].
 */
function probeModule(): { m: ScriptModule; shared: ScriptModule } {
  const shared = linear();
  const relu = (): ScriptModule => moduleBuilder('__torch__.torch.nn.modules.activation.ReLU').build();
  const seq = moduleBuilder('__torch__.torch.nn.modules.container.Sequential')
    .submodule('0', shared)
    .submodule('1', relu())
    .build();
  const m = moduleBuilder('A')
    .attribute('x', 3)
    .submodule('sub1', relu())
    .buffer('b', floats([0, 0]))
    .parameter('p', floats([0, 0]))
    .attribute('y', 4)
    .submodule('shared', shared)
    .submodule('sub2', seq)
    .build();
  return { m, shared };
}

describe('module/script-object', () => {
  it('gets, sets and checks attributes against their declared types', () => {
    const obj = classBuilder('Point')
      .attribute('x', 1)
      .attribute('name', 'p', StringType)
      .attribute('tag', null, new OptionalType(IntType))
      .build();
    expect(obj).to.be.instanceOf(ScriptObject);
    expect(obj).to.not.be.instanceOf(ScriptModule);
    expect(obj.getAttr('x')).to.equal(1);
    obj.setAttr('x', 2);
    expect(obj.getAttr('x')).to.equal(2);
    obj.setAttr('tag', 7);
    obj.setAttr('tag', null);
    expect(obj.hasAttr('x')).to.equal(true);
    expect(obj.hasAttr('z')).to.equal(false);
    expect(() => obj.setAttr('x', 'two'))
      .to.throw(
        TsFreezeError,
        /attribute 'x' of __torch__\.Point: expected a value of type int, got str "two"/,
      )
      .with.property('code', 'ATTRIBUTE_TYPE');
    expect(() => obj.setAttr('x', 1.5))
      .to.throw(TsFreezeError)
      .with.property('code', 'ATTRIBUTE_TYPE');
    expect(() => obj.getAttr('z'))
      .to.throw(TsFreezeError, /__torch__\.Point has no attribute 'z' \(it has: x, name, tag\)/)
      .with.property('code', 'NO_ATTRIBUTE');
    expect(() => obj.setAttr('z', 1))
      .to.throw(TsFreezeError)
      .with.property('code', 'NO_ATTRIBUTE');
  });

  it('reads constants through getAttr but refuses to set them', () => {
    const m = moduleBuilder('L').constant('out_features', 3).build();
    expect(m.getAttr('out_features')).to.equal(3);
    expect(m.hasAttr('out_features')).to.equal(true);
    expect(() => m.setAttr('out_features', 4))
      .to.throw(TsFreezeError, /constant/)
      .with.property('code', 'CONSTANT_ATTRIBUTE');
  });

  it('reports a declared attribute that never got a value', () => {
    const t = new ClassType('__torch__.C');
    t.addAttribute('v', IntType);
    const obj = createObject(t);
    expect(obj.isSet('v')).to.equal(false);
    expect(() => obj.getAttr('v'))
      .to.throw(TsFreezeError, /'v' of __torch__\.C has no value/)
      .with.property('code', 'UNSET_ATTRIBUTE');
    obj.setSlot(0, 5);
    expect(obj.getSlot(0)).to.equal(5);
  });

  it('removeAttr drops the attribute from the type and the object, and other objects keep their values', () => {
    const t = new ClassType('__torch__.C');
    t.addAttribute('a', IntType);
    t.addAttribute('b', IntType);
    const o1 = createObject(t);
    const o2 = createObject(t);
    o1.setAttr('a', 1);
    o1.setAttr('b', 2);
    o2.setAttr('a', 10);
    o2.setAttr('b', 20);
    o1.removeAttr('a');
    expect(o1.namedValues()).to.deep.equal([['b', 2]]);
    expect(o2.getAttr('b')).to.equal(20);
    expect(o2.getSlot(0)).to.equal(20);
  });

  it('checks lists, tuples, dicts and objects structurally', () => {
    const inner = classBuilder('Inner').attribute('v', 1).build();
    const obj = classBuilder('Outer')
      .attribute('xs', [1, 2], new ListType(IntType))
      .attribute('pair', new Tuple([1, 'a']))
      .attribute('inner', inner)
      .build();
    expect(() => obj.setAttr('xs', [1, 'a'] as IValue[]))
      .to.throw(TsFreezeError)
      .with.property('code', 'ATTRIBUTE_TYPE');
    expect(() => obj.setAttr('pair', new Tuple([1, 2])))
      .to.throw(TsFreezeError)
      .with.property('code', 'ATTRIBUTE_TYPE');
    expect(() => obj.setAttr('inner', obj)).to.throw(
      TsFreezeError,
      /expected a value of type __torch__\.Inner, got object of __torch__\.Outer/,
    );
  });

  it('refuses to make a ScriptModule of a plain class type', () => {
    expect(() => new ScriptModule(new ClassType('__torch__.P')))
      .to.throw(TsFreezeError)
      .with.property('code', 'NOT_A_MODULE');
  });
});

describe('module/script-module traversal', () => {
  it('orders attributes as torch.jit.script does: parameters, buffers, training, attributes, submodules', () => {
    const { m } = probeModule();
    expect(m.type.attributeNames()).to.deep.equal(['p', 'b', 'training', 'x', 'y', 'sub1', 'shared', 'sub2']);
  });

  it('namedModules lists self as "" and a shared instance once, at its first path', () => {
    const { m } = probeModule();
    expect(m.namedModules().map(([n]) => n)).to.deep.equal(['', 'sub1', 'shared', 'sub2', 'sub2.1']);
    expect(m.modules()[0]).to.equal(m);
    expectSameModules(
      m.modules(),
      m.namedModules().map(([, x]) => x),
    );
  });

  it('modules() is namedModules without the names, on any tree with shared instances', () => {
    // Module i may hold any module j > i (several times, under several names): a DAG with sharing.
    const trees = fc.array(fc.array(fc.nat(7), { maxLength: 4 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(trees, (edges) => {
        const built: ScriptModule[] = [];
        for (let i = edges.length - 1; i >= 0; i--) {
          let b = moduleBuilder(`M${i}`);
          edges[i].forEach((j, k) => {
            const child = built[edges.length - 1 - (i + 1 + (j % (edges.length - i)))];
            if (child) b = b.submodule(`s${k}`, child);
          });
          built.push(b.build());
        }
        const root = built[built.length - 1];
        expectSameModules(
          root.modules(),
          root.namedModules().map(([, x]) => x),
        );
      }),
    );
  });

  it('namedParameters and namedBuffers recurse in module order, deduplicated', () => {
    const { m, shared } = probeModule();
    expect(m.namedParameters().map(([n]) => n)).to.deep.equal(['p', 'shared.weight', 'shared.bias']);
    expect(m.namedParameters(false).map(([n]) => n)).to.deep.equal(['p']);
    expect(m.parameters()[1]).to.equal(shared.getAttr('weight'));
    expect(m.namedBuffers().map(([n]) => n)).to.deep.equal(['b']);
    expect(m.buffers(false)).to.have.length(1);
  });

  it('namedChildren lists direct submodules once each', () => {
    const { m } = probeModule();
    expect(m.namedChildren().map(([n]) => n)).to.deep.equal(['sub1', 'shared', 'sub2']);
    const seq = m.getSubmodule('sub2');
    expect(seq.namedChildren().map(([n]) => n)).to.deep.equal(['0', '1']);
    expect(seq.children()[0]).to.equal(m.getSubmodule('shared'));
  });

  it('skips None parameters and lists a tensor held by two parameters once', () => {
    const w = floats([1]);
    const m = moduleBuilder('M').parameter('w', w).parameter('tied', w).parameter('bias', null).build();
    expect(m.namedParameters().map(([n]) => n)).to.deep.equal(['w']);
    expect(m.type.getAttribute('bias').type.str()).to.equal('NoneType');
  });

  it('namedAttributes follows PyTorch named_attributes: slot order, each submodule followed by its own', () => {
    const lin = moduleBuilder('__torch__.torch.nn.modules.linear.Linear')
      .parameter('weight', floats([1, 2, 3, 4, 5, 6], [3, 2]))
      .parameter('bias', floats([1, 2, 3]))
      .attribute('_is_full_backward_hook', null)
      .build();
    const m = moduleBuilder('MyModule')
      .parameter('weight', floats([1, 2, 3, 4, 5, 6], [2, 3]))
      .attribute('_is_full_backward_hook', null, new OptionalType(BoolType))
      .submodule('linear', lin)
      .build();
    expect(m.namedAttributes().map(([n]) => n)).to.deep.equal([
      'weight',
      'training',
      '_is_full_backward_hook',
      'linear',
      'linear.weight',
      'linear.bias',
      'linear.training',
      'linear._is_full_backward_hook',
    ]);
    expect(m.namedAttributes(false)).to.have.length(4);
  });

  it('getSubmodule walks dotted paths and names what is missing', () => {
    const { m, shared } = probeModule();
    expect(m.getSubmodule('sub2.0')).to.equal(shared);
    expect(m.getSubmodule('')).to.equal(m);
    expect(() => m.getSubmodule('sub2.7'))
      .to.throw(TsFreezeError, /no submodule '7'/)
      .with.property('code', 'NO_SUBMODULE');
    expect(() => m.getSubmodule('x'))
      .to.throw(TsFreezeError)
      .with.property('code', 'NO_SUBMODULE');
  });

  it('prints like PyTorch repr, children indented', () => {
    const { m } = probeModule();
    const text = m.toString();
    expect(text.split('\n').slice(0, 3)).to.deep.equal([
      'ScriptModule(',
      '  original_name=A',
      '  (sub1): ScriptModule(original_name=ReLU)',
    ]);
    expect(text).to.include(
      '  (sub2): ScriptModule(\n    original_name=Sequential\n    (0): ScriptModule(original_name=Linear)',
    );
  });
});

describe('module/script-module training mode', () => {
  it('eval() and train() set training on every submodule, recursively', () => {
    const { m } = probeModule();
    expect(m.training).to.equal(true);
    m.eval();
    expect(m.modules().map((x) => x.training)).to.deep.equal([false, false, false, false, false]);
    expect(m.getSubmodule('sub2.1').getAttr('training')).to.equal(false);
    m.getSubmodule('sub2').train();
    expect(m.training).to.equal(false);
    expect(m.getSubmodule('sub2.1').training).to.equal(true);
    expect(m.getSubmodule('shared').training).to.equal(true);
    expect(m.train(false)).to.equal(m);
  });

  it('builder.training(false) builds in eval mode; a module without the attribute counts as training', () => {
    expect(moduleBuilder('M').training(false).build().training).to.equal(false);
    const bare = new ScriptModule(new ClassType('__torch__.Bare', { isModule: true }));
    expect(bare.training).to.equal(true);
    bare.eval(); // nothing to set: no error
  });
});

describe('module/script-module methods and hooks', () => {
  function withMethod(): ScriptModule {
    return moduleBuilder('M')
      .parameter('w', floats([2]))
      .method('forward', (cls) => readAttrGraph(cls, 'w'))
      .build();
  }

  it('exposes methods, forward graph and code (graph text until a code printer is installed)', () => {
    const m = withMethod();
    expect(m.methodNames()).to.deep.equal(['forward']);
    expect(m.hasMethod('forward')).to.equal(true);
    expect(m.findMethod('backward')).to.equal(undefined);
    expect(m.graph).to.equal(m.getMethod('forward').graph);
    expect(m.methods[0].signature.arguments.map((a) => a.name)).to.deep.equal(['self', 'x']);
    const previous = setCodePrinter((fn, mod) => `def ${fn.name}(self) # ${mod.originalName}`);
    try {
      expect(m.code).to.equal('def forward(self) # M');
    } finally {
      setCodePrinter(previous);
    }
    expect(() => m.getMethod('backward'))
      .to.throw(TsFreezeError)
      .with.property('code', 'NO_METHOD');
  });

  it('forward without an interpreter is a clear NO_INTERPRETER error', () => {
    const m = withMethod();
    const previous = setInterpreter(undefined);
    try {
      expect(() => m.forward(floats([1])))
        .to.throw(TsFreezeError, /no interpreter is installed/)
        .with.property('code', 'NO_INTERPRETER');
    } finally {
      setInterpreter(previous);
    }
  });

  it('forward and call hand bound arguments (self first) to the installed interpreter', () => {
    const m = withMethod();
    const seen: Array<[Function, readonly IValue[]]> = [];
    const previous = setInterpreter((fn, args) => {
      seen.push([fn, args]);
      return (
        (args[1] as Tensor).getNumber(0) * ((args[0] as ScriptModule).getAttr('w') as Tensor).getNumber(0)
      );
    });
    try {
      expect(m.forward(floats([3]))).to.equal(6);
      expect(m.call('forward', floats([4]))).to.equal(8);
      expect(m.invoke('forward', [], { x: floats([5]) })).to.equal(10);
      expect(seen[0][0]).to.equal(m.getMethod('forward'));
      expect(seen[0][1][0]).to.equal(m);
    } finally {
      setInterpreter(previous);
    }
  });

  it('checks call arguments like Python: count, names, types', () => {
    const m = withMethod();
    const previous = setInterpreter(() => null);
    try {
      expect(() => m.forward())
        .to.throw(TsFreezeError, /forward\(\) is missing argument 'x'/)
        .with.property('code', 'BAD_ARGUMENTS');
      expect(() => m.forward(floats([1]), floats([2]))).to.throw(
        TsFreezeError,
        /takes 1 positional arguments but 2 were given/,
      );
      expect(() => m.forward(3)).to.throw(
        TsFreezeError,
        /expected a value of type Tensor for argument 'x', got int 3/,
      );
      expect(() => m.invoke('forward', [], { y: 1 })).to.throw(
        TsFreezeError,
        /unexpected keyword argument 'y'/,
      );
      expect(() => m.invoke('forward', [floats([1])], { x: floats([1]) })).to.throw(
        TsFreezeError,
        /multiple values for argument 'x'/,
      );
      expect(() => m.call('nope'))
        .to.throw(TsFreezeError)
        .with.property('code', 'NO_METHOD');
    } finally {
      setInterpreter(previous);
    }
  });

  it('fills defaults from an explicit signature', () => {
    const m = moduleBuilder('M')
      .parameter('w', floats([2]))
      .method('forward', (cls) => readAttrGraph(cls, 'w'), {
        signature: {
          arguments: [
            { name: 'self', type: AnyType },
            { name: 'x', type: TensorTensor, defaultValue: floats([9]) },
          ],
          returns: [TensorTensor],
        },
      })
      .build();
    const previous = setInterpreter((_fn, args) => (args[1] as Tensor).getNumber(0));
    try {
      expect(m.forward()).to.equal(9);
    } finally {
      setInterpreter(previous);
    }
  });
});
