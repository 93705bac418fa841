// Reading .pt archives: every fixture opens and verifies; corrupt, truncated and foreign input fails fast with typed errors.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { cpuMillisSince } from '../support/cpu-budget.js';
import fc from 'fast-check';
import { SerializationError } from '../../src/errors.js';
import { LimitError } from '../../src/limits.js';
import { buildArchive, readArchive, type ZipArchive } from '../../src/serialization/zip/index.js';
import { expectCode, fixtureArchives, FIXTURES, seededBytes } from './zip-test-helpers.js';

const SEED = join(FIXTURES, 'seed_simple_param', 'module.pt');

/** Opens the archive and reads (inflates + CRC-checks) every entry. */
function openAndReadAll(bytes: Uint8Array): ZipArchive {
  const archive = readArchive(bytes, { name: 'mutant.pt' });
  for (const name of archive.names()) archive.read(name);
  return archive;
}

function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at] ^= 0x01;
  return copy;
}

describe('zip: reading fixture archives', () => {
  for (const fixture of fixtureArchives()) {
    it(`${fixture.caseName}/${fixture.file}: opens, verifies, data 64-byte aligned`, () => {
      const archive = readArchive(fixture.path, { verify: true });
      expect(archive.folder).to.equal(fixture.folder);
      expect(archive.source).to.equal(fixture.path);
      expect(archive.has('data.pkl')).to.equal(true);
      expect(archive.has('constants.pkl')).to.equal(true);
      // torch.jit.save writes `version` up to format 5 and `.data/version` from 6 on (gelu needs 10).
      const record = archive.has('version') ? 'version' : '.data/version';
      expect(archive.readText(record)).to.match(record === 'version' ? /^[345]\n$/ : /^([6-9]|10)\n$/);
      expect(archive.list('code/').some((name) => name.endsWith('.py'))).to.equal(true);
      // The generator rewrote the traced case with python's zipfile (to drop .debug_pkl), which does not pad.
      const aligned = fixture.caseName !== 'traced_conv_bn';
      for (const entry of archive.entries()) {
        if (aligned) expect(entry.dataOffset % 64, entry.path).to.equal(0);
        expect(entry.path.startsWith(`${fixture.folder}/`)).to.equal(true);
      }
    });
  }

  it('names entries relative to the folder, in archive order', () => {
    const archive = readArchive(SEED);
    expect(archive.names()).to.deep.equal([
      'data/0',
      'data/1',
      'data/2',
      'data.pkl',
      'code/__torch__.py',
      'code/__torch__.py.debug_pkl',
      'code/__torch__/torch/nn/modules/linear.py',
      'code/__torch__/torch/nn/modules/linear.py.debug_pkl',
      'constants.pkl',
      'version',
    ]);
    expect(archive.list('data/')).to.deep.equal(['data/0', 'data/1', 'data/2']);
    const code = archive.entry('code/__torch__.py');
    expect(code.method).to.equal(8);
    expect(archive.entry('data/0').method).to.equal(0);
    expect(archive.readText('code/__torch__.py')).to.contain('class MyModule(Module)');
    expect(archive.read('data/0').length).to.equal(24);
    expect(archive.tryRead('nope')).to.equal(undefined);
  });

  it('reads from bytes and names the given source in errors', () => {
    const archive = readArchive(readFileSync(SEED), { name: 'model.pt' });
    expect(archive.folder).to.equal('module');
    expectCode(() => archive.read('data/9'), 'MISSING_ENTRY', 'model.pt', "'data/9'", 'module/data/9');
  });

  it('finds the folder from data.pkl whatever the file was called (torch.save uses the stem too)', () => {
    const bytes = buildArchive(
      [
        { name: 'version', data: '3\n' },
        { name: 'data.pkl', data: new Uint8Array([0x80, 2, 0x4e, 0x2e]) },
      ],
      {
        folder: 'my.model',
      },
    );
    const archive = readArchive(bytes);
    expect(archive.folder).to.equal('my.model');
    expect(archive.names()).to.deep.equal(['version', 'data.pkl']);
  });
});

describe('zip: bad input', () => {
  const seed = new Uint8Array(readFileSync(SEED));

  it('empty input is NOT_A_ZIP', () => {
    expectCode(() => readArchive(new Uint8Array(0), { name: 'empty.pt' }), 'NOT_A_ZIP', 'empty.pt', 'empty');
  });

  it('random bytes are NOT_A_ZIP, in well under a second even for 8 MB', () => {
    const start = process.cpuUsage();
    for (const [length, seedValue] of [
      [1, 1],
      [21, 2],
      [22, 3],
      [1000, 4],
      [70_000, 5],
      [8_000_000, 6],
    ]) {
      expectCode(
        () => readArchive(seededBytes(length, seedValue), { name: 'noise.bin' }),
        'NOT_A_ZIP',
        'noise.bin',
      );
    }
    expect(cpuMillisSince(start), 'CPU ms').to.be.below(5000);
  });

  it('a text file is NOT_A_ZIP', () => {
    expectCode(
      () => readArchive(new TextEncoder().encode('def forward(self):\n  pass\n')),
      'NOT_A_ZIP',
      '<buffer>',
    );
  });

  for (const cut of [4, 30, 100, 1000, 0.5, -98, -30, -22, -1]) {
    it(`truncated at ${cut} is TRUNCATED`, () => {
      const length = cut > 0 && cut < 1 ? Math.floor(seed.length * cut) : cut < 0 ? seed.length + cut : cut;
      expectCode(
        () => readArchive(seed.subarray(0, length), { name: 'cut.pt' }),
        'TRUNCATED',
        'cut.pt',
        'truncated',
      );
    });
  }

  it('a flipped byte inside a stored entry is CORRUPT_ENTRY (CRC) on read, naming file and entry', () => {
    const archive = readArchive(seed);
    const at = archive.entry('data/1').dataOffset + 5;
    const bad = readArchive(flipped(seed, at), { name: 'flip.pt' });
    expect(bad.read('data/0').length).to.equal(24);
    expectCode(() => bad.read('data/1'), 'CORRUPT_ENTRY', 'flip.pt', "'data/1'", 'CRC');
    expectCode(
      () => readArchive(flipped(seed, at), { name: 'flip.pt', verify: true }),
      'CORRUPT_ENTRY',
      "'data/1'",
    );
  });

  it('a flipped byte inside a deflated entry is CORRUPT_ENTRY', () => {
    const entry = readArchive(seed).entry('code/__torch__.py');
    expect(entry.method).to.equal(8);
    for (const delta of [0, 7, Math.floor(entry.compressedSize / 2), entry.compressedSize - 1]) {
      const bad = readArchive(flipped(seed, entry.dataOffset + delta), { name: 'flip.pt' });
      expectCode(() => bad.read('code/__torch__.py'), 'CORRUPT_ENTRY', 'flip.pt', "'code/__torch__.py'");
    }
  });

  it('an archive without data.pkl is MISSING_ENTRY', () => {
    const bytes = buildArchive([{ name: 'version', data: '3\n' }], { folder: 'module' });
    expectCode(
      () => readArchive(bytes, { name: 'nopkl.pt' }),
      'MISSING_ENTRY',
      'nopkl.pt',
      'module/data.pkl',
    );
    expect(readArchive(bytes, { requireDataPkl: false }).readText('version')).to.equal('3\n');
  });

  it('a missing or unreadable file has a typed error naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-zip-'));
    try {
      expectCode(() => readArchive(join(dir, 'absent.pt')), 'FILE_NOT_FOUND', 'absent.pt');
      expectCode(() => readArchive(dir), 'IO_ERROR', dir);
      writeFileSync(join(dir, 'empty.pt'), '');
      expectCode(() => readArchive(join(dir, 'empty.pt')), 'NOT_A_ZIP', 'empty.pt');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an entry whose header claims an impossible size is CORRUPT_ENTRY, without allocating it', () => {
    const archive = readArchive(seed);
    const entry = archive.entry('code/__torch__.py');
    // Patch the central directory's uncompressed size of this entry to 3 GB.
    const bad = seed.slice();
    const view = new DataView(bad.buffer);
    const name = new TextEncoder().encode(entry.path);
    for (let at = 0; at + 46 < bad.length; at++) {
      if (view.getUint32(at, true) !== 0x02014b50) continue;
      const nameLength = view.getUint16(at + 28, true);
      const candidate = bad.subarray(at + 46, at + 46 + nameLength);
      if (candidate.length === name.length && candidate.every((b, i) => b === name[i]))
        view.setUint32(at + 24, 3e9, true);
    }
    expectCode(() => readArchive(bad).read('code/__torch__.py'), 'CORRUPT_ENTRY', 'impossible');
  });

  it('any single flipped byte gives a SerializationError, a LimitError or a clean read, never a raw error', () => {
    const start = process.cpuUsage();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seed.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, mask) => {
          const bad = seed.slice();
          bad[at] ^= mask;
          try {
            openAndReadAll(bad);
          } catch (error) {
            if (!(error instanceof SerializationError) && !(error instanceof LimitError)) throw error;
          }
        },
      ),
      { numRuns: 400, seed: 42 },
    );
    expect(cpuMillisSince(start), 'CPU ms').to.be.below(30_000);
  });

  it('every flip inside entry data is detected', () => {
    const archive = readArchive(seed);
    for (const entry of archive.entries()) {
      const bad = readArchive(flipped(seed, entry.dataOffset + (entry.compressedSize >> 1)));
      const name = entry.path.slice('module/'.length);
      expectCode(() => bad.read(name), 'CORRUPT_ENTRY', name);
    }
  });
});
