// Parses types as PyTorch's IR printer writes them: `Tensor`, `Float(2, 3, strides=[3, 1], requires_grad=0,
// device=cpu)`, `int?`, `Tensor?[]`, `Dict(str, Tensor)`, `(Tensor, int)`, `NamedTuple(a : T, ...)`,
// `__torch__.a.___torch_mangle_3.B`, `InterfaceType<Name>`, `Union(...)`, `Future[...]`.

import { dtypeFromIrName, type DType } from '../../tensor/dtype.js';
import {
  AnyListType,
  AnyTupleType,
  DictType,
  FunctionType,
  FutureType,
  InterfaceType,
  ListType,
  NamedClassType,
  NumberType,
  OptionalType,
  TensorType,
  TupleType,
  UnionType,
  type TensorTypeInfo,
  type Type,
} from '../types.js';
import { Lexer } from './lexer.js';
import { SHARED_SIMPLE_TYPES } from '../simple-type-names.js';

/**
 * Maps a class name found in IR text onto a class type; return undefined to get the default
 * (a fresh NamedClassType, or InterfaceType for `InterfaceType<Name>`, shared within one parse).
 * `kind` says which syntax named it; for interfaces PyTorch prints only the last name component.
 */
export type ResolveClass = (name: string, kind: 'class' | 'interface') => NamedClassType | undefined;

const SIMPLE_TYPES: ReadonlyMap<string, Type> = new Map<string, Type>([
  ...SHARED_SIMPLE_TYPES,
  ['number', NumberType],
  ['Function', FunctionType],
  ['list', AnyListType],
  ['tuple', AnyTupleType],
]);

/** Reads types from a Lexer; one instance per parse so class types are shared by name. */
export class TypeParser {
  private readonly classes = new Map<string, NamedClassType>();

  constructor(
    private readonly lx: Lexer,
    private readonly resolveClass?: ResolveClass,
  ) {}

  // Types are immutable: equal texts share one instance (less memory, and the printer caches per instance).
  private readonly byText = new Map<string, Type>();

  /** Parses one type at the lexer's position (leading spaces allowed). */
  parse(): Type {
    const lx = this.lx;
    lx.skipSpaces();
    const start = lx.pos;
    const type = this.parseUncached();
    const text = lx.text.slice(start, lx.pos);
    const shared = this.byText.get(text);
    if (shared) return shared;
    this.byText.set(text, type);
    return type;
  }

  private parseUncached(): Type {
    return this.lx.nested(() => this.postfix(this.primary()));
  }

  // Postfix `?` and `[]` bind left to right: `Tensor?[]` is a list of optionals. Each one nests a level.
  private postfix(type: Type): Type {
    const lx = this.lx;
    if (lx.eat('?')) return lx.nested(() => this.postfix(new OptionalType(type)));
    if (lx.lookingAt('[]')) {
      lx.pos += 2;
      return lx.nested(() => this.postfix(new ListType(type)));
    }
    return type;
  }

  private primary(): Type {
    const lx = this.lx;
    const start = lx.pos;
    if (lx.eat('(')) return new TupleType(this.list(')', () => this.parse()));
    const name = lx.readDottedWord();
    if (name === '' || /^\d/.test(name)) throw lx.error(`expected a type${lx.found()}`, start);
    switch (name) {
      case 'Dict': {
        lx.expect('(', "'(' after Dict");
        const key = this.parse();
        lx.expect(',', "',' between the key and value types of Dict");
        const value = this.parse();
        lx.expect(')', "')' closing Dict(");
        return new DictType(key, value);
      }
      case 'Union':
        lx.expect('(', "'(' after Union");
        return new UnionType(this.list(')', () => this.parse()));
      case 'Future': {
        // PyTorch prints Future[T]; its schema parser reads Future(T): accept both.
        lx.skipSpaces();
        const close = lx.eat('[') ? ']' : lx.eat('(') ? ')' : undefined;
        if (!close) throw lx.error(`expected '[' after Future${lx.found()}`);
        const elem = this.parse();
        lx.expect(close, `'${close}' closing Future`);
        return new FutureType(elem);
      }
      case 'NamedTuple':
        return this.namedTuple();
      case 'InterfaceType': {
        lx.expect('<', "'<' after InterfaceType");
        lx.skipSpaces();
        const nameStart = lx.pos;
        const iname = lx.readDottedWord();
        if (!iname) throw lx.error(`expected an interface name${lx.found()}`, nameStart);
        lx.expect('>', "'>' closing InterfaceType<");
        return this.classType(iname, 'interface');
      }
    }
    const simple = SIMPLE_TYPES.get(name);
    if (simple) {
      if (name === 'Tensor' && lx.peek() === 0x28) return this.tensorDetails(undefined, lx.pos);
      return simple;
    }
    const dtype = tensorHead(name);
    if (dtype) {
      if (name.endsWith('Tensor') && name !== 'Tensor') {
        // `FloatTensor`: dtype known, rank unknown; may still carry (requires_grad=.., device=..).
        return lx.peek() === 0x28 ? this.tensorDetails(dtype, lx.pos, false) : new TensorType({ dtype });
      }
      if (lx.peek() !== 0x28) throw lx.error(`expected '(' after tensor type ${name}${lx.found()}`);
      return this.tensorDetails(dtype, lx.pos);
    }
    if (name.includes('.')) return this.classType(name, 'class');
    throw lx.error(`unknown type '${name}'`, start);
  }

  private classType(name: string, kind: 'class' | 'interface'): NamedClassType {
    const key = `${kind}:${name}`;
    let t = this.classes.get(key);
    if (!t) {
      t =
        this.resolveClass?.(name, kind) ??
        (kind === 'interface' ? new InterfaceType(name) : new NamedClassType(name));
      this.classes.set(key, t);
    }
    return t;
  }

  private namedTuple(): Type {
    const lx = this.lx;
    lx.expect('(', "'(' after NamedTuple");
    const names: string[] = [];
    const elements = this.list(')', () => {
      lx.skipSpaces();
      const at = lx.pos;
      const field = lx.readIdent();
      if (!field) throw lx.error(`expected a field name${lx.found()}`, at);
      lx.expect(':', `':' after NamedTuple field '${field}'`);
      names.push(field);
      return this.parse();
    });
    return new TupleType(elements, names);
  }

  // `(2, *, strides=[3, 1], requires_grad=0, device=cpu)`; pos is at '('. `ranked` is false for
  // `FloatTensor(...)`, whose parentheses hold only requires_grad/device.
  private tensorDetails(dtype: DType | undefined, open: number, ranked = true): TensorType {
    const lx = this.lx;
    lx.pos = open + 1;
    const sizes: (number | null)[] = [];
    let strides: (number | null)[] | undefined;
    let requiresGrad: boolean | undefined;
    let device: string | undefined;
    this.list(')', () => {
      lx.skipSpaces();
      const at = lx.pos;
      if (lx.eat('strides=')) {
        lx.expect('[', "'[' after strides=");
        strides = this.list(']', () => this.dim());
      } else if (lx.eat('requires_grad=')) {
        const v = lx.readNumber();
        if (v !== '0' && v !== '1')
          throw lx.error('requires_grad must be 0 or 1', at + 'requires_grad='.length);
        requiresGrad = v === '1';
      } else if (lx.eat('device=')) {
        const d = /[A-Za-z_]+(?::\d+)?/y;
        d.lastIndex = lx.pos;
        const m = d.exec(lx.text);
        if (!m) throw lx.error(`expected a device like cpu or cuda:0${lx.found()}`);
        lx.pos += m[0].length;
        device = m[0];
      } else {
        if (!ranked) throw lx.error(`expected requires_grad= or device=${lx.found()}`);
        if (strides || requiresGrad !== undefined || device !== undefined) {
          throw lx.error('sizes must come before strides=, requires_grad= and device=');
        }
        sizes.push(this.dim());
      }
      return null;
    });
    // PyTorch prints `Tensor(requires_grad=0)` for a tensor of unknown rank without dtype (with a
    // dtype it would print `FloatTensor(...)`); only `Tensor()` means rank 0 there.
    if (!dtype && sizes.length === 0 && (requiresGrad !== undefined || device !== undefined)) ranked = false;
    const info: TensorTypeInfo = {
      ...(dtype ? { dtype } : {}),
      ...(ranked ? { sizes } : {}),
      ...(strides ? { strides } : {}),
      ...(requiresGrad !== undefined ? { requiresGrad } : {}),
      ...(device !== undefined ? { device } : {}),
    };
    if (strides && strides.length !== sizes.length) {
      throw lx.error(`strides has ${strides.length} entries for ${sizes.length} sizes`, open);
    }
    return new TensorType(info);
  }

  private dim(): number | null {
    const lx = this.lx;
    lx.skipSpaces();
    if (lx.eat('*')) return null;
    const at = lx.pos;
    const n = lx.readNumber();
    if (n === undefined || !/^\d+$/.test(n))
      throw lx.error(`expected a size (a non-negative integer or *)${lx.found()}`, at);
    return Number(n);
  }

  // Comma-separated items up to `close` (the opening bracket is already consumed); allows `()`.
  private list<T>(close: string, item: () => T): T[] {
    const lx = this.lx;
    const out: T[] = [];
    lx.skipSpaces();
    if (lx.eat(close)) return out;
    for (;;) {
      out.push(item());
      lx.skipSpaces();
      if (lx.eat(close)) return out;
      if (!lx.eat(',')) throw lx.error(`expected ',' or '${close}'${lx.found()}`);
    }
  }
}

// `Float` -> float32; `FloatTensor` -> float32; anything else undefined.
function tensorHead(name: string): DType | undefined {
  return (
    dtypeFromIrName(name) ??
    (name.endsWith('Tensor') ? dtypeFromIrName(name.slice(0, -'Tensor'.length)) : undefined)
  );
}

/** Parses a whole string as one type, e.g. `parseType('Dict(str, Tensor)')`. Throws IRParseError. */
export function parseType(text: string, options: { resolveClass?: ResolveClass; file?: string } = {}): Type {
  const lx = new Lexer(text, options.file ?? '<type>');
  const type = new TypeParser(lx, options.resolveClass).parse();
  lx.skipSpaces();
  if (!lx.atEnd) throw lx.error(`unexpected text after the type${lx.found()}`);
  return type;
}
