// Compile-time checks: each `@ts-expect-error` below must be an error, or this file fails to compile
// (and the suite with it). The `it` blocks only keep the declarations alive at run time.

import 'reflect-metadata';
import { expect } from 'chai';
import {
  definePass,
  pass,
  type Graph,
  type GraphPass,
  type OptionsOf,
  type PassContext,
  type PassResult,
} from '../../src/index.js';

const OPTIONS = { only: { type: 'string[]', description: 'ops to fold' } } as const;
export const OTHER = { limit: { type: 'integer', description: 'how many' } } as const;

@pass({ name: 'typed-ok', summary: 'options match', options: OPTIONS })
class TypedOk implements GraphPass<OptionsOf<typeof OPTIONS>> {
  run(_graph: Graph, context: PassContext<OptionsOf<typeof OPTIONS>>): PassResult {
    const only: readonly string[] = context.options.only;
    return { changed: only.length < 0 };
  }
}

// @ts-expect-error the class reads OTHER's options, but the declaration says OPTIONS
@pass({ name: 'typed-wrong', summary: 'options differ', options: OPTIONS })
class TypedWrong implements GraphPass<OptionsOf<typeof OTHER>> {
  run(_graph: Graph, context: PassContext<OptionsOf<typeof OTHER>>): PassResult {
    return { changed: context.options.limit < 0 };
  }
}

const defined = definePass({
  name: 'typed-defined',
  summary: 'typed from the definition',
  options: OPTIONS,
  statistics: ['folded'],
  run(_graph, context) {
    const only: readonly string[] = context.options.only;
    context.count('folded', only.length);
    // @ts-expect-error not a declared statistic
    context.count('foldd');
    // @ts-expect-error not a declared option
    void context.options.limit;
    return { changed: false };
  },
});

describe('typing (checked when the tests compile)', () => {
  it('declarations compile as expected', () => {
    expect([TypedOk, TypedWrong, defined].map((c) => c.name)).to.deep.equal([
      'TypedOk',
      'TypedWrong',
      'TypedDefined',
    ]);
  });
});
