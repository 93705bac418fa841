// Reading parsed commander values with their types, and the repeatable-option collector.

import type { FlagValues } from '../pass-manager-flags.js';

/** Commander collector for repeatable options (`--plugin a --plugin b`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Commander collector for repeatable, comma-separated options (`--disable-pass a,b --disable-pass c`). */
export const collectList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export function listValue(values: FlagValues, key: string): string[] {
  const v = values[key];
  return Array.isArray(v) ? (v as string[]) : [];
}

export function boolValue(values: FlagValues, key: string): boolean | undefined {
  const v = values[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function stringValue(values: FlagValues, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}
