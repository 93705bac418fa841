// A third-party-style plugin, as an npm package outside the repo would ship it: one pass whose
// constructor gets a service the plugin binds itself. Load it with `tsfreeze opt --plugin
// dist/test/plugins/fold-involutions.js` or, from code, `register(container)`.

import { ContainerModule, inject, injectable, type Container } from 'inversify';
import {
  LOGGER,
  pass,
  registerPasses,
  type Graph,
  type GraphPass,
  type Logger,
  type OptionsOf,
  type PassContext,
  type PassResult,
} from '../../src/index.js';

/** Token of the plugin's own service. */
export const INVOLUTIONS = Symbol.for('fold-involutions-plugin.Involutions');

/** Which ops are involutions (f(f(x)) == x). A service so hosts can rebind it. */
@injectable()
export class InvolutionTable {
  readonly kinds: readonly string[] = ['aten::neg', 'aten::bitwise_not'];
  isInvolution(kind: string): boolean {
    return this.kinds.includes(kind);
  }
}

const OPTIONS = {
  only: {
    type: 'string[]',
    description: 'fold only these op kinds (default: every involution in the table)',
  },
} as const;

/**
 * fold-involutions: f(f(x)) => x for ops the injected InvolutionTable lists.
 *   %a = aten::neg(%x); %b = aten::neg(%a); use(%b)   =>   use(%x)   (the dead negs are left to dead-code-elimination)
 */
@pass({
  name: 'fold-involutions',
  summary: 'Fold f(f(x)) into x for involutions such as aten::neg',
  options: OPTIONS,
  statistics: ['folded'],
})
export class FoldInvolutions implements GraphPass<OptionsOf<typeof OPTIONS>> {
  constructor(
    @inject(INVOLUTIONS) private readonly table: InvolutionTable,
    @inject(LOGGER) private readonly logger: Logger,
  ) {}

  run(graph: Graph, context: PassContext<OptionsOf<typeof OPTIONS>>): PassResult {
    let changed = false;
    for (const outer of graph.allNodes()) {
      if (!this.table.isInvolution(outer.kind)) continue;
      if (context.options.only.length && !context.options.only.includes(outer.kind)) continue;
      const inner = outer.inputs[0]?.node;
      if (!inner || inner.kind !== outer.kind || outer.inputs.length !== 1 || inner.inputs.length !== 1) {
        if (outer.hasUses()) context.remark(outer, 'not folded: its input is not the same involution');
        continue;
      }
      // Transforms f(f(x)) into x.
      outer.output().replaceAllUsesWith(inner.input(0));
      context.count('folded');
      changed = true;
    }
    if (changed) this.logger.info('fold-involutions: folded');
    return { changed };
  }
}

/** What `--plugin` calls: binds the plugin's service, then registers its pass. */
export function register(container: Container): void {
  if (!container.isBound(INVOLUTIONS)) container.bind(INVOLUTIONS).to(InvolutionTable).inSingletonScope();
  registerPasses(container, [FoldInvolutions]);
}

/** The plugin's service as a ContainerModule, for hosts that load modules (`passesModule([FoldInvolutions])` adds the pass). */
export const involutionsServiceModule = new ContainerModule(({ bind }) => {
  bind(INVOLUTIONS).to(InvolutionTable).inSingletonScope();
});
