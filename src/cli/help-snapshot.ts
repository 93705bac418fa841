// What `tsfreeze --help`, `--version` and the other command lines that only print help text print, recorded
// from the live CLI at build time (scripts/bundle-cli.mjs writes dist/src/cli/help-snapshot.json), for every
// output width commander can wrap to in a terminal of up to MAX_WIDTH columns. bin/tsfreeze.js prints the
// recorded text for such a command line instead of building the program: starting commander and the CLI
// modules is most of what --help cost above Node's own start-up. A width or command line that was not
// recorded runs the CLI. test/cli/help-snapshot.test.ts records again and compares, so it cannot drift.

import { main } from './main.js';

/** The command lines served from the snapshot. Each prints to one stream and runs nothing. */
export const HELP_SNAPSHOT_ARGVS: readonly (readonly string[])[] = [
  [],
  ['--help'],
  ['-h'],
  ['help'],
  ['--version'],
  ['-V'],
];

/** Terminal widths 0..MAX_WIDTH are recorded; a wider terminal runs the CLI. */
export const MAX_WIDTH = 300;

export interface HelpSnapshotEntry {
  readonly argv: readonly string[];
  readonly stream: 'stdout' | 'stderr';
  readonly code: number;
  /** For each width 0..MAX_WIDTH, the index of its output in HelpSnapshot.texts. */
  readonly widths: readonly number[];
}

export interface HelpSnapshot {
  /** The distinct outputs. */
  readonly texts: readonly string[];
  readonly entries: readonly HelpSnapshotEntry[];
}

/** Runs the CLI on each snapshot command line at each width and records what it printed. */
export async function recordHelpSnapshot(maxWidth = MAX_WIDTH): Promise<HelpSnapshot> {
  const texts: string[] = [];
  const index = new Map<string, number>();
  const entries: HelpSnapshotEntry[] = [];
  for (const argv of HELP_SNAPSHOT_ARGVS) {
    let stream: 'stdout' | 'stderr' | undefined;
    let code: number | undefined;
    const widths: number[] = [];
    for (let width = 0; width <= maxWidth; width++) {
      let out = '';
      let err = '';
      const c = await main(argv, {
        out: (t) => void (out += t),
        err: (t) => void (err += t),
        helpWidth: width,
      });
      const s = out && !err ? 'stdout' : err && !out ? 'stderr' : undefined;
      const text = out || err;
      // Printed as is whether or not the stream has colours (commander strips ANSI codes when it has not).
      if (!s || (stream ?? s) !== s || (code ?? c) !== c || text.includes('\x1b'))
        throw new Error(
          `help snapshot: 'tsfreeze ${argv.join(' ')}' does not print plain text to one stream`,
        );
      stream = s;
      code = c;
      if (!index.has(text)) index.set(text, texts.push(text) - 1);
      widths.push(index.get(text)!);
    }
    entries.push({ argv, stream: stream!, code: code!, widths });
  }
  return { texts, entries };
}
