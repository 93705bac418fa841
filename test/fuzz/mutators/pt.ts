// Mutations of .pt archives: the zip structure itself, the pickles inside (opcode-aware byte edits), the
// TorchScript source (token edits, deep nesting), sizes, and hostile shapes (zip bombs, deep pickles).

import { buildArchive, readArchive, type ArchiveEntry } from '../../../src/serialization/zip/index.js';
import { OP } from '../../../src/serialization/pickle/opcodes.js';
import type { Rng } from '../rng.js';
import { concat, mutateBytes, mutateTokens, nest } from './bytes.js';

const SOURCE_SNIPPETS = [
  '(',
  ')',
  '[',
  ']',
  ':',
  ',',
  ' = ',
  'None',
  'self',
  'torch.add(',
  'x',
  '1',
  '-1',
  '1e309',
  '"s"',
  'if ',
  'else:',
  '\n    ',
  '\n  ',
  'return ',
  'unchecked_cast(',
  'Tensor',
  'int',
  'List[int]',
  'Dict[str, Tensor]',
  'Optional[Tensor]',
  'ops.prim.',
  '.',
  'for i in range(100000):',
  'while True:',
  'break',
  'continue',
  'self.training',
  '__torch__.',
  'CONSTANTS.c0',
  'torch.zeros([9223372036854775807])',
  'torch.arange(1000000000)',
  'annotate(List[int], [])',
  '(self).forward(x, )',
  'raise Exception()',
];

/** One entry of an archive, by name relative to its folder. */
interface Entry {
  name: string;
  data: Uint8Array;
}

function entriesOf(bytes: Uint8Array): Entry[] {
  const archive = readArchive(bytes, { requireDataPkl: false });
  return archive.names().map((name) => ({ name, data: archive.read(name).slice() }));
}

function rebuild(entries: readonly Entry[], folder: string): Uint8Array {
  return buildArchive(
    entries.map((e): ArchiveEntry => ({ name: e.name, data: e.data })),
    { folder },
  );
}

const utf8 = new TextEncoder();
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

/** The mutation kinds, each a function of a valid seed archive. */
export const PT_MUTATIONS: Record<string, (rng: Rng, seed: Uint8Array) => Uint8Array> = {
  /** Raw bytes anywhere: headers, central directory, data; CRCs are left as they are. */
  zip: (rng, seed) => {
    if (rng.chance(0.2)) return seed.subarray(0, rng.int(seed.length));
    return mutateBytes(rng, seed);
  },
  /** Byte edits inside data.pkl or constants.pkl, with valid CRCs so the unpickler sees them. */
  pickle: (rng, seed) =>
    editEntry(
      rng,
      seed,
      (n) => n.endsWith('.pkl'),
      (data) => mutatePickle(rng, data),
    ),
  /** Token edits of one code file. */
  source: (rng, seed) =>
    editEntry(
      rng,
      seed,
      (n) => n.startsWith('code/') && n.endsWith('.py'),
      (data) => utf8.encode(mutateTokens(rng, decode(data), SOURCE_SNIPPETS)),
    ),
  /** Numbers in code and pickles replaced by edge sizes (shapes, trip counts, offsets). */
  sizes: (rng, seed) =>
    editEntry(
      rng,
      seed,
      (n) => n.endsWith('.py') || n.endsWith('.pkl'),
      (data, name) =>
        name.endsWith('.py')
          ? utf8.encode(
              decode(data).replace(/\b\d+\b/g, (m) => (rng.chance(0.3) ? String(rng.interestingInt()) : m)),
            )
          : mutateBytes(rng, data, 1),
    ),
  /** Hostile shapes: zip bombs, deep nesting in code and pickles, huge declared sizes. */
  hostile: (rng, seed) => hostile(rng, seed),
};

function editEntry(
  rng: Rng,
  seed: Uint8Array,
  select: (name: string) => boolean,
  edit: (data: Uint8Array, name: string) => Uint8Array,
): Uint8Array {
  const entries = entriesOf(seed);
  const candidates = entries.filter((e) => select(e.name));
  if (!candidates.length) return mutateBytes(rng, seed);
  const target = rng.pick(candidates);
  target.data = edit(target.data, target.name);
  return rebuild(entries, 'archive');
}

const OPCODES = Object.values(OP);

/** Opcode-aware edits: insert or replace opcodes, duplicate runs, change length fields. */
function mutatePickle(rng: Rng, data: Uint8Array): Uint8Array {
  let out = data;
  for (let k = rng.range(1, 3); k > 0; k--) {
    const at = rng.int(Math.max(1, out.length - 1));
    const r = rng.int(4);
    if (r === 0) out = concat(out.subarray(0, at), Uint8Array.of(rng.pick(OPCODES)), out.subarray(at));
    else if (r === 1) {
      out = out.slice();
      out[at] = rng.pick(OPCODES);
    } else if (r === 2) {
      const len = rng.range(1, 32);
      out = concat(out.subarray(0, at), out.subarray(at, at + len), out.subarray(at));
    } else out = mutateBytes(rng, out, 1);
  }
  return out;
}

function hostile(rng: Rng, seed: Uint8Array): Uint8Array {
  const entries = entriesOf(seed);
  const kind = rng.int(5);
  if (kind === 0) {
    // A zip bomb: compressed zeros, many entries, far beyond what the file size explains.
    const mb = rng.range(1, 16);
    for (let i = rng.range(1, 4); i > 0; i--)
      entries.push({ name: `code/__torch__/bomb${i}.py`, data: new Uint8Array(mb * 1024 * 1024) });
    return rebuild(entries, 'archive');
  }
  if (kind === 1) {
    // Deep nesting in the source: parentheses, list literals or subscripted types.
    const n = rng.pick([200, 999, 1001, 3000, 20000]);
    const code = entries.find((e) => e.name.startsWith('code/') && e.name.endsWith('.py'));
    if (code) {
      const text = decode(code.data);
      const deep = rng.pick([nest('(', 'x', ')', n), nest('[', '1', ']', n), nest('List[', 'int', ']', n)]);
      code.data = utf8.encode(text.replace(/return (\w+)/, `return ${deep}`));
    }
    return rebuild(entries, 'archive');
  }
  if (kind === 2) {
    // A deeply nested or self-sharing pickle in place of data.pkl.
    const n = rng.pick([100, 1000, 6000, 100000]);
    const pkl = entries.find((e) => e.name === 'data.pkl');
    if (pkl) pkl.data = rng.chance(0.5) ? deepListPickle(n) : laughsPickle(rng.range(10, 60));
    return rebuild(entries, 'archive');
  }
  if (kind === 3) {
    // Every number in the code set to one edge value (shapes, loop counts, indices).
    const big = String(rng.pick([1e9, 2 ** 31, 2 ** 63, 1e18, -1]));
    for (const e of entries)
      if (e.name.endsWith('.py'))
        e.data = utf8.encode(decode(e.data).replace(/\b\d+\b/g, () => (rng.chance(0.5) ? big : '1')));
    return rebuild(entries, 'archive');
  }
  // A storage record shorter than its tensors need (views past the end of their storage).
  for (const e of entries)
    if (e.name.startsWith('data/') && e.data.length) e.data = e.data.subarray(0, rng.int(e.data.length));
  return rebuild(entries, 'archive');
}

/** `[[[...]]]` n deep, as a protocol-2 pickle. */
export function deepListPickle(n: number): Uint8Array {
  const out = new Uint8Array(2 + n + (n - 1) + 1);
  out.set([OP.PROTO, 2]);
  out.fill(OP.EMPTY_LIST, 2, 2 + n);
  out.fill(OP.APPEND, 2 + n, 2 + n + n - 1);
  out[out.length - 1] = OP.STOP;
  return out;
}

/** "Billion laughs": each level is a list holding the previous level twice (2^levels leaves, tiny pickle). */
export function laughsPickle(levels: number): Uint8Array {
  const parts: number[] = [OP.PROTO, 2, OP.EMPTY_LIST, OP.BINPUT, 0];
  for (let i = 0; i < levels; i++)
    parts.push(OP.EMPTY_LIST, OP.BINGET, 0, OP.BINGET, 0, OP.APPEND, OP.APPEND, OP.BINPUT, 0);
  parts.push(OP.STOP);
  return Uint8Array.from(parts);
}
