// The chosen pass: the graph before and after as pictures (laid out by ELK in a worker, regions opened
// on demand), the changes highlighted, and the IR diff beside them. Node clicks select the node in
// both pictures and find its line in the diff.

import { buildView, type GraphView, type VNode } from '../model/graph-view.js';
import type { Change } from '../model/changes.js';
import { layoutInput } from '../model/elk-graph.js';
import { fullExpansion } from '../model/expansion.js';
import type { InitialPictures, MethodDiff, PassData, PictureData, ReportData } from '../model/report-data.js';
import { changesOf, initialExpansion, methodsOf, sideChanges, statesOf } from '../model/selection.js';
import { renderSvg } from '../model/svg.js';
import { h, ms } from './dom.js';
import { layout } from './elk.js';

type Side = 'before' | 'after';

interface Pane {
  readonly side: Side;
  readonly root: HTMLElement;
  readonly canvas: HTMLElement;
  readonly head: HTMLElement;
  view?: GraphView;
  width: number;
  height: number;
  zoom: number;
}

/** What the page shows for one pass (or, in viz mode, for the one graph). */
export class PassView {
  readonly root: HTMLElement;
  private readonly head = h('div', { className: 'passhead' });
  private readonly info = h(
    'div',
    { className: 'info' },
    'Click a node to see it here; click a blue box to open it.',
  );
  private readonly diffPre = h('pre', { className: 'diff' });
  private readonly panes: Record<Side, Pane>;
  private readonly methodSelect = h('select');
  private readonly groupBox = h('input', { type: 'checkbox', checked: true });
  private readonly foldBox = h('input', { type: 'checkbox', checked: true });
  private pass: PassData | undefined;
  private method = '';
  private open = new Set<string>();
  private changes = new Map<number, Change>();
  private selected = new Set<number>();
  private generation = 0;
  /** Resolves when the current pictures are drawn. */
  drawn: Promise<void> = Promise.resolve();
  /** Layout times of the last draw, ms. */
  lastLayoutMs = 0;

  constructor(private readonly data: ReportData) {
    this.panes = { before: this.pane('before'), after: this.pane('after') };
    this.methodSelect.addEventListener('change', () => this.show(this.pass, this.methodSelect.value));
    this.groupBox.addEventListener('change', () => this.show(this.pass, this.method));
    this.foldBox.addEventListener('change', () => this.show(this.pass, this.method));
    const toolbar = h(
      'div',
      { className: 'toolbar' },
      h('label', {}, 'method ', this.methodSelect),
      h('label', {}, this.groupBox, ' group by module'),
      h('label', {}, this.foldBox, ' fold constants into labels'),
      h('button', { onclick: () => this.expandAll(true) }, 'open all'),
      h('button', { onclick: () => this.expandAll(false) }, 'close all'),
      h(
        'span',
        { className: 'legend' },
        h('span', { className: 'added' }, 'added'),
        h('span', { className: 'removed' }, 'removed'),
        h('span', { className: 'rewritten' }, 'rewritten'),
        h('span', { className: 'rewired' }, 'new inputs'),
      ),
    );
    const diffPane = h(
      'div',
      { className: 'pane', 'data-pane': 'diff' },
      h('div', { className: 'panehead' }, h('b', {}, 'IR diff')),
      h('div', { className: 'canvas' }, this.diffPre),
    );
    const panes = h('div', { className: 'panes' }, this.panes.before.root, this.panes.after.root, diffPane);
    this.root = h(
      'div',
      { id: 'tab-pass', className: 'tab active' },
      h('div', {}, this.head, toolbar),
      this.info,
      panes,
    );
  }

  /** Shows invocation `pass` (undefined: the initial graph) for `method` (default: forward, or the first it changed). */
  show(pass: PassData | undefined, method?: string): Promise<void> {
    this.pass = pass;
    const methods = methodsOf(this.data, pass);
    this.method = method && methods.includes(method) ? method : (methods[0] ?? '');
    this.methodSelect.replaceChildren(
      ...methods.map((m) => h('option', { value: m, selected: m === this.method }, m)),
    );
    const states = statesOf(this.data, pass, this.method);
    const defaults = this.groupBox.checked && this.foldBox.checked;
    const options = { groupByModule: this.groupBox.checked, foldConstants: this.foldBox.checked };
    const view = (i: number | undefined): GraphView | undefined =>
      i === undefined ? undefined : buildView(this.data.nodes, this.data.states[i].graph, options);
    this.panes.before.view = view(states.before);
    this.panes.after.view = view(states.after);
    this.changes = changesOf(this.data, states);
    this.open = initialExpansion(this.panes.before.view, this.panes.after.view, this.changes);
    this.selected.clear();
    this.renderHead(states.before, states.after);
    this.renderDiff(pass?.diff.find((d) => d.method === this.method));
    this.panes.after.root.hidden = states.after === undefined;
    const ahead = this.data.pictures;
    const drawnAhead =
      defaults &&
      ahead &&
      ahead.pass === (pass?.number ?? 0) &&
      ahead.method === this.method &&
      sameSet(ahead.open, this.open);
    return this.draw(drawnAhead ? ahead : undefined);
  }

  private renderHead(before: number | undefined, after: number | undefined): void {
    const p = this.pass;
    const count = (i: number | undefined): string =>
      i === undefined ? '–' : String(this.data.states[i].nodeCount);
    // Changes of drawn nodes only (a folded constant that came or went shows in its users' labels).
    const drawn = (key: number): boolean =>
      !!this.panes.before.view?.nodes.has(key) || !!this.panes.after.view?.nodes.has(key);
    const changed = [...this.changes].filter(([key]) => drawn(key)).map(([, c]) => c);
    const tally = (c: Change): number => changed.filter((x) => x === c).length;
    const parts = [
      h('h2', {}, p ? `#${p.number} ${p.pass}` : this.data.title),
      p ? h('span', {}, `${ms(p.ms)} · nodes ${count(before)} → ${count(after ?? before)}`) : null,
      p && p.changed
        ? h(
            'span',
            {},
            `${tally('added')} added, ${tally('removed')} removed, ${tally('rewritten')} rewritten, ${tally('rewired')} with new inputs (drawn nodes)`,
          )
        : null,
      p && !p.changed ? h('span', {}, p.failed ? `failed: ${p.failed}` : 'no change') : null,
      p && Object.keys(p.statistics).length
        ? h(
            'span',
            { className: 'tag' },
            Object.entries(p.statistics)
              .map(([k, v]) => `${k} ${v}`)
              .join(', '),
          )
        : null,
      p && p.remarks.length
        ? h(
            'span',
            { className: 'tag', title: p.remarks.map((r) => `${r.node ?? ''} ${r.message}`).join('\n') },
            `${p.remarks.length} remarks`,
          )
        : null,
      p ? h('code', {}, p.text) : null,
    ];
    this.head.replaceChildren(...parts.filter((x): x is HTMLElement => x !== null));
  }

  private renderDiff(diff: MethodDiff | undefined): void {
    const lines: HTMLElement[] = [];
    if (!diff) lines.push(h('span', {}, this.pass?.changed ? 'this method did not change' : 'no change'));
    else {
      if (diff.note) lines.push(h('span', { className: 'hunk' }, `(${diff.note})`));
      for (const hunk of diff.hunks) {
        lines.push(h('span', { className: 'hunk' }, `@@ -${hunk.oldStart} +${hunk.newStart} @@`));
        for (const l of hunk.lines)
          lines.push(h('span', { className: l[0] === '+' ? 'add' : l[0] === '-' ? 'del' : 'ctx' }, `${l}\n`));
      }
    }
    this.diffPre.replaceChildren(...lines);
  }

  private expandAll(open: boolean): void {
    const view = this.panes.after.view ?? this.panes.before.view;
    if (!view) return;
    this.open = open ? fullExpansion(view) : new Set();
    if (open && this.panes.before.view)
      for (const id of fullExpansion(this.panes.before.view)) this.open.add(id);
    void this.draw();
  }

  private draw(ahead?: InitialPictures): Promise<void> {
    const generation = ++this.generation;
    const t0 = performance.now();
    const jobs = (['before', 'after'] as const).map((side) =>
      this.drawPane(this.panes[side], generation, ahead?.[side]),
    );
    this.drawn = Promise.all(jobs).then(() => {
      if (generation === this.generation) this.lastLayoutMs = performance.now() - t0;
    });
    return this.drawn;
  }

  private async drawPane(pane: Pane, generation: number, ahead?: PictureData): Promise<void> {
    const view = pane.view;
    pane.root.dataset.status = 'layout';
    if (!view) {
      pane.canvas.replaceChildren(h('div', { className: 'status' }, 'no graph'));
      pane.root.dataset.status = 'ready';
      pane.root.dataset.drawn = '0';
      return;
    }
    let picture: PictureData;
    if (ahead) picture = ahead;
    else {
      const input = layoutInput(view, this.open, sideChanges(this.changes, pane.side));
      pane.canvas.replaceChildren(h('div', { className: 'status' }, `laying out ${input.boxes.size} boxes…`));
      const laid = await layout(input.graph, pane.side);
      if (generation !== this.generation) return;
      picture = { ...renderSvg(laid, input.boxes), drawn: input.drawnKeys.length };
    }
    pane.canvas.innerHTML = picture.svg;
    pane.width = picture.width;
    pane.height = picture.height;
    const available = pane.canvas.clientWidth || 600;
    // Fit the width, but not below half size: a wide picture scrolls rather than turning unreadable.
    pane.zoom = Math.max(0.5, Math.min(1, (available - 4) / picture.width));
    this.applyZoom(pane);
    pane.root.dataset.drawn = String(picture.drawn);
    pane.head.textContent = `${pane.side} · ${picture.drawn} of ${view.size} nodes drawn${view.foldedCount ? `, ${view.foldedCount} constants in labels` : ''}`;
    this.markSelected();
    pane.root.dataset.status = 'ready';
  }

  private pane(side: Side): Pane {
    const head = h('b', {}, side);
    const canvas = h('div', { className: 'canvas' });
    const zoomBy = (f: number): void => {
      pane.zoom = Math.max(0.1, Math.min(4, pane.zoom * f));
      this.applyZoom(pane);
    };
    const root = h(
      'div',
      { className: 'pane', 'data-pane': side },
      h(
        'div',
        { className: 'panehead' },
        head,
        h('button', { onclick: () => zoomBy(1 / 1.25) }, '−'),
        h('button', { onclick: () => zoomBy(1.25) }, '+'),
      ),
      canvas,
    );
    const pane: Pane = { side, root, canvas, head, width: 0, height: 0, zoom: 1 };
    canvas.addEventListener('click', (e) => this.onClick(e, pane));
    return pane;
  }

  private applyZoom(pane: Pane): void {
    const svg = pane.canvas.querySelector('svg');
    if (!svg) return;
    svg.setAttribute('width', String(Math.round(pane.width * pane.zoom)));
    svg.setAttribute('height', String(Math.round(pane.height * pane.zoom)));
  }

  private onClick(e: Event, pane: Pane): void {
    const target = e.target as Element;
    const group = target.closest('[data-id]');
    if (!group) return;
    const region = group.getAttribute('data-region');
    const key = group.getAttribute('data-node');
    const isFrame = target.classList.contains('frame') || target.classList.contains('title');
    const clusterLike = group.classList.contains('cluster') || group.classList.contains('block');
    if (clusterLike && !isFrame) return;
    if (region !== null) return this.toggle(region);
    if (key === null) return;
    const node = pane.view?.nodes.get(Number(key));
    if (node && node.blocks.length && (clusterLike || !this.open.has(node.id))) return this.toggle(node.id);
    this.select(node ? [node] : []);
  }

  private toggle(id: string): void {
    if (this.open.has(id)) this.open.delete(id);
    else this.open.add(id);
    void this.draw();
  }

  /** Selects nodes by key in both pictures (and shows the first one's details and diff line). */
  select(nodes: readonly VNode[] | readonly number[]): void {
    const keys = nodes.map((n) => (typeof n === 'number' ? n : n.key));
    this.selected = new Set(keys);
    this.markSelected();
    const first =
      keys[0] === undefined
        ? undefined
        : (this.panes.after.view?.nodes.get(keys[0]) ?? this.panes.before.view?.nodes.get(keys[0]));
    if (!first) return;
    this.info.textContent = [
      `${first.kind}${first.module ? `   (module ${first.module})` : ''}${first.source ? `   source ${first.source}` : ''}`,
      ...first.lines,
      `outputs: ${first.outputs.map((o) => `%${o.name} : ${o.type}`).join(', ') || 'none'}`,
      `change: ${this.changes.get(first.key) ?? 'none'}`,
    ].join('\n');
    this.findInDiff(first.outputs.map((o) => o.name));
  }

  private markSelected(): void {
    for (const side of ['before', 'after'] as const) {
      for (const el of this.panes[side].canvas.querySelectorAll('[data-node]')) {
        const on = this.selected.has(Number(el.getAttribute('data-node')));
        el.classList.toggle('selected', on);
        if (on && this.selected.size === 1)
          (el as SVGGElement).scrollIntoView?.({ block: 'center', inline: 'center' });
      }
    }
  }

  private findInDiff(names: readonly string[]): void {
    for (const el of this.diffPre.querySelectorAll('.hit')) el.classList.remove('hit');
    const spans = [...this.diffPre.children] as HTMLElement[];
    const hit = spans.find((s) => names.some((n) => s.textContent?.includes(`%${n} :`)));
    if (hit) {
      hit.classList.add('hit');
      hit.scrollIntoView({ block: 'center' });
    }
  }

  /** Opens the region or node with `id` and redraws. */
  openItem(id: string): Promise<void> {
    this.open.add(id);
    return this.draw();
  }
}

function sameSet(a: readonly string[], b: ReadonlySet<string>): boolean {
  return a.length === b.size && a.every((x) => b.has(x));
}
