// The page's other tabs: the numerics drift per pass (a chart and a table), the per-attribute freeze
// explanation linked to the nodes, the alias db dump, and all remarks.

import type { ExplanationData, ReportData } from '../model/report-data.js';
import { h, sci } from './dom.js';

/** Drift per pass: error against the float64 reference (worst output), drift from the outputs before the pipeline, tolerance. */
export function numericsPanel(data: ReportData, onPass: (n: number) => void): HTMLElement {
  const n = data.numerics;
  if (!n) return h('p', {}, 'The numerics check did not run (use --check-numerics).');
  const verdict = n.firstFailure
    ? h(
        'p',
        { className: 'verdict-line' },
        h('b', {}, `First pass breaking the outputs: ${n.firstFailure.pass}`),
        ` (#${n.firstFailure.number} on ${n.firstFailure.label}): ${n.firstFailure.message}`,
      )
    : h('p', {}, h('b', {}, `All ${n.passes.length} changing passes keep the outputs within tolerance.`));
  const rows = n.passes.map((p) => {
    const w = p.outputs[p.worst];
    const out = n.outputs[p.worst];
    return h(
      'tr',
      {},
      h(
        'td',
        {},
        h('a', { className: 'link', onclick: () => onPass(p.number) }, `#${p.number} ${p.pass}`),
        ` (${p.label})`,
      ),
      h('td', {}, out?.path ?? ''),
      h('td', {}, p.error ?? (w ? sci(w.maxAbs) : '')),
      h('td', {}, w ? sci(w.maxRel) : ''),
      h('td', {}, w ? sci(w.drift) : ''),
      h('td', {}, out ? sci(out.tolerance) : ''),
      h(
        'td',
        {},
        h('span', { className: `dot ${p.exceeded ? 'bad' : 'ok'}` }),
        p.exceeded ? ' exceeds' : ' ok',
      ),
    );
  });
  return h(
    'div',
    {},
    verdict,
    h(
      'p',
      {},
      `Method ${n.method} on ${n.inputs.synthesized ? 'synthesized' : 'given'} inputs; judged against a ${n.reference} run of the original${n.referenceNote ? ` (${n.referenceNote})` : ''}. Tolerance per output: max(atol ${n.tolerance.atol}, rtol ${n.tolerance.rtol} × largest magnitude, ${n.tolerance.float32Factor} × the original's float32 error).`,
    ),
    h('ul', {}, ...n.inputs.descriptions.map((d) => h('li', {}, h('code', {}, d)))),
    chart(data),
    h(
      'table',
      { className: 'grid' },
      h(
        'tr',
        {},
        ...[
          'pass',
          'worst output',
          'max abs error',
          'max rel error',
          'drift from before',
          'tolerance',
          '',
        ].map((t) => h('th', {}, t)),
      ),
      ...rows,
    ),
    h('h3', {}, 'Outputs'),
    h(
      'table',
      { className: 'grid' },
      h(
        'tr',
        {},
        ...['output', 'value', 'float32 error of the original', 'tolerance'].map((t) => h('th', {}, t)),
      ),
      ...n.outputs.map((o) =>
        h(
          'tr',
          {},
          h('td', {}, o.path),
          h('td', {}, o.kind),
          h('td', {}, sci(o.float32Error)),
          h('td', {}, sci(o.tolerance)),
        ),
      ),
    ),
  );
}

// A log-scale line chart of relative error per changing pass.
function chart(data: ReportData): Element {
  const n = data.numerics!;
  const W = 760;
  const H = 260;
  const L = 60;
  const B = 115;
  const points = n.passes.map((p) => {
    const w = p.outputs[p.worst];
    const scale = n.outputs[p.worst]?.scale || 1;
    return {
      p,
      err: w ? w.maxAbs / scale : Infinity,
      drift: w ? w.drift / scale : Infinity,
      tol: (n.outputs[p.worst]?.tolerance ?? 0) / scale,
    };
  });
  const finite = points.flatMap((q) => [q.err, q.drift, q.tol]).filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.floor(Math.log10(Math.min(1e-9, ...finite)));
  const hi = Math.ceil(Math.log10(Math.max(1e-3, ...finite))) + 1;
  const x = (i: number): number => L + ((W - L - 20) * (i + 0.5)) / Math.max(1, points.length);
  const y = (v: number): number => {
    const l = v > 0 && Number.isFinite(v) ? Math.log10(v) : v === 0 ? lo : hi;
    return 10 + ((H - B - 10) * (hi - Math.min(hi, Math.max(lo, l)))) / (hi - lo);
  };
  const line = (f: (q: (typeof points)[number]) => number): string =>
    points.map((q, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(f(q)).toFixed(1)}`).join('');
  const parts: string[] = [`<svg class="chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`];
  for (let e = lo; e <= hi; e++)
    parts.push(
      `<line class="axis" x1="${L}" x2="${W - 10}" y1="${y(10 ** e)}" y2="${y(10 ** e)}" stroke-opacity="0.25"/><text x="4" y="${y(10 ** e) + 3}">1e${e}</text>`,
    );
  parts.push(
    `<path class="tol" d="${line((q) => q.tol)}"/><path class="drift" d="${line((q) => q.drift)}"/><path class="err" d="${line((q) => q.err)}"/>`,
  );
  points.forEach((q, i) => {
    parts.push(
      `<circle class="pt${q.p.exceeded ? ' bad' : ''}" cx="${x(i)}" cy="${y(q.err)}" r="3.5"><title>#${q.p.number} ${q.p.pass}: rel error ${sci(q.err)}</title></circle>`,
    );
    parts.push(
      `<text transform="translate(${x(i) + 3},${H - B + 8}) rotate(60)">${esc(`#${q.p.number} ${q.p.pass}`)}</text>`,
    );
  });
  parts.push(
    `<text x="${L}" y="${H - 4}">— error vs float64 (relative)   - - drift from before the pipeline   ··· tolerance</text></svg>`,
  );
  const holder = h('div', { 'data-chart': 'numerics' });
  holder.innerHTML = parts.join('');
  return holder;
}

/** The explanation table; each row links to the nodes it is about. */
export function explanationsPanel(
  data: ReportData,
  onShow: (e: ExplanationData, fate: ExplanationData['fates'][number]) => void,
): HTMLElement {
  const list = data.explanations;
  if (!list) return h('p', {}, 'No per-attribute explanation (it comes with freeze).');
  const rows = list.flatMap((e) =>
    e.fates.map((f, i) =>
      h(
        'tr',
        { 'data-attribute': e.path },
        h('td', {}, i === 0 ? h('code', {}, e.path) : ''),
        h('td', {}, h('span', { className: `fate ${f.kind}` }, f.kind)),
        h('td', {}, f.text),
        h('td', {}, h('a', { className: 'link', onclick: () => onShow(e, f) }, 'show nodes')),
      ),
    ),
  );
  const counts = new Map<string, number>();
  for (const e of list) for (const f of e.fates) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return h(
    'div',
    {},
    h(
      'p',
      {},
      `${list.length} attributes: `,
      ...[...counts].map(([k, v]) => h('span', { className: `fate ${k}` }, `${v} ${k}`)),
      ' — “show nodes” opens the pass and selects the nodes reading or using it.',
    ),
    h(
      'table',
      { className: 'grid explanations' },
      h('tr', {}, ...['attribute', 'fate', 'why', ''].map((t) => h('th', {}, t))),
      ...rows,
    ),
  );
}

/** Text attachments (the alias db dump). */
export function attachmentsPanel(data: ReportData): HTMLElement {
  if (!data.attachments.length) return h('p', {}, 'Nothing attached.');
  return h(
    'div',
    {},
    ...data.attachments.map((a) =>
      h(
        'details',
        { open: true },
        h('summary', {}, `${a.title}${a.beforePass ? ` (before pass #${a.beforePass})` : ''}`),
        h('pre', { className: 'text' }, a.text),
      ),
    ),
  );
}

/** Every remark and warning, by pass. */
export function remarksPanel(data: ReportData): HTMLElement {
  const rows = data.passes.flatMap((p) =>
    p.remarks.map((r) =>
      h(
        'tr',
        {},
        h('td', {}, `#${p.number} ${r.pass}`),
        h('td', {}, r.target),
        h('td', {}, h('code', {}, r.node ?? '')),
        h('td', {}, r.message),
      ),
    ),
  );
  return h(
    'div',
    {},
    ...data.warnings.map((w) => h('p', {}, h('b', {}, 'warning: '), w)),
    rows.length
      ? h(
          'table',
          { className: 'grid' },
          h('tr', {}, ...['pass', 'on', 'node', 'remark'].map((t) => h('th', {}, t))),
          ...rows,
        )
      : h('p', {}, 'No remarks.'),
  );
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}
