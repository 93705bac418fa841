// What every printed function of one file (or one `module.code`) shares: the CONSTANTS table, the type
// names, the local-name counters, the operator table, and the sink collecting the named types and free
// functions the code refers to (the archive writer prints those too).

import type { FunctionRef } from '../../ir/ivalue.js';
import type { Type } from '../../ir/types.js';
import type { OperatorRegistry } from '../../ops/registry.js';
import type { ConstantTable } from './constant-table.js';
import type { NameGenerator } from './names.js';
import type { TypeNames } from './type-names.js';

/** Receives every type and free function printed code depends on. */
export interface DependencySink {
  /** A type used by an attribute, argument, value or node attribute (walk it for named types). */
  addType(type: Type): void;
  /** A free function a `prim::Constant` of Function type names; returns the qualified name to print. */
  addFunction(ref: FunctionRef): string;
}

/** Shared state of a printer. */
export interface PrintContext {
  readonly constants: ConstantTable;
  readonly types: TypeNames;
  readonly names: NameGenerator;
  readonly registry: OperatorRegistry;
  readonly deps: DependencySink;
  /** Refuse what torch.jit.load could not read back (closures, Python ops, multiple returns). */
  readonly enforceImportable: boolean;
  /**
   * Write non-ASCII strings as UTF-8 literals instead of `CONSTANTS.cN` (set by the archive printer for
   * code torch.jit.load compiles while it is still reading constants.pkl).
   */
  nonAsciiLiterals?: boolean;
  /** The least file-format version the printed operators need (aten::div needs 4); raised while printing. */
  minVersion: number;
}

/** A sink that ignores everything (for `module.code`). */
export const NO_DEPENDENCIES: DependencySink = {
  addType: () => undefined,
  addFunction: (ref) => ref.qualifiedName,
};
