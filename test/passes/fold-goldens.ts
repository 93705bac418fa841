// PyTorch 1.13 goldens for the folding passes, from fold-goldens.json (written by scripts/make-fold-goldens.py,
// do not edit it by hand): small graphs with lossless tensor constants, and the weight/bias PyTorch's own
// passes fold them into.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One golden: the graph, the input shape and dtype to run it on, and PyTorch's folded parameters (lossless text). */
export interface FoldGolden {
  readonly ir: string;
  readonly input: readonly number[];
  readonly dtype: 'float32' | 'float64';
  readonly weight: string;
  readonly bias: string | null;
}

// From dist/test/passes/ back to the source tree; the JSON keeps the IR as a list of lines.
const GOLDENS_FILE = fileURLToPath(new URL('../../../test/passes/fold-goldens.json', import.meta.url));
const stored = JSON.parse(readFileSync(GOLDENS_FILE, 'utf8')) as Record<
  string,
  FoldGolden & { ir: string[] }
>;

/** The goldens by name. */
export const FOLD_GOLDENS: Readonly<Record<string, FoldGolden>> = Object.fromEntries(
  Object.entries(stored).map(([name, g]) => [name, { ...g, ir: g.ir.map((line) => `${line}\n`).join('') }]),
);
