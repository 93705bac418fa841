// The built-in freeze pipeline skips zod at run time (pipelineDefinitionFromTypedJson): it must be the
// very definition zod's validation of pipelines/freeze.json gives, and the checks that remain must still refuse.

import 'reflect-metadata';
import { expect } from 'chai';
import { createFreezeContainer, FREEZE_PIPELINE_JSON } from '../../passes/index.js';
import {
  NAMED_PIPELINE,
  parsePipelineDefinition,
  pipelineDefinitionFromTypedJson,
  PipelineError,
  type PipelineDefinition,
  type PipelineJsonDocument,
} from '../../src/index.js';
import { thrownBy } from '../support/thrown.js';

describe('built-in freeze pipeline definition', () => {
  it('equals what zod validation of freeze.json gives', () => {
    const registered = createFreezeContainer()
      .getAll<PipelineDefinition>(NAMED_PIPELINE)
      .filter((d) => d.name === 'freeze');
    expect(registered).to.have.length(1);
    expect(registered[0]).to.deep.equal(parsePipelineDefinition(FREEZE_PIPELINE_JSON));
  });

  it('gives the same definition as zod on every element form', () => {
    const json: PipelineJsonDocument = {
      name: 'all-forms',
      summary: 'each JSON element form once',
      options: { on: { type: 'boolean', default: true, description: 'x' } },
      passes: [
        'a',
        { pass: 'b', options: { n: 1, s: 'x', l: [1, { option: 'on' }], r: { option: 'on' } } },
        { fixpoint: { max: 3 }, passes: ['c'] },
        { fixpoint: {}, passes: ['c'] },
        { when: { option: 'on' }, passes: ['d'] },
        { when: { option: 'on', equals: false }, passes: ['d'] },
        { when: { changed: 'a' }, passes: ['e'] },
        { extensionPoint: 'here' },
        { methods: ['forward'], passes: ['f'] },
        { submodules: ['layer1.0'], passes: ['g'] },
      ],
    };
    expect(pipelineDefinitionFromTypedJson(json)).to.deep.equal(parsePipelineDefinition(json));
  });

  it('still refuses an unnamed pipeline, a bad name and a bad option default', () => {
    const bad: PipelineJsonDocument[] = [
      { passes: ['a'] },
      { name: 'Not A Name', passes: ['a'] },
      { name: 'ok', options: { x: { type: 'boolean', default: 3, description: 'x' } }, passes: ['a'] },
    ];
    for (const json of bad) {
      const zodError = thrownBy(PipelineError, () => parsePipelineDefinition(json));
      const typedError = thrownBy(PipelineError, () => pipelineDefinitionFromTypedJson(json));
      expect(typedError.code, JSON.stringify(json)).to.equal(zodError.code);
    }
  });
});
