// Invalidation decided at run time: a pass's result may say which analyses it preserved, overriding
// its declaration for that invocation.

import 'reflect-metadata';
import { expect } from 'chai';
import { definePass, registerPasses, runPipeline } from '../../src/index.js';
import { addRelu, NodeCount, smallGraph, testContainer } from './helpers.js';

const sometimesPreserving = definePass({
  name: 'test-runtime-preserve',
  summary: 'Adds a relu; says at run time that node-count is still valid (a lie the cache believes)',
  options: { keep: { type: 'boolean', description: 'report node-count preserved' } },
  run(graph, context) {
    addRelu(graph);
    return context.options.keep ? { changed: true, preserved: [NodeCount] } : { changed: true };
  },
});

describe('run-time invalidation (PassResult.preserved)', () => {
  it('a result listing an analysis keeps it cached; without it the declaration (nothing) applies', () => {
    const { container } = testContainer();
    registerPasses(container, [sometimesPreserving]);
    const kept = runPipeline(container, smallGraph(), 'test-read,test-runtime-preserve{keep=true},test-read');
    expect(kept.analysisComputations['node-count']).to.equal(1);
    const dropped = runPipeline(container, smallGraph(), 'test-read,test-runtime-preserve,test-read');
    expect(dropped.analysisComputations['node-count']).to.equal(2);
  });
});
