// The --max-* flags: one per limit of src/limits.ts, added to every subcommand, so any command reading
// untrusted input can have its limits raised (or lowered) from the command line.

import { type Command, InvalidArgumentError, Option } from './commander.js';
import { kebab, LIMIT_DECLARATIONS, limitNames, type Limits } from '../limits.js';

const SUFFIX: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `2G`, `512MiB`, `1000`, `1e6` -> a number; bytes suffixes are binary. */
export function parseLimitValue(text: string): number {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`expected a number like 1000, 64M or 2G, got '${text}'`);
  return Math.floor(Number(m[1]) * SUFFIX[m[2].toLowerCase()]);
}

/** Adds one `--<limit-name> <n>` option per limit to `command`. */
export function addLimitFlags(command: Command): Command {
  for (const name of limitNames()) {
    const d = LIMIT_DECLARATIONS[name];
    command.addOption(
      new Option(`--${kebab(name)} <n>`, `limit: ${d.description} (default ${d.default})`)
        .argParser(parseLimitValue)
        .hideHelp(),
    );
  }
  command.addHelpText(
    'after',
    `\nInput limits (see docs/security.md), e.g. --max-nesting-depth 5000:\n  ${limitNames()
      .map((n) => `--${kebab(n)}`)
      .join(', ')}`,
  );
  return command;
}

/** The limits given on the command line (camelCase option names equal the limit names). */
export function limitsFromFlags(options: Record<string, unknown>): Partial<Limits> {
  const out: Partial<Record<keyof Limits, number>> = {};
  for (const name of limitNames()) if (typeof options[name] === 'number') out[name] = options[name] as number;
  return out;
}
