// Reading .pt files larger than one fs read: torchvision's regnet_y_128gf archive is 2.58 GB, over the
// 2 GiB - 1 one read (or readFileSync) returns, so the reader reads in pieces; the size limit is checked
// before anything is allocated. The pieces are made small here to exercise the loop on a small file.

import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMIT_DECLARATIONS, LimitError, withLimits } from '../../src/limits.js';
import { readWholeFile } from '../../src/serialization/zip/read-file.js';
import { loadModule } from '../../src/serialization/index.js';
import { FIXTURES } from './save-helpers.js';

describe('archive reader: whole files in pieces', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-read-file-'));
  const path = join(dir, 'bytes.bin');
  const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 251);
  writeFileSync(path, data);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file in pieces smaller than the file, into shared or private memory', () => {
    for (const shared of [true, false]) {
      const bytes = readWholeFile(path, shared, 7);
      expect(bytes.buffer instanceof SharedArrayBuffer).to.equal(shared);
      expect(Buffer.from(bytes).equals(Buffer.from(data))).to.equal(true);
    }
  });

  it('refuses a file over maxArchiveBytes by its size, before reading it', () => {
    expect(() => withLimits({ maxArchiveBytes: 999 }, () => readWholeFile(path, true))).to.throw(
      LimitError,
      /maxArchiveBytes/,
    );
    expect(() =>
      withLimits({ maxArchiveBytes: 100 }, () => loadModule(join(FIXTURES, 'conv_bn_relu', 'module.pt'))),
    ).to.throw(LimitError, /maxArchiveBytes/);
  });

  it('allows archives up to 4 GiB - 1 by default (torchvision archives reach 2.6 GB)', () => {
    expect(LIMIT_DECLARATIONS.maxArchiveBytes.default).to.equal(4 * 1024 ** 3 - 1);
  });
});
