// The TorchScript code printer: `module.code` (one method, `self` untyped, its own CONSTANTS numbering)
// and the `code/` files of an archive, both in the form PyTorch 1.13 prints.

import type { Function } from '../../module/function.js';
import { setCodePrinter, type CodePrinterHook } from '../../module/hooks.js';
import type { OperatorRegistry } from '../../ops/registry.js';
import { defaultOperatorRegistry } from '../../runtime/runtime.js';
import { ConstantTable } from './constant-table.js';
import { NO_DEPENDENCIES, type DependencySink, type PrintContext } from './context.js';
import { ClassType } from '../../module/class-type.js';
import type { CompilationUnit } from '../../module/compilation-unit.js';
import { baseName } from '../../module/qualified-name.js';
import { NameGenerator } from './names.js';
import { SourceFile } from './source-file.js';
import { TypeNames } from './type-names.js';

export { printArchiveCode, qualifierPath, type ArchiveCode, type CodeFile } from './archive-code.js';
export { ConstantTable, tensorsEqual, type ConstantEntry } from './constant-table.js';
export { TypeNames } from './type-names.js';
export { formatConstant } from './literals.js';
export { opName } from './rhs.js';

/** Options of {@link printMethodCode}. */
export interface MethodCodeOptions {
  /** Operator table for argument names and defaults; the runtime's shared one by default. */
  readonly registry?: OperatorRegistry;
  /** Receives the `CONSTANTS.cN` values in order (a fresh table by default). */
  readonly constants?: ConstantTable;
}

/**
 * A method as `module.code` shows it: `def forward(self,\n    x: Tensor) -> Tensor:` and the body,
 * ending with a newline. Tensor constants read `CONSTANTS.c0`, `c1`, ... in order of first use.
 */
export function printMethodCode(fn: Function, options: MethodCodeOptions = {}): string {
  const cx: PrintContext = {
    constants: options.constants ?? new ConstantTable(),
    types: new TypeNames(),
    names: new NameGenerator(),
    registry: options.registry ?? defaultOperatorRegistry(),
    deps: fn.owner instanceof ClassType ? functionsOf(fn.owner.cu) : NO_DEPENDENCIES,
    enforceImportable: false,
    minVersion: 0,
  };
  const file = new SourceFile(cx);
  file.printFunction(fn, fn.isMethod ? false : true);
  return file.text();
}

// `module.code` writes free functions by qualified name, also when the IR names one by its base name.
function functionsOf(cu: CompilationUnit): DependencySink {
  return {
    addType: () => undefined,
    addFunction: (ref) => {
      if (cu.findFunction(ref.qualifiedName)) return ref.qualifiedName;
      const matches = cu.freeFunctions.filter((f) => baseName(f.qualifiedName) === ref.qualifiedName);
      return matches.length === 1 ? matches[0].qualifiedName : ref.qualifiedName;
    },
  };
}

/** The hook `module.code` calls. */
export const codePrinterHook: CodePrinterHook = (fn) => printMethodCode(fn);

/** Makes `module.code` / `module.methodCode(name)` print TorchScript source; returns the previous hook. */
export function installCodePrinter(): CodePrinterHook | undefined {
  return setCodePrinter(codePrinterHook);
}
