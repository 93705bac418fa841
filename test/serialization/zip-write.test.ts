// Writing .pt archives: PyTorch's layout (aligned data, deflated code), atomic file writes, and python/torch reading the result.

import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  archiveFolderFor,
  buildArchive,
  crc32,
  readArchive,
  writeArchiveAtomic,
  type ArchiveEntry,
} from '../../src/serialization/zip/index.js';
import { expectCode, FIXTURES, pythonHasTorch, runPython, seededBytes } from './zip-test-helpers.js';

const CODE = 'class M(Module):\n  def forward(self, x):\n    return x\n'.repeat(20);

function sampleEntries(): ArchiveEntry[] {
  return [
    { name: 'data/0', data: seededBytes(24, 1) },
    { name: 'data/1', data: seededBytes(1000, 2) },
    { name: 'data.pkl', data: new Uint8Array([0x80, 2, 0x29, 0x2e]) },
    { name: 'code/__torch__.py', data: CODE },
    { name: 'code/__torch__.py.debug_pkl', data: new Uint8Array(300).fill(7) },
    { name: 'code/__torch__/tiny.py', data: 'x' },
    { name: 'constants.pkl', data: new Uint8Array([0x80, 2, 0x29, 0x2e]) },
    { name: 'version', data: '3\n' },
  ];
}

describe('zip: writing archives', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsfreeze-zipw-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through the reader with the same bytes, in order', () => {
    const entries = sampleEntries();
    const archive = readArchive(buildArchive(entries, { folder: 'model' }), { verify: true });
    expect(archive.folder).to.equal('model');
    expect(archive.names()).to.deep.equal(entries.map((entry) => entry.name));
    for (const entry of entries) {
      const expected = typeof entry.data === 'string' ? new TextEncoder().encode(entry.data) : entry.data;
      expect(Buffer.from(archive.read(entry.name)).equals(Buffer.from(expected)), entry.name).to.equal(true);
    }
  });

  it('lays entries out as PyTorch does: data at multiples of 64, code deflated, storages stored', () => {
    const bytes = buildArchive(sampleEntries());
    const archive = readArchive(bytes);
    expect(archive.folder).to.equal('archive');
    const methods = Object.fromEntries(archive.entries().map((entry) => [entry.path, entry.method]));
    expect(methods).to.deep.equal({
      'archive/data/0': 0,
      'archive/data/1': 0,
      'archive/data.pkl': 0,
      'archive/code/__torch__.py': 8,
      'archive/code/__torch__.py.debug_pkl': 8,
      'archive/code/__torch__/tiny.py': 0, // deflate would not shrink one byte: stored, like PyTorch
      'archive/constants.pkl': 0,
      'archive/version': 0,
    });
    for (const entry of archive.entries()) {
      expect(entry.dataOffset % 64, entry.path).to.equal(0);
      // The 'FB' padding field sits right before the data.
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      const nameLength = view.getUint16(entry.localHeaderOffset + 26, true);
      expect(view.getUint16(entry.localHeaderOffset + 30 + nameLength, true)).to.equal(0x4246);
      expect(entry.crc32).to.equal(crc32(archive.read(entry.path.slice('archive/'.length))));
    }
  });

  it('honours an explicit compress flag either way', () => {
    const archive = readArchive(
      buildArchive([
        { name: 'data.pkl', data: CODE, compress: true },
        { name: 'code/x.py', data: CODE, compress: false },
      ]),
    );
    expect(archive.entry('data.pkl').method).to.equal(8);
    expect(archive.entry('code/x.py').method).to.equal(0);
  });

  it('names the folder after the file as torch.jit.save does', () => {
    expect(archiveFolderFor('/a/b/module.pt')).to.equal('module');
    expect(archiveFolderFor('my.model.pt')).to.equal('my.model');
    expect(archiveFolderFor('noext')).to.equal('noext');
    expect(archiveFolderFor('.hidden.pt')).to.equal('.hidden');
    const path = join(dir, 'frozen.pt');
    writeArchiveAtomic(path, sampleEntries());
    expect(readArchive(path).folder).to.equal('frozen');
  });

  it('rejects bad or duplicate entry names before touching the disk', () => {
    const path = join(dir, 'keep.pt');
    writeFileSync(path, 'original');
    for (const name of ['', '/abs', '../up', 'a//b', 'dir/', 'a\\b', 'a/./b']) {
      expectCode(() => writeArchiveAtomic(path, [{ name, data: 'x' }]), 'BAD_ENTRY_NAME', 'entry name');
    }
    expectCode(
      () =>
        writeArchiveAtomic(path, [
          { name: 'data.pkl', data: 'x' },
          { name: 'data.pkl', data: 'y' },
        ]),
      'BAD_ENTRY_NAME',
      'twice',
    );
    expectCode(() => buildArchive([{ name: 'x', data: 'x' }], { folder: 'a/b' }), 'BAD_ENTRY_NAME', 'folder');
    expect(readFileSync(path, 'utf8')).to.equal('original');
    expect(readdirSync(dir)).to.deep.equal(['keep.pt']);
  });

  it('never leaves a partial file: a failed rename keeps the target and removes the temporary file', () => {
    const target = join(dir, 'occupied.pt');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x'); // renaming a file over a non-empty directory fails
    expectCode(
      () => writeArchiveAtomic(target, sampleEntries()),
      'WRITE_FAILED',
      'occupied.pt',
      'not changed',
    );
    expect(readdirSync(dir)).to.deep.equal(['occupied.pt']);
    expectCode(
      () => writeArchiveAtomic(join(dir, 'missing', 'x.pt'), sampleEntries()),
      'WRITE_FAILED',
      'x.pt',
    );
    expect(existsSync(join(dir, 'missing'))).to.equal(false);
  });

  it('replaces an existing file in one step', () => {
    const path = join(dir, 'model.pt');
    writeFileSync(path, 'old');
    writeArchiveAtomic(path, sampleEntries());
    expect(readArchive(path).readText('version')).to.equal('3\n');
    expect(readdirSync(dir)).to.deep.equal(['model.pt']);
  });
});

describe('zip: python and torch read what we write', function () {
  before(function () {
    if (!pythonHasTorch()) this.skip();
  });

  it("python's zipfile sees the same entries, CRCs, methods and 64-byte alignment", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-zipp-'));
    try {
      const path = join(dir, 'sample.pt');
      writeArchiveAtomic(path, sampleEntries());
      const report = runPython(
        [
          'import zipfile, json, struct, sys',
          'raw = open(sys.argv[1], "rb").read()',
          'z = zipfile.ZipFile(sys.argv[1])',
          'assert z.testzip() is None',
          'out = []',
          'for i in z.infolist():',
          '    z.read(i.filename)',
          '    n, e = struct.unpack("<HH", raw[i.header_offset + 26:i.header_offset + 30])',
          '    start = i.header_offset + 30 + n + e',
          '    out.append([i.filename, i.compress_type, i.file_size, start % 64])',
          'print(json.dumps(out))',
        ].join('\n'),
        [path],
      );
      const rows = JSON.parse(report) as [string, number, number, number][];
      expect(rows.map((row) => row[0])).to.deep.equal(sampleEntries().map((entry) => `sample/${entry.name}`));
      expect(rows.every((row) => row[3] === 0)).to.equal(true);
      expect(rows.find((row) => row[0] === 'sample/code/__torch__.py')?.[1]).to.equal(8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('torch.jit.load accepts a fixture rewritten entry by entry, and its weights are unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfreeze-zipt-'));
    try {
      const source = readArchive(join(FIXTURES, 'nested_submodules', 'module.pt'));
      const path = join(dir, 'rewritten.pt');
      writeArchiveAtomic(
        path,
        source.names().map((name) => ({ name, data: source.read(name) })),
      );
      const report = runPython(
        [
          'import torch, sys',
          'a = torch.jit.load(sys.argv[1]); b = torch.jit.load(sys.argv[2])',
          'sa = a.state_dict(); sb = b.state_dict()',
          'assert list(sa) == list(sb)',
          'assert all(torch.equal(sa[k], sb[k]) for k in sa)',
          'print(len(sa))',
        ].join('\n'),
        [join(FIXTURES, 'nested_submodules', 'module.pt'), path],
      );
      expect(Number(report.trim())).to.be.greaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
