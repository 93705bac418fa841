// The `--list-passes` text: every pass and named pipeline with summary, options, statistics, properties.

import { defaultValue, type OptionDeclarations, type PassRegistry } from '../pipeline/index.js';

/** Lists the registry's passes and pipelines (declarations only: no pass is instantiated). */
export function listPasses(registry: PassRegistry): string {
  const lines: string[] = ['Passes:'];
  for (const d of registry.declarations()) {
    lines.push(`  ${d.name}${d.target === 'module' ? '  (runs on modules)' : ''}`, `      ${d.summary}`);
    lines.push(...optionLines(d.options));
    if (d.statistics.length) lines.push(`      statistics: ${d.statistics.map((s) => s.name).join(', ')}`);
    if (d.requiresProperties.length)
      lines.push(`      requires IR properties: ${d.requiresProperties.join(', ')}`);
    if (d.establishesProperties.length)
      lines.push(`      establishes IR properties: ${d.establishesProperties.join(', ')}`);
  }
  const pipelines = registry.pipelines();
  if (pipelines.length) {
    lines.push('Pipelines:');
    for (const p of pipelines) {
      lines.push(`  ${p.name}`);
      if (p.summary) lines.push(`      ${p.summary}`);
      lines.push(...optionLines(p.options));
    }
  }
  return `${lines.join('\n')}\n`;
}

function optionLines(options: OptionDeclarations): string[] {
  const entries = Object.entries(options);
  if (!entries.length) return [];
  return [
    '      options:',
    ...entries.map(
      ([name, o]) => `        ${name}: ${o.type} = ${JSON.stringify(defaultValue(o))}  ${o.description}`,
    ),
  ];
}
