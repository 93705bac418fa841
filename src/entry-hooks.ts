// Hooks the lower layers leave open, filled in once at the entry points (src/index.ts, the CLI):
// reproducers (src/pipeline) save module inputs as .pt bytes, and graph.create (src/ir) infers a
// node's outputs from the operator table, though neither layer may import the layers above it.

import { UnsupportedError } from './errors.js';
import { installOutputInference, type Type } from './ir/index.js';
import { isScriptModule } from './module/index.js';
import { installModuleSaver } from './pipeline/reproducer-format.js';
import { defaultOperatorRegistry } from './runtime/runtime.js';
import { buildModuleArchive } from './serialization/index.js';

/** Installs the reproducers' module saver and graph.create's output inference. */
export function installEntryHooks(): void {
  installModuleSaver((module) => {
    if (!isScriptModule(module))
      throw new UnsupportedError('only ScriptModule inputs can be saved in a reproducer');
    return buildModuleArchive(module);
  });
  installOutputInference((kind, inputs): readonly Type[] | undefined => {
    const registry = defaultOperatorRegistry();
    if (!registry.has(kind)) return undefined;
    return registry.tryResolve(
      kind,
      inputs.map((v) => v.type),
    )?.returnTypes;
  });
}
