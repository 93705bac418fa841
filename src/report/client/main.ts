// The report page: reads the data inlined in the page, lists the passes on the left, shows the chosen
// pass's pictures and diff on the right, with tabs for numerics, attributes, the alias db and remarks.
// `window.tsfreezeReport` lets tests (and people in the console) drive it.

import { attributeReaders, usersOfValue } from '../model/lookups.js';
import type { ExplanationData, PassData, ReportData } from '../model/report-data.js';
import { firstPass } from '../model/selection.js';
import { h, ms } from './dom.js';
import { attachmentsPanel, explanationsPanel, numericsPanel, remarksPanel } from './panels.js';
import { warmUp } from './elk.js';
import { PassView } from './pass-view.js';
import { timeline } from './timeline.js';

/** What the page exposes for tests and the console. */
export interface ReportApi {
  readonly data: ReportData;
  /** Shows invocation `n` (0: the initial graph); resolves when its pictures are drawn. */
  selectPass(n: number, method?: string): Promise<void>;
  /** Opens a region or control-flow node in the current pictures. */
  open(id: string): Promise<void>;
  /** Resolves when the current pictures are drawn. */
  drawn(): Promise<void>;
  /** Milliseconds of the last layout and drawing. */
  lastLayoutMs(): number;
  showTab(name: string): void;
  /** Milliseconds since navigation: when the script started, the data was parsed, the first pictures were drawn. */
  timings(): { readonly script: number; readonly parsed: number; readonly firstDrawn: number | undefined };
}

declare global {
  interface Window {
    tsfreezeReport?: ReportApi;
  }
}

function start(): void {
  const script = performance.now();
  const data = JSON.parse(document.getElementById('tsfreeze-data')!.textContent!) as ReportData;
  const parsed = performance.now();
  let firstDrawn: number | undefined;
  const view = new PassView(data);
  const app = document.getElementById('app')!;
  const tabs = new Map<string, HTMLElement>();
  const buttons = h('div', { className: 'tabs' });
  const showTab = (name: string): void => {
    for (const [k, el] of tabs) el.classList.toggle('active', k === name);
    for (const b of buttons.children) b.classList.toggle('active', b.getAttribute('data-tab') === name);
  };
  const addTab = (name: string, label: string, el: HTMLElement): void => {
    if (!el.classList.contains('tab')) el.classList.add('tab');
    el.id = `tab-${name}`;
    tabs.set(name, el);
    buttons.append(h('button', { 'data-tab': name, onclick: () => showTab(name) }, label));
  };
  let current: number | undefined;
  const selectPass = (n: number, method?: string): Promise<void> => {
    current = n;
    for (const row of document.querySelectorAll('tr.pass'))
      row.classList.toggle('current', Number(row.getAttribute('data-pass')) === n);
    showTab('pass');
    history.replaceState(null, '', `#pass=${n}`);
    return view.show(
      data.passes.find((p) => p.number === n),
      method,
    );
  };
  const showAttribute = async (e: ExplanationData, fate: ExplanationData['fates'][number]): Promise<void> => {
    const target = attributeTarget(data, e.path, fate.constant);
    if (!target) return;
    await selectPass(target.pass.number, target.method);
    view.select(target.keys);
  };
  addTab('pass', data.mode === 'graph' ? 'Graph' : 'Pass', view.root);
  if (data.mode === 'run') {
    addTab(
      'numerics',
      'Numerics',
      numericsPanel(data, (n) => void selectPass(n)),
    );
    addTab(
      'attributes',
      'Attributes',
      explanationsPanel(data, (e, f) => void showAttribute(e, f)),
    );
    addTab('alias', 'Alias DB', attachmentsPanel(data));
    addTab('remarks', 'Remarks', remarksPanel(data));
  }
  const n = data.numerics;
  const verdict = !n
    ? h('span', { className: 'verdict none' }, 'numerics not checked')
    : n.firstFailure
      ? h(
          'span',
          { className: 'verdict bad' },
          `numerics: ${n.firstFailure.pass} breaks ${n.firstFailure.output}`,
        )
      : h('span', { className: 'verdict ok' }, `numerics: ${n.passes.length} passes within tolerance`);
  const header = h(
    'header',
    {},
    h('h1', {}, data.mode === 'graph' ? `tsfreeze viz · ${data.title}` : `tsfreeze report · ${data.title}`),
    data.mode === 'run' ? h('span', {}, `${data.passes.length} pass runs · ${ms(data.totalMs)}`) : null,
    data.mode === 'run' ? verdict : null,
    h('span', { className: 'pipeline', title: data.pipelineText }, data.pipelineText),
  );
  const nav = h(
    'nav',
    { id: 'passes' },
    data.mode === 'run'
      ? timeline(data, (k) => void selectPass(k))
      : h('p', { style: 'padding:8px' }, 'One graph: click a blue box to open it, a node to see it.'),
  );
  const detail = h('section', { id: 'detail' }, buttons, ...tabs.values());
  app.replaceChildren(header, h('div', { id: 'layout' }, nav, detail));
  const fromHash = /pass=(\d+)/.exec(location.hash)?.[1];
  const initial = fromHash !== undefined ? Number(fromHash) : (firstPass(data)?.number ?? 0);
  void selectPass(initial).then(() => {
    firstDrawn = performance.now();
    // Later pictures need the layout engine: load it now, while the reader looks at the first ones.
    warmUp(['before', 'after']);
  });
  window.tsfreezeReport = {
    data,
    selectPass,
    open: (id) => view.openItem(id),
    drawn: () => view.drawn,
    lastLayoutMs: () => view.lastLayoutMs,
    showTab,
    timings: () => ({ script, parsed, firstDrawn }),
  };
  void current;
}

// Where an attribute shows: a folded one's constant users after the pass that folded it; otherwise the
// GetAttr nodes reading it in the graph freeze-attributes analysed (or the final graph).
function attributeTarget(
  data: ReportData,
  path: string,
  constant: string | undefined,
): { pass: PassData; method: string; keys: number[] } | undefined {
  for (const p of data.passes) {
    for (const [method, state] of Object.entries(constant ? p.after : p.before)) {
      const graph = data.states[state].graph;
      const keys = constant
        ? usersOfValue(data.nodes, graph, constant)
        : attributeReaders(data.nodes, graph, path);
      if (keys.length) return { pass: p, method, keys };
    }
  }
  return undefined;
}

start();
