// Shrinks a crashing input while it still crashes with the same signature: delta debugging over lines for
// text, then over chunks of characters or bytes. Bounded, so a slow case cannot stall the run.

import { runCase, type TargetName } from './targets.js';

const MAX_ATTEMPTS = 300;

/** The smallest input found (within the attempt budget) that crashes with `signature`. */
export async function minimize(
  target: TargetName,
  input: Uint8Array | string,
  signature: string,
): Promise<Uint8Array | string> {
  let attempts = 0;
  const stillCrashes = async (candidate: Uint8Array | string): Promise<boolean> => {
    if (attempts++ >= MAX_ATTEMPTS) return false;
    const outcome = await runCase(target, candidate);
    return outcome.kind === 'crash' && outcome.signature === signature;
  };
  if (typeof input === 'string') {
    const lines = await reduce(input.split('\n'), (parts) => stillCrashes(parts.join('\n')));
    const chars = await reduce([...lines.join('\n')], (parts) => stillCrashes(parts.join('')));
    return chars.join('');
  }
  const bytes = await reduce(Array.from(input), (parts) => stillCrashes(Uint8Array.from(parts)));
  return Uint8Array.from(bytes);
}

// ddmin-style: try removing chunks of halving size while the predicate holds.
async function reduce<T>(items: T[], holds: (items: T[]) => Promise<boolean>): Promise<T[]> {
  let current = items;
  for (let chunk = Math.max(1, Math.floor(current.length / 2)); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    for (let at = 0; at < current.length;) {
      const candidate = [...current.slice(0, at), ...current.slice(at + chunk)];
      if (candidate.length && (await holds(candidate))) current = candidate;
      else at += chunk;
    }
    if (chunk === 1) break;
  }
  return current;
}
