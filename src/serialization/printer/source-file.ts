// One printed source file of an archive (`code/__torch__/foo.py`): class definitions with their
// `__parameters__`/`__buffers__` lists, typed attributes, `Final` constants and methods; interfaces,
// named tuples and free functions. Layout as PyTorch's serializer writes it.

import { UnsupportedError } from '../../errors.js';
import type { TupleType } from '../../ir/types.js';
import type { ClassType } from '../../module/class-type.js';
import type { Function } from '../../module/function.js';
import type { InterfaceDecl } from '../../module/interface-decl.js';
import { baseName } from '../../module/qualified-name.js';
import type { PrintContext } from './context.js';
import { FunctionPrinter } from './function-printer.js';
import { formatConstant } from './literals.js';
import { isValidIdentifier } from './names.js';

/** Accumulates the text of one file; every definition printed through it shares its name counters. */
export class SourceFile {
  private readonly out: string[] = [];

  constructor(readonly cx: PrintContext) {}

  /** The file's text so far. */
  text(): string {
    return this.out.join('');
  }

  /** A free function, or a method as `module.code` shows it (`printSelfType` false). */
  printFunction(fn: Function, printSelfType = true, level = 0): void {
    new FunctionPrinter(this.cx, this.out, level).printFunction(fn, printSelfType);
  }

  /** `class Name(Module):` with its members and methods. */
  printClass(cls: ClassType): void {
    const cx = this.cx;
    const name = baseName(cx.types.nameOf(cls));
    this.out.push(`class ${name}${cls.isModule ? '(Module)' : ''}:\n`);
    const line = (text: string): void => {
      this.out.push(`  ${text}\n`);
    };
    const attributes = cls.attributes;
    if (cls.isModule) {
      const names = (kind: 'parameter' | 'buffer'): string =>
        attributes
          .filter((a) => a.kind === kind)
          .map((a) => `"${a.name}", `)
          .join('');
      line(`__parameters__ = [${names('parameter')}]`);
      line(`__buffers__ = [${names('buffer')}]`);
    }
    attributes.forEach((attr, i) => {
      cx.deps.addType(attr.type);
      const type = cx.types.annotation(attr.type);
      if (isValidIdentifier(attr.name)) {
        line(`${attr.name} : ${type}`);
      } else {
        // ModuleList children are named "0", "1", ...: declared through __annotations__ (PyTorch only
        // initializes it when the very first attribute needs it, and the importer accepts that).
        if (i === 0) line('__annotations__ = []');
        line(`__annotations__["${attr.name}"] = ${type}`);
      }
    });
    for (const c of cls.constants) {
      line(
        `${c.name} : Final[${cx.types.annotation(c.type)}] = ${formatConstant(c.value, c.type, cx.constants, cx.nonAsciiLiterals)}`,
      );
    }
    for (const method of cls.methods) this.printFunction(method, true, 1);
  }

  /** `class Name(ModuleInterface):` with one `def m(self, ...) -> T:` / `pass` per required method. */
  printInterface(decl: InterfaceDecl): void {
    const cx = this.cx;
    const name = baseName(cx.types.nameOf(decl));
    this.out.push(`class ${name}(${decl.isModule ? 'ModuleInterface' : 'Interface'}):\n`);
    for (const m of decl.methods) {
      const args = m.arguments.map((a) => {
        cx.deps.addType(a.type);
        return `, ${a.name}: ${cx.types.annotation(a.type)}`;
      });
      const ret = m.returns[0];
      if (ret === undefined)
        throw new UnsupportedError(
          `interface method ${decl.qualifiedName}.${m.name} has no return type`,
          'UNSERIALIZABLE',
        );
      cx.deps.addType(ret);
      this.out.push(`  def ${m.name}(self${args.join('')}) -> ${cx.types.annotation(ret)}:\n    pass\n`);
    }
  }

  /** `class Name(NamedTuple):` with one typed line per field. */
  printNamedTuple(tuple: TupleType): void {
    const cx = this.cx;
    const name = baseName(cx.types.nameOf(tuple));
    this.out.push(`class ${name}(NamedTuple):\n`);
    tuple.elements.forEach((t, i) => {
      cx.deps.addType(t);
      this.out.push(`  ${tuple.names?.[i] ?? `_${i}`} : ${cx.types.annotation(t)}\n`);
    });
  }
}
