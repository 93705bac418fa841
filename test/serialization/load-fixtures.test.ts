// Every fixture archive loads; each method graph PyTorch printed for the loaded module matches ours
// structurally; every method of every class and every free function passes the verifier.

import { expect } from 'chai';
import { verify } from '../../src/ir/index.js';
import { ClassType } from '../../src/module/index.js';
import { OperatorRegistry } from '../../src/ops/index.js';
import { diffGraphs } from '../support/graph-compare.js';
import { fixtureArchives, loadFixture, referenceGraphs } from './load-test-helpers.js';

describe('load: every fixture archive, compared with torch.jit.load', () => {
  const archives = fixtureArchives();
  const results: Array<{ name: string; ok: boolean }> = [];
  const checkNode = new OperatorRegistry().nodeChecker();

  it('finds the fixture archives', () => {
    expect(archives.length).to.be.greaterThan(60);
  });

  for (const archive of archives) {
    const label = `${archive.caseName}/${archive.file}`;
    describe(label, () => {
      it('loads', () => {
        const { module, version } = loadFixture(archive.path);
        expect(module.type.isModule).to.equal(true);
        expect(version).to.be.within(3, 10);
      });

      for (const ref of referenceGraphs(archive)) {
        it(`${ref.method} matches PyTorch's ${ref.file} structurally`, () => {
          const { module } = loadFixture(archive.path);
          const fn = module.getMethod(ref.method);
          const diff = diffGraphs(fn.graph, ref.graph());
          results.push({ name: `${label} ${ref.method}`, ok: diff === undefined });
          expect(diff, diff).to.equal(undefined);
        });
      }

      it('every method and free function verifies, with input types checked against the schemas', () => {
        const { cu } = loadFixture(archive.path);
        const functions = [
          ...cu.types.flatMap((t) => (t instanceof ClassType ? t.methods : [])),
          ...cu.freeFunctions,
        ];
        expect(functions.length).to.be.greaterThan(0);
        for (const fn of functions) {
          try {
            verify(fn.graph, { checkNode });
          } catch (error) {
            throw new Error(`${fn.qualifiedName}: ${(error as Error).message}`);
          }
        }
      });
    });
  }

  after(() => {
    const ok = results.filter((r) => r.ok).length;
    console.log(`      structural match with PyTorch's loaded graphs: ${ok}/${results.length}`);
  });
});
