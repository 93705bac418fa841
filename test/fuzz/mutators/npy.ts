// .npy inputs: headers with bad magic, versions, dtypes, shapes (huge, negative, overflowing) and data
// lengths, and byte edits of valid files.

import type { Rng } from '../rng.js';
import { concat, mutateBytes } from './bytes.js';

function npy(header: string, data: Uint8Array, version = 1): Uint8Array {
  const text = new TextEncoder().encode(header);
  const pre = version === 1 ? new Uint8Array(10) : new Uint8Array(12);
  pre.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(pre.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  return concat(pre, text, data);
}

/** One .npy case. */
export function npyCase(rng: Rng): Uint8Array {
  const descr = rng.pick(['<f4', '<f8', '<i8', '|b1', '>f4', '<c8', '<U8', 'O', '<f2', '|u1']);
  const dims = Array.from({ length: rng.range(0, 4) }, () =>
    String(rng.chance(0.7) ? rng.range(0, 5) : rng.interestingInt()),
  );
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  const header = `{'descr': '${descr}', 'fortran_order': ${rng.chance(0.3) ? 'True' : 'False'}, 'shape': ${shape}, }`;
  const data = new Uint8Array(rng.range(0, 256)).map(() => rng.int(256));
  const file = npy(rng.chance(0.1) ? header.replace(/[,:]/, '') : header, data, rng.pick([1, 1, 2, 3, 7]));
  return rng.chance(0.3) ? mutateBytes(rng, file) : file;
}
