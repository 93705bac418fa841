// The pass list: one row per invocation with its time (a bar scaled to the slowest), node counts,
// statistics, remarks and numerics verdict. Unchanged passes are greyed; a click selects the pass.

import type { PassData, ReportData } from '../model/report-data.js';
import { h, ms } from './dom.js';

/** Builds the list; `onSelect` gets the invocation number. */
export function timeline(data: ReportData, onSelect: (n: number) => void): HTMLElement {
  const slowest = Math.max(1e-9, ...data.passes.map((p) => p.ms));
  const verdicts = new Map((data.numerics?.passes ?? []).map((p) => [p.number, p.exceeded]));
  const changedOnly = h('input', { type: 'checkbox', id: 'changed-only' });
  const body = h('tbody');
  const rows = data.passes.map((p) => row(p, slowest, verdicts.get(p.number), onSelect));
  body.append(...rows);
  changedOnly.addEventListener('change', () => {
    for (const r of rows) r.hidden = changedOnly.checked && r.classList.contains('unchanged');
  });
  const total = data.passes.reduce((s, p) => s + p.ms, 0);
  return h(
    'div',
    {},
    h(
      'div',
      { className: 'filters' },
      h('label', {}, changedOnly, ' changed passes only'),
      h(
        'span',
        { className: 'tag' },
        `${data.passes.length} runs, ${data.passes.filter((p) => p.changed).length} changed, ${ms(total)}`,
      ),
    ),
    h(
      'table',
      { className: 'timeline' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, '#'),
          h('th', {}, 'pass'),
          h('th', {}, 'time'),
          h('th', {}, ''),
          h('th', {}, 'nodes'),
          h('th', {}, 'stats / remarks'),
          h('th', {}, ''),
        ),
      ),
      body,
    ),
  );
}

function row(
  p: PassData,
  slowest: number,
  exceeded: boolean | undefined,
  onSelect: (n: number) => void,
): HTMLElement {
  const state = p.failed ? 'failed' : p.changed ? 'changed' : 'unchanged';
  const stats = Object.entries(p.statistics).map(([k, v]) => `${k} ${v}`);
  if (p.remarks.length) stats.push(`${p.remarks.length} remark${p.remarks.length > 1 ? 's' : ''}`);
  const delta = p.nodesAfter - p.nodesBefore;
  const groups = p.groups.filter((g) => g.includes('#')).map((g) => g.replace(/^.*#/, '#'));
  return h(
    'tr',
    {
      className: `pass ${state}${p.skipped ? ' skipped' : ''}`,
      'data-pass': p.number,
      title: `${p.text}${p.groups.length ? `\nin ${p.groups.join(' > ')}` : ''}${p.failed ? `\nfailed: ${p.failed}` : ''}`,
      onclick: () => onSelect(p.number),
    },
    h('td', { className: 'num' }, String(p.number)),
    h(
      'td',
      { className: 'name' },
      p.pass,
      p.label !== 'graph' ? h('span', { className: 'tag' }, p.label) : null,
      groups.length ? h('span', { className: 'tag' }, `iter ${groups.join(' ')}`) : null,
    ),
    h(
      'td',
      { className: 'bar' },
      h('span', { style: `width:${Math.max(1, (70 * p.ms) / slowest).toFixed(1)}px` }),
    ),
    h('td', { className: 'num' }, ms(p.ms)),
    h(
      'td',
      { className: 'num' },
      `${p.nodesBefore}→${p.nodesAfter}`,
      delta ? h('span', { className: 'tag' }, `${delta > 0 ? '+' : ''}${delta}`) : null,
    ),
    h('td', {}, stats.join(', ')),
    h(
      'td',
      {},
      exceeded === undefined
        ? null
        : h('span', {
            className: `dot ${exceeded ? 'bad' : 'ok'}`,
            title: exceeded ? 'outputs off' : 'outputs within tolerance',
          }),
    ),
  );
}
