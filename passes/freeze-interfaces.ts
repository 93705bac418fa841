/**
 * freeze-interfaces: gives every interface-typed submodule read by a preserved method the concrete class
 * of the module it holds, so inline-submodules can inline the calls made through it.
 *   %impl : InterfaceType<Iface> = prim::GetAttr[name="impl"](%self)          (holds an ImplA)
 *     =>  %impl : __torch__.ImplA = prim::GetAttr[name="impl"](%self), and `impl : ImplA` in the class
 * Refuses a prim::SetAttr on an interface-typed attribute (the module structure could not be flattened),
 * with PyTorch's message. Mirrors inlineInterfaceCalls / reassignInterfaceTypes in
 * torch/csrc/jit/passes/freeze_module.cpp (torch.jit.freeze runs with freezeInterfaces on).
 */

import {
  ClassType,
  FreezeError,
  ScriptModule,
  pass,
  type ModulePass,
  type ModuleTarget,
  type PassContext,
  type PassResult,
} from '../src/index.js';
import { modulePath, moduleAt } from './freeze/module-path.js';
import { PRESERVE_OPTIONS, resolvePreserved } from './freeze/preserved.js';

@pass({
  name: 'freeze-interfaces',
  summary: 'Retype interface-typed submodules to the concrete class they hold, so their calls can be inlined',
  target: 'module',
  options: PRESERVE_OPTIONS,
  statistics: [
    {
      name: 'interfaces-resolved',
      description: 'interface-typed prim::GetAttr outputs given a concrete class',
    },
  ],
  required: true,
})
export class FreezeInterfaces implements ModulePass {
  run(target: ModuleTarget, context: PassContext<{ preserve: readonly string[] }>): PassResult {
    if (!(target instanceof ScriptModule))
      throw new FreezeError('NOT_A_MODULE', 'freeze-interfaces runs on a ScriptModule');
    const preserved = resolvePreserved(target, context.options.preserve);
    let changed = false;
    // Inlining one interface call may expose another: the pipeline repeats this pass with
    // inline-submodules in a fixpoint group until neither changes anything.
    {
      for (const [fn, base] of preserved.methods) {
        const graph = fn.graph;
        for (const n of graph.allNodes()) {
          if (n.kind === 'prim::SetAttr' && n.input(0).type instanceof ClassType) {
            const owner = moduleAt(base, modulePath(n.input(0), graph) ?? []);
            const attr = owner?.type.findAttribute(n.s('name'));
            if (attr?.type.kind === 'Interface') {
              throw new FreezeError(
                'INTERFACE_SETATTR',
                `Freezing does not support SetAttr on an interface type. SetAttr is attempted on '${n.s('name')}'`,
              );
            }
          }
          if (n.kind !== 'prim::GetAttr' || n.output().type.kind !== 'Interface') continue;
          const path = modulePath(n.input(0), graph);
          const owner = path && moduleAt(base, path);
          const value = owner?.getAttr(n.s('name'));
          if (!(value instanceof ScriptModule)) {
            throw new FreezeError(
              'INTERFACE_ATTRIBUTE',
              `failed to freeze interface attribute '${n.s('name')}'`,
            );
          }
          n.output().setType(value.type);
          owner!.type.changeAttributeType(n.s('name'), value.type);
          context.count('interfaces-resolved');
          changed = true;
        }
      }
    }
    return { changed };
  }
}
