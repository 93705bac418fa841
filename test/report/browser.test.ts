// The report as a person sees it: headless Chromium opens the report of the bundled resnet18 and of a
// 10k-node graph. No console errors; one drawn node per IR node in the chosen view; the highlights are
// the pass's changes; screenshots land in dist/screenshots/. Skipped (visibly) without Chromium.

import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createFreezeContainer, freezeWithReport } from '../../passes/index.js';
import {
  BufferSink,
  loadModule,
  type RecordedBlock,
  type RecordedNode,
  type RunRecord,
} from '../../src/index.js';
import { reportDataOf, writeReport, type ReportData } from '../../src/report/index.js';
import { REPO_ROOT } from '../support/ir-case-runner.js';
import { syntheticNet } from '../support/synthetic-net.js';
import { collectErrors, hasChromium, launchChromium, type Browser } from './support/chromium.js';

const SCREENSHOTS = join(REPO_ROOT, 'dist', 'screenshots');

/** The page's test hooks (src/report/client/main.ts), as seen from page.evaluate callbacks. */
interface InPage {
  readonly tsfreezeReport: {
    selectPass(n: number): Promise<void>;
    open(id: string): Promise<void>;
    drawn(): Promise<void>;
    showTab(name: string): void;
    timings(): { script: number; parsed: number; firstDrawn: number };
  };
}

// The nodes a picture draws, computed here from the record (not by the page's code): all but constants
// and lists/tuples made only of folded values.
function drawnNodes(nodes: readonly RecordedNode[], graph: RecordedBlock): Map<number, RecordedNode> {
  const folded = new Set<number>();
  const out = new Map<number, RecordedNode>();
  const walk = (b: RecordedBlock): void => {
    for (const i of b.nodes) {
      const n = nodes[i];
      const list = n.kind === 'prim::ListConstruct' || n.kind === 'prim::TupleConstruct';
      if (
        (n.kind === 'prim::Constant' || (list && n.inputs.every((v) => folded.has(v)))) &&
        !n.blocks.length
      ) {
        folded.add(n.outputs[0].id);
        continue;
      }
      out.set(n.key, n);
      n.blocks.forEach(walk);
    }
  };
  walk(graph);
  return out;
}

async function keysIn(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (els) => els.map((e) => Number(e.getAttribute('data-node'))));
}

async function open(browser: Browser, file: string): Promise<{ page: Page; errors: string[]; ms: number }> {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  // The page works offline: it asks for nothing but itself and the blob its layout worker runs from.
  page.on('request', (r) => {
    if (!/^(file|blob|data):/.test(r.url())) errors.push(`network request: ${r.url()}`);
  });
  const t0 = Date.now();
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (globalThis as unknown as Partial<InPage>).tsfreezeReport !== undefined);
  await page.evaluate(() => (globalThis as unknown as InPage).tsfreezeReport.drawn());
  return { page, errors, ms: Date.now() - t0 };
}

function freezeRecord(module: Parameters<typeof freezeWithReport>[0], checkNumerics: boolean): RunRecord {
  const { record } = freezeWithReport(module, {
    report: true,
    instrumentation: checkNumerics ? { checkNumerics: true } : {},
    container: createFreezeContainer({ output: new BufferSink() }),
  });
  return record!;
}

describe('report in headless Chromium', function () {
  this.timeout(300_000);
  let browser: Browser | undefined;
  let dir: string;

  before(async function () {
    if (!hasChromium()) {
      console.log('    (skipped: no Chromium at /usr/bin/chromium; .ci/run installs it)');
      this.skip();
    }
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-report-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('resnet18 (examples/resnet18_w8.pt)', () => {
    let data: ReportData;
    let page: Page;
    let errors: string[];

    before(async () => {
      const record = freezeRecord(loadModule(`${REPO_ROOT}examples/resnet18_w8.pt`), true);
      data = reportDataOf(record);
      const file = join(dir, 'resnet18.html');
      await writeReport(record, file);
      ({ page, errors } = await open(browser!, file));
    });

    it('opens without console errors and lists every pass run', async () => {
      expect(errors).to.deep.equal([]);
      expect(await page.$$eval('tr.pass', (rows) => rows.length)).to.equal(data.passes.length);
      await page.screenshot({ path: join(SCREENSHOTS, 'resnet18-timeline.png') });
    });

    it('draws fold-conv-bn with one node per IR node, highlighting exactly what the pass changed', async () => {
      const fold = data.passes.find((p) => p.pass === 'fold-conv-bn' && p.changed)!;
      await page.evaluate((n) => (globalThis as unknown as InPage).tsfreezeReport.selectPass(n), fold.number);
      const before = drawnNodes(data.nodes, data.states[fold.before.forward].graph);
      const after = drawnNodes(data.nodes, data.states[fold.after.forward].graph);
      expect(await page.$$eval('[data-size]', (r) => r.length)).to.equal(0); // no closed region
      const drawnBefore = await keysIn(page, '[data-pane=before] [data-node]');
      const drawnAfter = await keysIn(page, '[data-pane=after] [data-node]');
      expect(drawnBefore.sort()).to.deep.equal([...before.keys()].sort());
      expect(drawnAfter.sort()).to.deep.equal([...after.keys()].sort());
      // The changes, from node versions: gone, new, and changed in place.
      const removed = [...before.keys()].filter((k) => !after.has(k));
      const added = [...after.keys()].filter((k) => !before.has(k));
      const changed = [...after.values()].filter((n) => before.has(n.key) && before.get(n.key) !== n);
      expect((await keysIn(page, '[data-pane=before] [data-change=removed]')).sort()).to.deep.equal(
        removed.sort(),
      );
      expect((await keysIn(page, '[data-pane=after] [data-change=added]')).sort()).to.deep.equal(
        added.sort(),
      );
      const marked = await keysIn(
        page,
        '[data-pane=after] [data-change=rewritten], [data-pane=after] [data-change=rewired]',
      );
      expect(marked.sort()).to.deep.equal(changed.map((n) => n.key).sort());
      // What that means for resnet18: every batch_norm goes, every conv gets new weights.
      expect(removed.map((k) => before.get(k)!.kind)).to.deep.equal(Array(20).fill('aten::batch_norm'));
      expect(changed.filter((n) => n.kind === 'aten::conv2d')).to.have.length(20);
      await page.screenshot({ path: join(SCREENSHOTS, 'resnet18-fold-conv-bn.png') });
    });

    it('links the explanation table to the nodes and plots the numerics', async () => {
      await page.evaluate(() => (globalThis as unknown as InPage).tsfreezeReport.showTab('attributes'));
      const rows = await page.$$eval('table.explanations tr[data-attribute]', (r) => r.length);
      expect(rows).to.be.greaterThan(50);
      await page.screenshot({ path: join(SCREENSHOTS, 'resnet18-attributes.png') });
      await page.click('tr[data-attribute="conv1.weight"] a.link');
      await page.evaluate(() => (globalThis as unknown as InPage).tsfreezeReport.drawn());
      const selected = await page.$$eval('[data-pane=after] .selected', (s) =>
        s.map((e) => e.querySelector('.title')?.textContent),
      );
      expect(selected).to.deep.equal(['aten::conv2d']);
      await page.evaluate(() => (globalThis as unknown as InPage).tsfreezeReport.showTab('numerics'));
      expect(await page.$$eval('[data-chart=numerics] circle', (c) => c.length)).to.equal(
        data.numerics!.passes.length,
      );
      await page.screenshot({ path: join(SCREENSHOTS, 'resnet18-numerics.png') });
      expect(errors).to.deep.equal([]);
    });
  });

  describe('a 10k-node graph', () => {
    it('opens collapsed, draws an opened module node for node, without console errors', async () => {
      const record = freezeRecord(syntheticNet(), false);
      const data = reportDataOf(record);
      const inline = data.passes.find((p) => p.pass === 'inline-submodules' && p.changed)!;
      const state = data.states[inline.after.forward];
      expect(state.nodeCount).to.be.greaterThan(10_000);
      const file = join(dir, 'big.html');
      await writeReport(record, file);
      const { page, errors, ms } = await open(browser!, file);
      const t = await page.evaluate(() => (globalThis as unknown as InPage).tsfreezeReport.timings());
      console.log(
        `    10k-node report (${state.nodeCount} nodes, ${(statSync(file).size / 1e6).toFixed(1)} MB): pictures drawn ${ms} ms after navigation (page: script ${t.script.toFixed(0)} ms, data parsed ${t.parsed.toFixed(0)} ms, first pictures ${t.firstDrawn.toFixed(0)} ms)`,
      );
      expect(errors).to.deep.equal([]);
      await page.evaluate(
        (n) => (globalThis as unknown as InPage).tsfreezeReport.selectPass(n),
        inline.number,
      );
      const drawn = drawnNodes(data.nodes, state.graph);
      const stage = [...drawn.values()].filter((n) => n.module === 'm3' || n.module?.startsWith('m3.'));
      expect(stage.length).to.be.greaterThan(500);
      await page.evaluate(() => (globalThis as unknown as InPage).tsfreezeReport.open('m:top:m3'));
      const inside = await page.$$eval('[data-pane=after] [data-region="m:top:m3"]', (r) => {
        const g = r[0];
        const nodes = g.querySelectorAll('[data-node]').length;
        const closed = [...g.querySelectorAll('[data-size]')].reduce(
          (s, e) => s + Number(e.getAttribute('data-size')),
          0,
        );
        return nodes + closed;
      });
      expect(inside).to.equal(stage.length);
      // Every drawn box of an IR node is one node of the view; closed regions account for the rest.
      const total = await page.$$eval('[data-pane=after] svg', (s) => {
        const svg = s[0];
        return (
          svg.querySelectorAll('[data-node]').length +
          [...svg.querySelectorAll('[data-size]')].reduce(
            (t, e) => t + Number(e.getAttribute('data-size')),
            0,
          )
        );
      });
      expect(total).to.equal(drawn.size);
      await page.screenshot({ path: join(SCREENSHOTS, 'big-10k.png') });
      expect(errors).to.deep.equal([]);
      await page.close();
    });
  });
});
