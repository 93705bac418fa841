// The `code/` folder of an archive: every class the data refers to, then everything their code refers
// to (submodule classes, interfaces, named tuples, free functions), each printed into the file of its
// qualified name's prefix (`__torch__.a.b.C` -> `code/__torch__/a/b.py`), in PyTorch's order, with one
// CONSTANTS table shared by all files.

import { UnsupportedError } from '../../errors.js';
import type { FunctionRef } from '../../ir/ivalue.js';
import { NamedClassType, TupleType, type Type } from '../../ir/types.js';
import type { OperatorRegistry } from '../../ops/registry.js';
import { ClassType } from '../../module/class-type.js';
import type { CompilationUnit } from '../../module/compilation-unit.js';
import type { Function } from '../../module/function.js';
import { InterfaceDecl } from '../../module/interface-decl.js';
import { baseName } from '../../module/qualified-name.js';
import { ConstantTable } from './constant-table.js';
import type { DependencySink, PrintContext } from './context.js';
import { NameGenerator } from './names.js';
import { SourceFile } from './source-file.js';
import { TypeNames } from './type-names.js';

/** One printed source file, its path relative to the archive folder. */
export interface CodeFile {
  readonly path: string;
  readonly text: string;
}

/** What the archive writer needs from the printer. */
export interface ArchiveCode {
  readonly files: readonly CodeFile[];
  /** Values referenced as `CONSTANTS.cN`, for constants.pkl. */
  readonly constants: ConstantTable;
  /** The least file-format version the printed operators need (0 when any will do). */
  readonly minVersion: number;
  /** Names types were written under (the pickler must use the same ones). */
  readonly types: TypeNames;
}

type Definition = ClassType | InterfaceDecl | TupleType | Function;

function unserializable(message: string): UnsupportedError {
  return new UnsupportedError(message, 'UNSERIALIZABLE');
}

/** `code/__torch__/a/b.py` for the qualifier `__torch__.a.b`. */
export function qualifierPath(qualifier: string): string {
  return `code/${qualifier.split('.').join('/')}.py`;
}

function qualifierOf(qualifiedName: string): string {
  const dot = qualifiedName.lastIndexOf('.');
  if (dot <= 0)
    throw unserializable(`'${qualifiedName}' has no namespace: archive types live under __torch__`);
  return qualifiedName.slice(0, dot);
}

/**
 * Collects definitions in discovery order and prints each into its file. The archive writer adds the
 * classes of pickled objects (data first, then constants) and drains; result() gives the files.
 */
export class ArchiveCodePrinter implements DependencySink {
  readonly constants = new ConstantTable();
  private readonly pending: Definition[] = [];
  private printed = 0;
  private readonly known = new Set<Definition>();
  private readonly tuplesByName = new Map<string, TupleType>();
  private readonly units = new Set<CompilationUnit>();
  private readonly files = new Map<string, { file: SourceFile; cx: PrintContext }>();
  private minVersion = 0;

  constructor(
    private readonly registry: OperatorRegistry,
    readonly types: TypeNames,
  ) {}

  addType(type: Type): void {
    if (type instanceof ClassType || type instanceof InterfaceDecl) this.addDefinition(type);
    else if (type instanceof TupleType && type.qualifiedName) {
      if (!this.tuplesByName.has(type.qualifiedName)) {
        this.tuplesByName.set(type.qualifiedName, type);
        this.addDefinition(type);
      }
    } else if (type instanceof NamedClassType) this.addDefinition(this.resolveNamed(type));
    for (const t of type.containedTypes()) this.addType(t);
  }

  addFunction(ref: FunctionRef): string {
    const fn = this.resolveFunction(ref);
    this.addDefinition(fn);
    return fn.qualifiedName;
  }

  /** Queues `def` once; classes bring their compilation unit into reach for name lookups. */
  addDefinition(def: Definition): void {
    if (this.known.has(def)) return;
    this.known.add(def);
    if (def instanceof ClassType || def instanceof InterfaceDecl) this.units.add(def.cu);
    this.pending.push(def);
  }

  /** Prints every queued definition, including the ones printing them discovers. */
  drain(): void {
    while (this.printed < this.pending.length) this.print(this.pending[this.printed++]);
  }

  result(): ArchiveCode {
    const files = [...this.files].map(([qualifier, f]) => {
      this.minVersion = Math.max(this.minVersion, f.cx.minVersion);
      return { path: qualifierPath(qualifier), text: f.file.text() };
    });
    return { files, constants: this.constants, minVersion: this.minVersion, types: this.types };
  }

  private print(def: Definition): void {
    const name =
      def instanceof ClassType || def instanceof InterfaceDecl || def instanceof TupleType
        ? this.types.nameOf(def)
        : def.qualifiedName;
    const file = this.fileFor(qualifierOf(name));
    // torch.jit.load compiles the classes of constants.pkl's objects (and whatever their code uses)
    // while it is still reading that table, so such code must not say CONSTANTS.cN: code outside
    // module classes spells non-ASCII strings as UTF-8 literals, which torch reads back exactly.
    // (PyTorch's own printer cannot escape them, and its frozen files holding such objects fail to load.)
    file.cx.nonAsciiLiterals = !(def instanceof ClassType && def.isModule);
    if (def instanceof ClassType) file.printClass(def);
    else if (def instanceof InterfaceDecl) file.printInterface(def);
    else if (def instanceof TupleType) file.printNamedTuple(def);
    else file.printFunction(def);
  }

  private fileFor(qualifier: string): SourceFile {
    const known = this.files.get(qualifier);
    if (known) return known.file;
    const cx: PrintContext = {
      constants: this.constants,
      types: this.types,
      names: new NameGenerator(),
      registry: this.registry,
      deps: this,
      enforceImportable: true,
      minVersion: 0,
    };
    const file = new SourceFile(cx);
    this.files.set(qualifier, { file, cx });
    return file;
  }

  // A type known only by name (from IR text): its definition in a compilation unit in reach.
  private resolveNamed(type: NamedClassType): ClassType | InterfaceDecl {
    for (const cu of this.units) {
      const found = cu.getType(type.qualifiedName);
      if (found instanceof ClassType || found instanceof InterfaceDecl) return found;
    }
    throw unserializable(
      `the definition of ${type.qualifiedName} is not available, so its code cannot be written`,
    );
  }

  private resolveFunction(ref: FunctionRef): Function {
    const wanted = ref.qualifiedName;
    for (const cu of this.units) {
      const fn = cu.findFunction(wanted);
      if (fn) return fn;
    }
    // IR text names a function by its base name (`prim::Constant[name="relu"]`).
    const matches = [...this.units].flatMap((cu) =>
      cu.freeFunctions.filter((f) => baseName(f.qualifiedName) === wanted),
    );
    if (matches.length === 1) return matches[0];
    throw unserializable(`free function '${wanted}' is not defined in any compilation unit in reach`);
  }
}

/**
 * Prints the code of an archive whose data holds objects of `pickledTypes` (in the order the pickler
 * met them, root first): those classes, then every definition their code needs. `types` must be the
 * names the pickle used for those classes.
 */
export function printArchiveCode(
  pickledTypes: readonly ClassType[],
  registry: OperatorRegistry,
  types: TypeNames = new TypeNames(),
): ArchiveCode {
  const printer = new ArchiveCodePrinter(registry, types);
  for (const t of pickledTypes) printer.addDefinition(t);
  printer.drain();
  return printer.result();
}
