// `tsfreeze show MODEL.pt --ops`: every operator the model's code calls, how often, and how tsfreeze runs
// it; the ones without a kernel are listed with their schema and first source line, so a missing kernel
// is found before running (or freezing) the model.

import type { ScriptModule } from '../module/script-module.js';
import type { OperatorRegistry } from '../ops/index.js';
import { codeGraphsOf, opsUsed, type OpUse } from '../runtime/kernel-coverage.js';

const runsAs = (u: OpUse): string =>
  u.status.state === 'refused'
    ? `refused: ${u.status.reason}`
    : u.status.state === 'missing'
      ? 'MISSING'
      : u.status.state;

/** The `--ops` report of a module; `json` gives the same as JSON. */
export function renderOps(
  path: string,
  module: ScriptModule,
  registry: OperatorRegistry,
  json = false,
): string {
  const uses = opsUsed(codeGraphsOf(module), registry);
  const lacking = uses.filter((u) => u.status.state === 'missing' || u.status.state === 'refused');
  if (json) return `${JSON.stringify({ model: path, operators: uses }, null, 1)}\n`;
  const nodes = uses.reduce((n, u) => n + u.count, 0);
  const width = Math.max(...uses.map((u) => u.key.length), 8);
  const lines = [
    `${path}: ${uses.length} operators in ${nodes} nodes; ${lacking.length} without a kernel`,
    `  ${'count'.padStart(6)}  ${'operator'.padEnd(width)}  runs as`,
    ...uses.map((u) => `  ${String(u.count).padStart(6)}  ${u.key.padEnd(width)}  ${runsAs(u)}`),
  ];
  if (lacking.length) {
    lines.push('', 'without a kernel:');
    for (const u of lacking) {
      lines.push(`  ${u.schema ?? u.key}`);
      const why = u.status.reason ? `; ${u.status.reason}` : '';
      lines.push(
        `      ${u.count} use${u.count === 1 ? '' : 's'}${u.firstUse ? `, first at ${u.firstUse}` : ''}${why}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
