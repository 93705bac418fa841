// .npy read/write: round trips for every dtype, the v1 header layout, Fortran-order and big-endian
// input, typed errors for bad files, and NumPy reading what we write (skipped without numpy).

import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DTYPES, type DType } from '../../src/tensor/dtype.js';
import { loadNpy, readNpy, saveNpy, writeNpy } from '../../src/tensor/npy.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { arange, tensor } from '../../src/tensor/creation.js';

const PY = '/usr/bin/python3';
const hasNumpy = spawnSync(PY, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

function sample(dtype: DType): Tensor {
  const values =
    dtype === 'bool'
      ? [true, false, true, true, false, false]
      : [0, 1, -2, 3, 4, -5].map((v) =>
          DTYPES[dtype].isFloatingPoint || dtype.startsWith('int') ? v : Math.abs(v),
        );
  return Tensor.fromArray(dtype, dtype === 'int64' ? values.map((v) => BigInt(v as number)) : values, [2, 3]);
}

const DTYPE_LIST: DType[] = [
  'float32',
  'float64',
  'float16',
  'int64',
  'int32',
  'int16',
  'int8',
  'uint8',
  'bool',
  'bfloat16',
];

describe('.npy files', () => {
  it('round-trips every dtype, 0-dim and empty tensors', () => {
    for (const d of DTYPE_LIST) {
      const t = sample(d);
      const back = readNpy(writeNpy(t));
      expect(back.dtype, d).to.equal(d);
      expect([...back.shape]).to.deep.equal([2, 3]);
      expect(back.toArray(), d).to.deep.equal(t.toArray());
    }
    expect(readNpy(writeNpy(tensor(2.5))).shape).to.deep.equal([]);
    expect(readNpy(writeNpy(Tensor.zeros('float32', [0, 4]))).shape).to.deep.equal([0, 4]);
  });

  it('writes a v1 header padded to 64 bytes, C order, from a non-contiguous view', () => {
    const bytes = writeNpy(arange(0, 6).reshape([2, 3]).t());
    expect(bytes[6]).to.equal(1);
    const headerLength = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLength) % 64).to.equal(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header).to.match(/^\{'descr': '<i8', 'fortran_order': False, 'shape': \(3, 2\), \} *\n$/);
    expect(readNpy(bytes).toArray()).to.deep.equal([0n, 3n, 1n, 4n, 2n, 5n]);
  });

  it('reads Fortran-order and big-endian data', () => {
    const make = (descr: string, fortran: boolean, shape: string, data: Uint8Array): Uint8Array => {
      let h = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
      h += ' '.repeat(63 - ((10 + h.length) % 64)) + '\n';
      const out = new Uint8Array(10 + h.length + data.length);
      out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8]);
      for (let i = 0; i < h.length; i++) out[10 + i] = h.charCodeAt(i);
      out.set(data, 10 + h.length);
      return out;
    };
    const f = make('<i2', true, '(2, 3)', new Uint8Array(new Int16Array([1, 4, 2, 5, 3, 6]).buffer));
    expect(readNpy(f).toArray()).to.deep.equal([1, 2, 3, 4, 5, 6]);
    const be = make('>f4', false, '(2,)', new Uint8Array([0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0]));
    expect(readNpy(be).toArray()).to.deep.equal([1, -2]);
  });

  it('rejects bad files with SerializationError codes', () => {
    expect(() => readNpy(new Uint8Array([1, 2, 3])))
      .to.throw(/bad magic/)
      .with.property('code', 'NPY_FORMAT');
    const good = writeNpy(tensor([1.5, 2.5]));
    expect(() => readNpy(good.subarray(0, good.length - 3))).to.throw(
      /data holds 5 bytes, shape \[2\] needs 8/,
    );
    const odd = writeNpy(tensor([1.5]));
    odd.set(new TextEncoder().encode("'descr': '<U4'"), 11);
    expect(() => readNpy(odd)).to.throw(/unsupported dtype '<U4'/);
    expect(() => loadNpy('/nonexistent/x.npy'))
      .to.throw(/cannot read/)
      .with.property('code', 'NPY_READ');
  });

  (hasNumpy ? it : it.skip)('NumPy reads what we write and we read what NumPy writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-npy-'));
    for (const d of DTYPE_LIST.filter((x) => x !== 'bfloat16')) saveNpy(join(dir, `${d}.npy`), sample(d));
    const script = [
      'import numpy as np, sys, json',
      'out = {}',
      `for d in ${JSON.stringify(DTYPE_LIST.filter((x) => x !== 'bfloat16'))}:`,
      '    a = np.load(sys.argv[1] + "/" + d + ".npy")',
      '    out[d] = [str(a.dtype), list(a.shape), a.astype(float).ravel().tolist()]',
      'np.save(sys.argv[1] + "/from_numpy.npy", np.arange(12, dtype=np.float64).reshape(3, 4).T)',
      'print(json.dumps(out))',
    ].join('\n');
    const result = JSON.parse(execFileSync(PY, ['-c', script, dir], { encoding: 'utf8' })) as Record<
      string,
      [string, number[], number[]]
    >;
    expect(result.float32[0]).to.equal('float32');
    expect(result.bool[0]).to.equal('bool');
    expect(result.float16[2]).to.deep.equal([0, 1, -2, 3, 4, -5]);
    for (const [d, [, shape]] of Object.entries(result)) expect(shape, d).to.deep.equal([2, 3]);
    const back = loadNpy(join(dir, 'from_numpy.npy'));
    expect([...back.shape]).to.deep.equal([4, 3]);
    expect(back.toArray().slice(0, 4)).to.deep.equal([0, 4, 8, 1]);
  });
});
