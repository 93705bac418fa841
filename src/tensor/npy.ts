// NumPy .npy files (format versions 1-3 read, 1 written; 2 when the header outgrows 64 KiB): the CLI's
// tensor format. C order is written; Fortran-order and big-endian files are read and converted.

import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-file.js';
import { SerializationError } from '../errors.js';
import { DTYPES, storageBytes, storageFromBytes, type DType } from './dtype.js';
import { cloneContiguous } from './convert.js';
import { Storage, Tensor, shapeNumel } from './tensor.js';
import { permute } from './views.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function npyError(message: string): SerializationError {
  return new SerializationError('NPY_FORMAT', `.npy: ${message}`);
}

const BY_DESCR = new Map<string, DType>();
for (const info of Object.values(DTYPES)) BY_DESCR.set(info.npyDescr.slice(1), info.dtype);
BY_DESCR.set('b1', 'bool');
BY_DESCR.set('u1', 'uint8');
BY_DESCR.set('i1', 'int8');

/** Serialises a tensor as .npy bytes (C order, little-endian). */
export function writeNpy(t: Tensor): Uint8Array {
  const info = DTYPES[t.dtype];
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '${info.npyDescr}', 'fortran_order': False, 'shape': ${shape}, }`;
  let version = 1;
  let prefix = 10;
  if (header.length + 1 + prefix > 65535) {
    version = 2;
    prefix = 12;
  }
  // NumPy pads with spaces so the data starts on a 64-byte boundary; the header ends with '\n'.
  const total = Math.ceil((prefix + header.length + 1) / 64) * 64;
  header = header + ' '.repeat(total - prefix - header.length - 1) + '\n';
  const data = storageBytes(cloneContiguous(t).storage.data);
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  out.set(data, total);
  return out;
}

function parseHeader(text: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) throw npyError(`malformed header ${JSON.stringify(text.trim())}`);
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(n) || n < 0) throw npyError(`bad shape entry '${s}'`);
      return n;
    });
  return { descr: descr[1], fortran: fortran[1] === 'True', shape: dims };
}

/** Parses .npy bytes into a contiguous tensor. */
export function readNpy(bytes: Uint8Array): Tensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw npyError('not a .npy file (bad magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let start: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    start = 12;
  } else throw npyError(`unsupported format version ${major}.${bytes[7]}`);
  if (start + headerLength > bytes.length) throw npyError('truncated header');
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(start, start + headerLength),
  );
  const { descr, fortran, shape } = parseHeader(text);
  const order = descr[0];
  const dtype = BY_DESCR.get(/^[<>|=]/.test(descr) ? descr.slice(1) : descr);
  if (dtype === undefined) throw npyError(`unsupported dtype '${descr}'`);
  const { itemSize } = DTYPES[dtype];
  const numel = shapeNumel(shape);
  const dataStart = start + headerLength;
  const nbytes = numel * itemSize;
  if (bytes.length - dataStart < nbytes) {
    throw npyError(
      `data holds ${bytes.length - dataStart} bytes, shape [${shape.join(', ')}] needs ${nbytes}`,
    );
  }
  let raw = bytes.subarray(dataStart, dataStart + nbytes);
  if (order === '>' && itemSize > 1) {
    const lanes = DTYPES[dtype].lanes;
    const unit = itemSize / lanes;
    raw = raw.slice();
    for (let i = 0; i < raw.length; i += unit) raw.subarray(i, i + unit).reverse();
  }
  const storage = new Storage(dtype, storageFromBytes(dtype, raw));
  if (!fortran) return new Tensor(storage, shape);
  // Fortran order is C order of the reversed shape; transpose back and lay out in C order.
  const reversed = [...shape].reverse();
  const t = new Tensor(storage, reversed);
  return cloneContiguous(
    permute(
      t,
      reversed.map((_, i) => reversed.length - 1 - i),
    ),
  );
}

/** Reads a .npy file. */
export function loadNpy(path: string): Tensor {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new SerializationError('NPY_READ', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return readNpy(bytes);
  } catch (e) {
    if (e instanceof SerializationError)
      throw new SerializationError(e.code, `${path}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Writes a tensor as a .npy file, atomically (never a half-written file). */
export function saveNpy(path: string, t: Tensor): void {
  writeFileAtomic(path, [writeNpy(t)]);
}
