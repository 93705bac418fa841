// Imports the TorchScript code of an archive on demand (PyTorch's SourceImporter): `__torch__.a.b.C` is
// looked up in code/__torch__/a/b.py, parsed once, and each class, interface, named tuple or free function
// is defined the first time something asks for it; methods are compiled right after their class is defined.

import type { IValue } from '../../ir/ivalue.js';
import { AnyType, type NamedClassType, TupleType, type Type } from '../../ir/types.js';
import { ClassType } from '../../module/class-type.js';
import type { CompilationUnit } from '../../module/compilation-unit.js';
import { Function } from '../../module/function.js';
import { InterfaceDecl } from '../../module/interface-decl.js';
import type { OperatorRegistry } from '../../ops/registry.js';
import {
  constantFromExpr,
  graphForSignature,
  signatureFromDef,
  type DefSignature,
} from '../emitter/signature.js';
import { emitFunctionBody } from '../emitter/emit-function.js';
import type { CodeConstant, EmitterHost } from '../emitter/function-emitter.js';
import { compileError } from '../emitter/emit-errors.js';
import { resolveTypeExpr } from '../emitter/type-exprs.js';
import type { Sugared } from '../emitter/sugared.js';
import type { ClassDef, FunctionDef, SourceModule } from '../torchscript/ast.js';
import { summarizeClass } from '../torchscript/class-summary.js';
import { parseSource } from '../torchscript/parser.js';
import type { ZipArchive } from '../zip/read-archive.js';

/** A definition found in a code file but not defined yet. */
interface PendingDef {
  readonly def: ClassDef | FunctionDef;
  readonly module: SourceModule;
}

/** A function whose graph has inputs but no body yet. */
interface Uncompiled {
  readonly fn: Function;
  readonly def: FunctionDef;
  readonly module: SourceModule;
  readonly signature: DefSignature;
  readonly selfType?: NamedClassType;
}

/** Options of the importer. */
export interface SourceImporterOptions {
  readonly registry: OperatorRegistry;
  /** The constant table; may be filled later, inside {@link SourceImporter.deferCompilation}. */
  readonly constants: readonly CodeConstant[];
  readonly cu: CompilationUnit;
}

/** Resolves qualified names to the types and functions of an archive's code, defining them lazily. */
export class SourceImporter implements EmitterHost {
  readonly registry: OperatorRegistry;
  readonly constants: readonly CodeConstant[];
  readonly cu: CompilationUnit;
  private readonly parsed = new Set<string>();
  private readonly pending = new Map<string, PendingDef>();
  private readonly namedTuples = new Map<string, TupleType>();
  private readonly uncompiled = new Map<Function, Uncompiled>();
  private readonly compiling = new Set<Function>();
  private warnId = 0;
  /** Functions declared while compilation is deferred, compiled when it ends. */
  private deferred: Uncompiled[] | undefined;

  constructor(
    private readonly archive: ZipArchive,
    options: SourceImporterOptions,
  ) {
    this.registry = options.registry;
    this.constants = options.constants;
    this.cu = options.cu;
  }

  /** The code entry that defines names under `qualifier`: `code/__torch__/a/b.py` for `__torch__.a.b`. */
  static entryFor(qualifier: string): string {
    return `code/${qualifier.split('.').join('/')}.py`;
  }

  /** What error messages call a code entry: `<archive>:code/...py`. */
  private fileName(entry: string): string {
    return `${this.archive.source}:${entry}`;
  }

  private parseIfNeeded(qualifier: string): void {
    if (qualifier === '' || this.parsed.has(qualifier)) return;
    this.parsed.add(qualifier);
    const entry = SourceImporter.entryFor(qualifier);
    if (!this.archive.has(entry)) return;
    const module = parseSource(this.archive.readText(entry), this.fileName(entry));
    for (const item of module.body) {
      if (item.kind === 'ClassDef' || item.kind === 'FunctionDef')
        this.pending.set(`${qualifier}.${item.name}`, { def: item, module });
    }
  }

  private takePending(name: string): PendingDef | undefined {
    const dot = name.lastIndexOf('.');
    if (dot < 0) return undefined;
    this.parseIfNeeded(name.slice(0, dot));
    const found = this.pending.get(name);
    if (found) this.pending.delete(name);
    return found;
  }

  /**
   * Runs `fill` with method and function bodies left uncompiled, then compiles them: constants.pkl is
   * restored this way, since the classes of its objects may use constants later in the table (PyTorch
   * compiles lazily, so it never sees a partly filled table either).
   */
  deferCompilation(fill: () => void): void {
    const outer = this.deferred;
    const deferred: Uncompiled[] = (this.deferred = []);
    try {
      fill();
    } finally {
      this.deferred = outer;
    }
    for (const u of deferred) if (this.uncompiled.has(u.fn)) this.compileOrDefer(u);
  }

  /** The class, interface or named tuple called `name`, defining it first if needed. */
  findNamedType(name: string): Type | undefined {
    const p = this.takePending(name);
    if (p && p.def.kind === 'ClassDef') this.importClass(name, p.def, p.module);
    else if (p) this.pending.set(name, p);
    return this.namedTuples.get(name) ?? this.cu.getType(name);
  }

  /** The free function called `name`, defining (and compiling) it first if needed. */
  findFunction(name: string): Function | undefined {
    const p = this.takePending(name);
    if (p && p.def.kind === 'FunctionDef') this.importFunction(name, p.def, p.module);
    else if (p) this.pending.set(name, p);
    return this.cu.findFunction(name);
  }

  // ---- EmitterHost ----------------------------------------------------------------------------

  resolveType(qualifiedName: string): Type | undefined {
    return this.findNamedType(qualifiedName);
  }

  resolveValue(qualifiedName: string): Sugared | undefined {
    if (!qualifiedName.startsWith('__torch__.')) return undefined;
    const type = this.findNamedType(qualifiedName);
    if (type instanceof TupleType && type.names) return { kind: 'namedtuple', type };
    if (type instanceof ClassType) return { kind: 'class', type };
    const fn = this.findFunction(qualifiedName);
    return fn ? { kind: 'function', fn } : undefined;
  }

  ensureSignature(fn: Function): void {
    const u = this.uncompiled.get(fn);
    if (u && !u.signature.returnsKnown) this.compile(u);
  }

  nextWarnId(): number {
    return this.warnId++;
  }

  // ---- definitions ----------------------------------------------------------------------------

  private typeOf(module: SourceModule): (expr: import('../torchscript/ast.js').TypeExpr) => Type {
    return (expr) => resolveTypeExpr(expr, (n) => this.findNamedType(n), module.text);
  }

  private importClass(name: string, def: ClassDef, module: SourceModule): void {
    const summary = summarizeClass(def, module.text);
    const typeOf = this.typeOf(module);
    switch (summary.flavor) {
      case 'namedtuple': {
        const fields = summary.attributes;
        this.namedTuples.set(
          name,
          new TupleType(
            fields.map((f) => typeOf(f.type)),
            fields.map((f) => f.name),
            name,
          ),
        );
        return;
      }
      case 'interface':
      case 'module-interface': {
        const iface = new InterfaceDecl(name, {
          cu: this.cu,
          isModule: summary.flavor === 'module-interface',
        });
        for (const m of summary.methods) {
          const sig = signatureFromDef(m, (n) => this.findNamedType(n), module.text, iface);
          iface.addMethod(m.name, { arguments: sig.arguments.slice(1), returns: sig.returns });
        }
        return;
      }
      case 'enum':
        throw compileError(def.range, `enum class ${name} is not supported`, module.text, 'TS_UNSUPPORTED');
      default:
        break;
    }
    const type = new ClassType(name, { cu: this.cu, isModule: summary.flavor === 'module' });
    for (const a of summary.attributes) {
      const t = typeOf(a.type);
      // A slot typed by a module interface holds a submodule, like one typed by a module class.
      const isSubmodule = t instanceof InterfaceDecl && t.isModule;
      const kind = summary.parameters.includes(a.name)
        ? 'parameter'
        : summary.buffers.includes(a.name)
          ? 'buffer'
          : isSubmodule
            ? 'module'
            : 'attribute';
      type.addAttribute(a.name, t, kind);
    }
    for (const c of summary.constants) {
      const t = c.type ? typeOf(c.type) : undefined;
      const value: IValue = constantFromExpr(c.value, t ?? AnyType, module.text);
      type.addConstant(c.name, value, t);
    }
    const methods: Uncompiled[] = summary.methods.map((m) => this.declare(m, module, type));
    for (const u of methods) type.addMethod(u.fn);
    for (const u of methods) if (this.uncompiled.has(u.fn)) this.compileOrDefer(u);
  }

  private importFunction(name: string, def: FunctionDef, module: SourceModule): void {
    const u = this.declare(def, module, undefined, name);
    this.cu.registerFunction(u.fn);
    if (this.uncompiled.has(u.fn)) this.compileOrDefer(u);
  }

  private compileOrDefer(u: Uncompiled): void {
    if (this.deferred) this.deferred.push(u);
    else this.compile(u);
  }

  // Makes the Function (signature and input-only graph) so calls to it can be emitted before its body is.
  private declare(
    def: FunctionDef,
    module: SourceModule,
    owner?: NamedClassType,
    qualifiedName?: string,
  ): Uncompiled {
    const signature = signatureFromDef(def, (n) => this.findNamedType(n), module.text, owner);
    const fn = new Function({
      name: def.name,
      graph: graphForSignature(signature),
      owner,
      qualifiedName,
      signature: signature.returnsKnown ? signature : undefined,
      sourceCode: sourceOf(module, def),
    });
    const u: Uncompiled = { fn, def, module, signature, selfType: owner };
    this.uncompiled.set(fn, u);
    return u;
  }

  private compile(u: Uncompiled): void {
    if (this.compiling.has(u.fn)) {
      throw compileError(
        u.def.range,
        `function '${u.fn.qualifiedName}' is called recursively: recursive calls are not supported`,
        u.module.text,
      );
    }
    this.compiling.add(u.fn);
    try {
      emitFunctionBody({
        host: this,
        def: u.def,
        text: u.module.text,
        selfType: u.selfType,
        signature: u.signature,
        qualifiedName: u.fn.qualifiedName,
        graph: u.fn.graph,
      });
    } finally {
      this.compiling.delete(u.fn);
    }
    this.uncompiled.delete(u.fn);
  }
}

const lineStartCache = new WeakMap<object, number[]>();

/** The source lines of a def, as the archive has them (where each line starts is found once per file). */
function sourceOf(module: SourceModule, def: FunctionDef): string {
  let starts = lineStartCache.get(module);
  const text = module.text;
  if (!starts) {
    starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    lineStartCache.set(module, starts);
  }
  // Lines line..endLine (1-based, clamped to the file) without the line feed that ends the last one.
  const first = def.range.line - 1;
  if (first >= starts.length) return '';
  const end = def.range.endLine < starts.length ? starts[def.range.endLine] - 1 : text.length;
  return text.slice(starts[first], end);
}
