// The container and the declarations: injection, explicit registration, duplicates, bad declarations.

import 'reflect-metadata';
import { expect } from 'chai';
import { inject, injectable } from 'inversify';
import {
  builtinPasses,
  builtinPassesModule,
  ConstantPooling,
  DeadCodeElimination,
} from '../../passes/index.js';
import {
  createContainer,
  getPassDeclaration,
  getPassManager,
  LOGGER,
  OPERATOR_REGISTRY,
  OperatorRegistry,
  pass,
  PASS,
  passesModule,
  registerPasses,
  runPipeline,
  SinkLogger,
  TsFreezeError,
  BufferSink,
  type Graph,
  type GraphPass,
  type Logger,
  type PassContext,
  type PassResult,
} from '../../src/index.js';
import { smallGraph } from './helpers.js';

const GREETING = Symbol.for('test.Greeting');

@injectable()
class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

@pass({ name: 'test-greet', summary: 'uses injected services', statistics: ['greeted'] })
class Greet implements GraphPass {
  constructor(
    @inject(GREETING) private readonly greeter: Greeter,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(OPERATOR_REGISTRY) readonly ops: OperatorRegistry,
  ) {}
  run(_g: Graph, context: PassContext): PassResult {
    this.logger.warn(this.greeter.greet('pass'));
    context.count('greeted');
    return { changed: false };
  }
}

describe('container', () => {
  it('injects constructor dependencies into passes: third-party services, the logger, the operator table', () => {
    const output = new BufferSink();
    const container = createContainer({ output });
    container.bind(GREETING).to(Greeter);
    registerPasses(container, [Greet]);
    const report = runPipeline(container, smallGraph(), 'test-greet');
    expect(output.text).to.equal('warn: hello pass\n');
    expect(report.statistics['test-greet'].greeted).to.equal(1);
    const instance = getPassManager(container).registry.pass('test-greet')!.instance as Greet;
    expect(instance.ops).to.be.instanceOf(OperatorRegistry);
  });

  it('registers nothing on import: a fresh container knows no passes until modules are loaded', () => {
    const empty = createContainer();
    expect(getPassManager(empty).registry.passNames()).to.deep.equal([]);
    const withBuiltins = createContainer({ modules: [builtinPassesModule] });
    expect(getPassManager(withBuiltins).registry.passNames()).to.include.members([
      'constant-pooling',
      'dead-code-elimination',
    ]);
    expect(getPassManager(withBuiltins).registry.passNames()).to.have.length(builtinPasses.length);
    expect(builtinPasses.map((p) => getPassDeclaration(p)?.name)).to.include.members([
      'dead-code-elimination',
      'constant-pooling',
    ]);
  });

  it('one ContainerModule loads into several containers, each with its own instances', () => {
    const a = createContainer({ modules: [builtinPassesModule] });
    const b = createContainer({ modules: [builtinPassesModule] });
    const pa = getPassManager(a).registry.pass('dead-code-elimination')!.instance;
    const pb = getPassManager(b).registry.pass('dead-code-elimination')!.instance;
    expect(pa).to.not.equal(pb);
  });

  it('passes are multi-bound to the PASS token', () => {
    const c = createContainer({ modules: [passesModule([DeadCodeElimination, ConstantPooling])] });
    expect(c.getAll<object>(PASS).map((p) => p.constructor)).to.deep.equal([
      DeadCodeElimination,
      ConstantPooling,
    ]);
  });

  it('rejects a duplicate pass name, naming both classes, at registration and when bound by hand', () => {
    @pass({ name: 'dead-code-elimination', summary: 'an impostor' })
    class MyDce implements GraphPass {
      run(): PassResult {
        return { changed: false };
      }
    }
    const mine = [DeadCodeElimination, ConstantPooling];
    const c = createContainer();
    registerPasses(c, mine);
    expect(() => registerPasses(c, [MyDce])).to.throw(
      TsFreezeError,
      "pass name 'dead-code-elimination' is declared by both DeadCodeElimination and MyDce",
    );
    // Bypassing registerPasses: the registry still refuses.
    const d = createContainer({ modules: [passesModule(mine), passesModule([MyDce])] });
    let e: unknown;
    try {
      getPassManager(d);
    } catch (err) {
      e = err;
    }
    expect(String(e)).to.include('declared by both DeadCodeElimination and MyDce');
    // Registering the same class twice is harmless.
    registerPasses(c, mine);
    expect(getPassManager(c).registry.passNames()).to.deep.equal([
      'constant-pooling',
      'dead-code-elimination',
    ]);
  });

  it('uses the logger and output it is given', () => {
    const output = new BufferSink();
    const logger = new SinkLogger(output, 'debug');
    const c = createContainer({ logger, modules: [builtinPassesModule] });
    const g = smallGraph();
    g.withInsertPoint(g.block, () => g.insert('mylib::mystery', [g.inputs[0]], [g.inputs[0].type]));
    runPipeline(c, g, 'dead-code-elimination');
    expect(output.text).to.include('debug: dead-code-elimination (graph): mylib::mystery');
  });
});

describe('declarations', () => {
  const declare =
    (d: Parameters<typeof pass>[0]): (() => void) =>
    () => {
      @pass(d)
      class X implements GraphPass {
        run(): PassResult {
          return { changed: false };
        }
      }
      void X;
    };

  it('refuse names that are not kebab-case or are reserved', () => {
    expect(declare({ name: 'DeadCode', summary: '' })).to.throw(
      TsFreezeError,
      "pass name 'DeadCode' is not kebab-case",
    );
    expect(declare({ name: 'dead_code', summary: '' })).to.throw(TsFreezeError, 'kebab-case');
    expect(declare({ name: 'fixpoint', summary: '' })).to.throw(TsFreezeError, 'reserved');
  });

  it('refuse bad option declarations', () => {
    expect(
      declare({ name: 'x', summary: '', options: { o: { type: 'float' as never, description: '' } } }),
    ).to.throw(TsFreezeError, "unknown type 'float'");
    expect(
      declare({ name: 'x', summary: '', options: { o: { type: 'integer', default: 1.5, description: '' } } }),
    ).to.throw(TsFreezeError, 'default of option');
    expect(
      declare({ name: 'x', summary: '', options: { 'a b': { type: 'integer', description: '' } } }),
    ).to.throw(TsFreezeError, 'must be an identifier');
  });

  it('fill defaults: graph target, nothing required or preserved, optional for opt-bisect', () => {
    @pass({ name: 'test-defaults', summary: 's' })
    class D implements GraphPass {
      run(): PassResult {
        return { changed: false };
      }
    }
    expect(getPassDeclaration(D)).to.deep.include({
      name: 'test-defaults',
      target: 'graph',
      requires: [],
      preserves: [],
      statistics: [],
      required: false,
    });
  });

  it('registering a class without @pass names it', () => {
    class Plain {
      run(): PassResult {
        return { changed: false };
      }
    }
    expect(() => registerPasses(createContainer(), [Plain])).to.throw(
      TsFreezeError,
      'Plain is not a pass: it has no @pass',
    );
  });

  it('a pass may also carry @injectable() itself', () => {
    @pass({ name: 'test-both', summary: 's' })
    @injectable()
    class Both implements GraphPass {
      run(): PassResult {
        return { changed: false };
      }
    }
    const c = createContainer();
    registerPasses(c, [Both]);
    expect(runPipeline(c, smallGraph(), 'test-both').executed).to.have.length(1);
  });
});
