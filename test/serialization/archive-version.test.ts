// The archive format version tsfreeze writes is the one torch.jit.save (1.13) writes for the same code:
// per operator overload (test/fixtures/archive_versions.json, made by scripts/archive-versions.py), and for
// every fixture re-saved and frozen, compared with PyTorch's own module.pt and frozen.pt. An archive
// claiming an older version makes torch.jit.load run upgraders on operators that do not need them
// (gelu(x, approximate=...) saved as version 4 is refused).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { moduleBuilder, readArchive, type ScriptModule } from '../../src/index.js';
import { buildModuleArchive } from '../../src/serialization/save/index.js';
import { FIXTURES_DIR } from '../support/fixture-case.js';
import { frozenCase, loadShared, moduleCases } from './save-helpers.js';

interface VersionCase {
  readonly title: string;
  readonly graph: string;
  readonly version: number;
  readonly record: string;
}

/** Which record holds the version and what it says. */
function versionOf(bytes: Uint8Array | string): { record: string; version: number } {
  const archive = readArchive(bytes);
  const record = archive.has('.data/version') ? '.data/version' : 'version';
  return { record, version: Number(archive.readText(record).trim()) };
}

function saved(module: ScriptModule): { record: string; version: number } {
  return versionOf(buildModuleArchive(module));
}

const table = (
  JSON.parse(readFileSync(join(FIXTURES_DIR, 'archive_versions.json'), 'utf8')) as { cases: VersionCase[] }
).cases;

describe('archive version: as torch.jit.save 1.13 writes it', () => {
  for (const c of table) {
    it(`${c.title}: version ${c.version} in '${c.record}'`, () => {
      const module = moduleBuilder('M').method('forward', c.graph).build().eval();
      expect(saved(module)).to.deep.equal({ record: c.record, version: c.version });
    });
  }

  for (const c of moduleCases()) {
    it(`${c.name}: re-saved module.pt keeps PyTorch's version`, () => {
      expect(saved(loadShared(join(c.dir, 'module.pt')))).to.deep.equal(versionOf(join(c.dir, 'module.pt')));
    });
    if (!c.hasFrozenPt) continue;
    it(`${c.name}: frozen and saved, it has the version of PyTorch's frozen.pt`, () => {
      expect(saved(frozenCase(c))).to.deep.equal(versionOf(join(c.dir, 'frozen.pt')));
    });
  }
});
