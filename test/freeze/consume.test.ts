// freeze(module, { consume: true }): the same frozen module as the cloning freeze (graphs, code, saved bytes,
// PyTorch's frozen outputs) on every fixture; the consumed input refuses any use; the folds write a weight
// in place only when nothing else holds its storage, and a cloning freeze leaves every input tensor as it was.

import { expect } from 'chai';
import { createHash } from 'node:crypto';
import {
  Tensor,
  Tuple,
  buildModuleArchive,
  isScriptModule,
  isTsFreezeError,
  loadModule,
  toIValue,
  type IValue,
  type ScriptModule,
} from '../../src/index.js';
import { freeze } from '../../passes/index.js';
import { compareValue, decodeValue, expectedFor, listFixtureCases } from '../support/fixture-case.js';

const cases = listFixtureCases().filter((c) => c.modulePath);

function settings(fixture: (typeof cases)[number]) {
  return {
    preservedAttrs: fixture.freezeSettings.preservedAttrs ?? [],
    optimizeNumerics: fixture.freezeSettings.optimizeNumerics,
  };
}

// Every method's graph text and the code: what --graph / --code print.
function texts(m: ScriptModule): string[] {
  return m.methodNames().map((n) => `${n}\n${m.getMethod(n).graph.toString()}\n${m.methodCode(n)}`);
}

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// The bytes of every tensor reachable from the module's attributes (recursively), by path.
function tensorBytes(m: ScriptModule): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, value] of m.namedAttributes()) {
    if (value instanceof Tensor) {
      const d = value.storage.data;
      out.set(path, sha(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
    }
  }
  return out;
}

function expectConsumed(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(isTsFreezeError(error) && error.code).to.equal('MODULE_CONSUMED');
    expect((error as Error).message).to.contain('freeze(module, { consume: true })');
    return;
  }
  expect.fail('a consumed module was used without an error');
}

describe('freeze with consume', function () {
  this.timeout(120_000);

  describe('gives the cloning freeze result on every fixture', () => {
    for (const fixture of cases) {
      it(fixture.name, () => {
        let cloned: ScriptModule;
        const original = loadModule(fixture.modulePath!);
        const before = tensorBytes(original);
        try {
          cloned = freeze(original, settings(fixture));
        } catch (error) {
          // A module freeze refuses is refused the same way, and stays usable (checks come first).
          const input = loadModule(fixture.modulePath!);
          expect(() => freeze(input, { ...settings(fixture), consume: true })).to.throw(
            (error as Error).message,
          );
          expect(isScriptModule(input)).to.equal(true);
          return;
        }
        // The cloning freeze leaves every tensor of its input as it was.
        expect(tensorBytes(original)).to.deep.equal(before);
        const consumed = freeze(loadModule(fixture.modulePath!), { ...settings(fixture), consume: true });
        expect(texts(consumed)).to.deep.equal(texts(cloned));
        expect(sha(buildModuleArchive(consumed))).to.equal(sha(buildModuleArchive(cloned)));
        for (const call of fixture.calls) {
          const { output, raises } = expectedFor(call, 'frozen');
          const inputs: IValue[] = call.inputs.map((enc) => decodeValue(fixture.dir, enc));
          if (raises) {
            expect(() => consumed.call(call.method, ...inputs)).to.throw();
            continue;
          }
          const cmp = compareValue(consumed.call(call.method, ...inputs), output!, fixture.dir, {
            rtol: 1e-4,
            atol: 1e-4,
          });
          expect(cmp.ok, JSON.stringify(cmp)).to.equal(true);
        }
      });
    }
  });

  const fixture = (name: string) => cases.find((c) => c.name === name)!;

  it('leaves the consumed module and its submodules unusable, naming the cause', () => {
    const m = loadModule(fixture('consume_shared_weight').modulePath!);
    const sub = m.getAttr('conv_a') as ScriptModule;
    const x = Tensor.fromStorage('float32', new Float32Array(108), [1, 3, 6, 6]);
    const frozen = freeze(m, { consume: true });
    expectConsumed(() => m.forward(x));
    expectConsumed(() => m.getAttr('conv_a'));
    expectConsumed(() => m.graph);
    expectConsumed(() => m.parameters());
    expectConsumed(() => m.clone());
    expectConsumed(() => sub.getAttr('weight'));
    expectConsumed(() => isScriptModule(m));
    expectConsumed(() => freeze(m));
    expectConsumed(() => m instanceof Tensor);
    // The frozen module is whole.
    expect((frozen.forward(x) as Tuple).items.length).to.equal(3);
  });

  it('refuses a consume option that is not a boolean, before consuming anything', () => {
    const m = loadModule(fixture('consume_shared_weight').modulePath!);
    const wrong = { consume: 'yes' } as unknown as { consume: boolean };
    expect(() => freeze(m, wrong)).to.throw(/option 'consume' must be true or false, got "yes"/);
    expect(isScriptModule(m)).to.equal(true);
    expect(() => freeze(m)).not.to.throw();
  });

  it('never folds a weight in place that another conv shares, but does fold an unshared one', () => {
    const m = loadModule(fixture('consume_shared_weight').modulePath!);
    const conv = (name: string) => m.getAttr(name) as ScriptModule;
    const shared = conv('conv_a').getAttr('weight') as Tensor;
    const own = conv('conv_c').getAttr('weight') as Tensor;
    expect(conv('conv_b').getAttr('weight')).to.equal(shared);
    const sharedBefore = Float32Array.from(shared.storage.data as Float32Array);
    const ownBefore = Float32Array.from(own.storage.data as Float32Array);
    const frozen = freeze(m, { consume: true });
    expect(Float32Array.from(shared.storage.data as Float32Array)).to.deep.equal(sharedBefore);
    // conv_c's weight (folded with its batch norm, then the mul) now lives where it was: one storage.
    const weights = constantTensors(frozen).filter((t) => t.dim === 4);
    expect(weights.length).to.equal(3);
    const inPlace = weights.filter((t) => t.storage === own.storage);
    expect(inPlace.length).to.equal(1);
    expect(Float32Array.from(own.storage.data as Float32Array)).to.not.deep.equal(ownBefore);
  });

  it('never folds in place a weight that is a view of a bigger storage', () => {
    const m = loadModule(fixture('consume_view_weights').modulePath!);
    const a = (m.getAttr('conv_a') as ScriptModule).getAttr('weight') as Tensor;
    const b = (m.getAttr('conv_b') as ScriptModule).getAttr('weight') as Tensor;
    expect(a.storage).to.equal(b.storage);
    expect(a.numel).to.be.lessThan(a.storage.numel);
    const before = Float32Array.from(a.storage.data as Float32Array);
    const frozen = freeze(m, { consume: true });
    expect(Float32Array.from(a.storage.data as Float32Array)).to.deep.equal(before);
    for (const t of constantTensors(frozen)) expect(t.storage).to.not.equal(a.storage);
  });

  it('never folds in place without consume (the input keeps its weights)', () => {
    const m = loadModule(fixture('consume_shared_weight').modulePath!);
    const own = (m.getAttr('conv_c') as ScriptModule).getAttr('weight') as Tensor;
    const before = Float32Array.from(own.storage.data as Float32Array);
    const frozen = freeze(m);
    expect(Float32Array.from(own.storage.data as Float32Array)).to.deep.equal(before);
    for (const t of constantTensors(frozen)) expect(t.storage).to.not.equal(own.storage);
  });
});

// The tensors of the frozen forward's constants.
function constantTensors(m: ScriptModule): Tensor[] {
  const out: Tensor[] = [];
  for (const n of m.graph.allNodes()) {
    if (n.kind !== 'prim::Constant') continue;
    const v = toIValue(n.output());
    if (v instanceof Tensor) out.push(v);
  }
  return out;
}
