// The code printer against the fixtures' code.py / frozen_code.py (PyTorch's `module.code`): first on
// PyTorch's own graphs (graph.txt, frozen_graph.txt: the printer alone), then on modules tsfreeze loaded
// and froze itself (the whole chain), and the two seed examples built in TypeScript.

import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeze } from '../../passes/index.js';
import type { Graph } from '../../src/ir/graph.js';
import type { IValue } from '../../src/ir/ivalue.js';
import type { ScriptModule } from '../../src/module/script-module.js';
import { parseIR } from '../../src/ir/text/index.js';
import { Function } from '../../src/module/function.js';
import { installCodePrinter, printMethodCode } from '../../src/serialization/printer/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { seedPreservedAttrs, seedSimpleParam } from '../support/seed-modules.js';
import { FIXTURES, frozenCase, loadShared, moduleCases } from './save-helpers.js';
import { lossyGraphDump } from '../support/lossy-graph-dump.js';

installCodePrinter();
const read = (path: string): string => readFileSync(path, 'utf8');

// IR text prints big tensor constants as `<Tensor>` and tensor lists as `[<Tensors>]`: give every
// constant distinct values again (the printer numbers CONSTANTS by value). A folded tensor list is named
// after its attribute (`%self.lstm._flat_weights`): its length is that attribute's in the loaded module.
function distinctTensors(graph: Graph, loaded: ScriptModule): void {
  let k = 0;
  const fresh = (): Tensor => Tensor.fromArray('float32', [k++], [1]);
  for (const node of graph.allNodes()) {
    if (node.kind !== 'prim::Constant') continue;
    const attr = node.attribute('value');
    if (attr?.kind === 't') node.setT('value', fresh());
    else if (attr?.kind === 'ival' && Array.isArray(attr.value) && node.output().type.str() === 'Tensor[]') {
      node.setIval(
        'value',
        Array.from({ length: attributeAt(loaded, node.output().debugName).length }, fresh),
      );
    }
  }
}

function attributeAt(module: ScriptModule, name: string): IValue[] {
  let value: IValue = module;
  for (const part of name.replace(/^self\./, '').split('.')) value = (value as ScriptModule).getAttr(part);
  if (!Array.isArray(value)) throw new Error(`${name} is not a list attribute`);
  return value;
}

describe('code printer: PyTorch graphs of every fixture print as PyTorch printed them', () => {
  const pairs: Array<[string, string]> = [
    ['graph.txt', 'code.py'],
    ['frozen_graph.txt', 'frozen_code.py'],
  ];
  for (const c of moduleCases()) {
    for (const [graphFile, codeFile] of pairs) {
      const graphPath = join(c.dir, graphFile);
      const codePath = join(c.dir, codeFile);
      if (!existsSync(graphPath) || !existsSync(codePath) || lossyGraphDump(read(graphPath))) continue;
      it(`${c.name}: ${graphFile} prints as ${codeFile}`, () => {
        // The signature (argument names, defaults) and the compilation unit (free functions) are the
        // loaded module's: graph text does not carry them.
        const loaded = loadShared(join(c.dir, 'module.pt'));
        const graph = parseIR(read(graphPath), { file: graphFile });
        distinctTensors(graph, loaded);
        const fn = new Function({
          name: 'forward',
          graph,
          owner: loaded.type,
          signature: loaded.getMethod('forward').signature,
        });
        expect(printMethodCode(fn)).to.equal(read(codePath));
      });
    }
  }
});

describe('code printer: the seed examples of torch.jit.freeze', () => {
  it('seed_simple_param: scripted.code and frozen.code read exactly as PyTorch prints them', () => {
    const dir = join(FIXTURES, 'seed_simple_param');
    const scripted = seedSimpleParam();
    expect(scripted.code).to.equal(read(join(dir, 'code.py')));
    // The builder reproduces the in-memory scripted module, whose call output is named `output`:
    // torch.jit.freeze(torch.jit.script(MyModule(2, 3).eval())).code in torch 1.13 prints exactly this.
    expect(freeze(scripted).code).to.equal(
      'def forward(self,\n    input: Tensor) -> Tensor:\n' +
        '  output = torch.mm(CONSTANTS.c0, input)\n' +
        '  output0 = torch.linear(output, CONSTANTS.c1, CONSTANTS.c2)\n' +
        '  return output0\n',
    );
    // The fixture froze the module as loaded from module.pt, where that output has no name.
    const [loaded] = moduleCases().filter((c) => c.name === 'seed_simple_param');
    expect(frozenCase(loaded).code).to.equal(read(join(dir, 'frozen_code.py')));
  });

  it('seed_preserved_attrs: the mutated attribute and its SetAttr print as PyTorch prints them', () => {
    const dir = join(FIXTURES, 'seed_preserved_attrs');
    const scripted = seedPreservedAttrs();
    expect(scripted.code).to.equal(read(join(dir, 'code.py')));
    expect(freeze(scripted, { preservedAttrs: ['version'] }).code).to.equal(
      read(join(dir, 'frozen_code.py')),
    );
  });
});

/**
 * Loaded and frozen by tsfreeze, the printed code depends on the loader's and freeze's value names too:
 * these count exact matches and fail if fewer cases match than at the last check.
 */
const MIN_LOADED_CODE_MATCHES = 34;
const MIN_FROZEN_CODE_MATCHES = 22;

describe('code printer: modules loaded and frozen by tsfreeze (exact-match counts)', () => {
  const cases = moduleCases();

  it(`module.code of a loaded module.pt equals code.py for at least ${MIN_LOADED_CODE_MATCHES} cases`, () => {
    const differ: string[] = [];
    let total = 0;
    for (const c of cases) {
      const codePath = join(c.dir, 'code.py');
      if (!existsSync(codePath)) continue;
      total++;
      if (loadShared(join(c.dir, 'module.pt')).code !== read(codePath)) differ.push(c.name);
    }
    console.log(
      `      loaded module.code: ${total - differ.length}/${total} exact; differ: ${differ.join(', ') || 'none'}`,
    );
    expect(total - differ.length).to.be.at.least(MIN_LOADED_CODE_MATCHES);
  });

  it(`frozen.code equals frozen_code.py for at least ${MIN_FROZEN_CODE_MATCHES} cases`, () => {
    const differ: string[] = [];
    let total = 0;
    for (const c of cases) {
      const codePath = join(c.dir, 'frozen_code.py');
      if (!existsSync(codePath)) continue;
      total++;
      let code: string;
      try {
        code = frozenCase(c).code;
      } catch (error) {
        differ.push(`${c.name} (${(error as Error).message.split('\n')[0]})`);
        continue;
      }
      if (code !== read(codePath)) differ.push(c.name);
    }
    console.log(
      `      frozen.code: ${total - differ.length}/${total} exact; differ: ${differ.join(', ') || 'none'}`,
    );
    expect(total - differ.length).to.be.at.least(MIN_FROZEN_CODE_MATCHES);
  });
});
