// Issue 15.3: a ~1 KB archive whose pickle shares sub-lists ("billion laughs": each level holds the one
// below twice, 2^40 leaves) loads in linear time, with the sharing kept, instead of expanding every path.

import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { IntType, ListType, type IValue, type Type } from '../../src/ir/index.js';
import { moduleBuilder } from '../../src/module/builder.js';
import { loadModule, saveModule } from '../../src/serialization/index.js';
import '../../src/index.js';
import { cpuMillisSince } from '../support/cpu-budget.js';

describe('load: shared pickled values are restored once', () => {
  it('a 40-level list of shared sub-lists loads quickly and stays shared', () => {
    const levels = 40;
    let value: IValue = [1];
    let type: Type = new ListType(IntType);
    for (let i = 0; i < levels; i++) {
      value = [value, value];
      type = new ListType(type);
    }
    const module = moduleBuilder('Laughs')
      .attribute('x', value, type)
      .method(
        'forward',
        'graph(%self : __torch__.Laughs):\n  %n : int = prim::Constant[value=1]()\n  return (%n)\n',
      )
      .build();
    const dir = mkdtempSync(join(tmpdir(), 'laughs-'));
    try {
      const path = join(dir, 'laughs.pt');
      saveModule(module, path);
      const start = process.cpuUsage();
      const loaded = loadModule(path);
      expect(cpuMillisSince(start), 'CPU ms').to.be.below(5000);
      const x = loaded.getAttr('x') as IValue[];
      expect(x[0]).to.equal(x[1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
