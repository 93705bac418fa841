// Reads the fixed layout torch.jit.save gives a class body (`__parameters__`, `__buffers__`, typed
// declarations, `Final` constants, methods) into one record, so the IR emitter need not re-walk it.
import { IRParseError } from '../../errors.js';
import type { Expr, SourceRange, TypeExpr } from './ast.js';
import type { ClassDef, FunctionDef } from './ast-statements.js';
import { exprToType } from './parse-type.js';

/** What kind of class the bases make it. */
export type ClassFlavor = 'module' | 'namedtuple' | 'interface' | 'module-interface' | 'enum' | 'class';

/** A declared attribute (`training : bool`), or an old-style `__annotations__["x"] = T`. */
export interface DeclaredAttribute {
  readonly name: string;
  readonly type: TypeExpr;
  readonly range: SourceRange;
}

/** A class-level constant (`eps : Final[float] = 1e-05`) or an Enum member (`RED = 1`, `type` null). */
export interface DeclaredConstant {
  readonly name: string;
  readonly type: TypeExpr | null;
  readonly value: Expr;
  readonly range: SourceRange;
}

/** The members of a class, in source order within each group. */
export interface ClassSummary {
  readonly name: string;
  readonly flavor: ClassFlavor;
  /** `__parameters__`: names of the attributes that are parameters. */
  readonly parameters: readonly string[];
  /** `__buffers__`: names of the attributes that are buffers. */
  readonly buffers: readonly string[];
  /** `__constants__` when present (older archives): names of constant attributes. */
  readonly constantNames: readonly string[];
  readonly attributes: readonly DeclaredAttribute[];
  readonly constants: readonly DeclaredConstant[];
  readonly methods: readonly FunctionDef[];
}

/**
 * Summarizes a class body. Throws IRParseError with code `TS_CLASS_LAYOUT` when a layout entry has
 * the wrong shape (e.g. `__parameters__` not a list of strings) or an attribute is declared twice.
 * `text` (the file's source) lets the error show the offending line.
 */
export function summarizeClass(def: ClassDef, text?: string): ClassSummary {
  const flavor = classFlavor(def);
  const lists = new Map<string, string[]>();
  const attributes: DeclaredAttribute[] = [];
  const constants: DeclaredConstant[] = [];
  const methods: FunctionDef[] = [];
  const seen = new Set<string>();
  const declare = (name: string, range: SourceRange): void => {
    if (seen.has(name)) throw layoutError(range, `'${name}' is declared twice in class '${def.name}'`, text);
    seen.add(name);
  };
  for (const item of def.body) {
    if (item.kind === 'FunctionDef') {
      methods.push(item);
    } else if (item.kind === 'AttributeDecl') {
      declare(item.name, item.range);
      if (item.value === null) attributes.push({ name: item.name, type: item.annotation, range: item.range });
      else constants.push({ name: item.name, type: item.annotation, value: item.value, range: item.range });
    } else if (item.kind === 'Assign') {
      const target = item.target;
      if (target.kind === 'Name' && /^__(parameters|buffers|constants)__$/.test(target.id)) {
        lists.set(target.id, stringList(item.value, target.id, text));
      } else if (
        target.kind === 'Subscript' &&
        target.value.kind === 'Name' &&
        target.value.id === '__annotations__'
      ) {
        const key = target.indices.length === 1 ? target.indices[0] : undefined;
        if (key?.kind !== 'String')
          throw layoutError(target.range, '__annotations__ must be indexed by one attribute name', text);
        declare(key.value, item.range);
        attributes.push({ name: key.value, type: exprToType(item.value, text), range: item.range });
      } else if (target.kind === 'Name' && target.id === '__annotations__') {
        // Older archives open with `__annotations__ = []` before filling it in.
      } else if (target.kind === 'Name') {
        declare(target.id, item.range);
        constants.push({ name: target.id, type: item.annotation, value: item.value, range: item.range });
      } else {
        throw layoutError(item.range, `unexpected assignment in class '${def.name}'`, text);
      }
    }
  }
  return {
    name: def.name,
    flavor,
    parameters: lists.get('__parameters__') ?? [],
    buffers: lists.get('__buffers__') ?? [],
    constantNames: lists.get('__constants__') ?? [],
    attributes,
    constants,
    methods,
  };
}

/** The flavor implied by the last component of each base name. */
export function classFlavor(def: ClassDef): ClassFlavor {
  for (const base of def.bases) {
    if (base.kind === 'TypeNone') continue;
    const last = base.name.slice(base.name.lastIndexOf('.') + 1);
    if (last === 'Module') return 'module';
    if (last === 'NamedTuple') return 'namedtuple';
    if (last === 'ModuleInterface') return 'module-interface';
    if (last === 'Interface') return 'interface';
    if (last === 'Enum') return 'enum';
  }
  return 'class';
}

function stringList(value: Expr, what: string, text: string | undefined): string[] {
  if (value.kind !== 'List')
    throw layoutError(value.range, `${what} must be a list of attribute names`, text);
  return value.elements.map((element) => {
    if (element.kind !== 'String')
      throw layoutError(element.range, `${what} must be a list of attribute names`, text);
    return element.value;
  });
}

function layoutError(range: SourceRange, reason: string, text: string | undefined): IRParseError {
  return new IRParseError(
    { file: range.file, line: range.line, column: range.column },
    reason,
    text,
    'TS_CLASS_LAYOUT',
  );
}
