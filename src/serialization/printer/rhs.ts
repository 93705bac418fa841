// The right-hand side of one node as TorchScript source: the special spellings (`x[i]`, `(t)[0]`,
// `self.w`, `(m).forward(x, )`, `int(x)`, `[a, b]`, `annotate(...)`) and `torch.op(...)` / `ops.ns.op(...)`
// calls with kwarg-only names and without trailing defaults, as PyTorch's python_print.cpp writes them.

import { UnsupportedError } from '../../errors.js';
import { FunctionRef } from '../../ir/ivalue.js';
import { constantValue } from '../../ir/constants.js';
import type { Node } from '../../ir/node.js';
import { DictType, ListType, NamedClassType, OptionalType, TupleType, type Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import type { PrintContext } from './context.js';
import { elementTypeCanBeInferredFromMembers, formatConstant } from './literals.js';
import { isValidIdentifier } from './names.js';
import { necessaryArgs } from './necessary-args.js';
import { quoteString } from '../../ir/text/index.js';

/** What the RHS printer needs from the function being printed. */
export interface RhsHost {
  readonly cx: PrintContext;
  /** How `value` reads at its use: a local name or an inlined expression. */
  useOf(value: Value): string;
}

/** Source spelling of an operator name: `torch.add` for aten, `ops.prim.dtype` otherwise. */
export function opName(kind: string): string {
  if (kind === 'aten::backward') return 'torch.autograd.backward';
  if (kind === 'aten::grad') return 'torch.autograd.grad';
  const [ns, name] = kind.split('::');
  return ns === 'aten' ? `torch.${name}` : `ops.${ns}.${name}`;
}

const list = (h: RhsHost, values: readonly Value[]): string => values.map((v) => h.useOf(v)).join(', ');

/** True for a prim::Constant that holds no value (None). */
function mustBeNone(node: Node): boolean {
  const t = node.output().type;
  return t.kind === 'None' || (t instanceof OptionalType && !node.hasAttribute('value'));
}

/** The expression node `node` computes (its outputs are assigned or inlined by the caller). */
export function printRHS(h: RhsHost, node: Node): string {
  const cx = h.cx;
  const type = (v: Type): string => cx.types.annotation(v);
  const out = (): Type => node.output().type;
  switch (node.kind) {
    case 'prim::PythonOp':
      throw new UnsupportedError(
        'cannot export a Python function call: remove calls to Python functions before saving',
        'UNSERIALIZABLE',
      );
    case 'prim::Uninitialized':
      return `uninitialized(${type(out())})`;
    case 'prim::Constant': {
      if (out().kind === 'Function') {
        const ref = constantValue(node);
        if (!(ref instanceof FunctionRef))
          throw new UnsupportedError('a Function constant without a name', 'UNSERIALIZABLE');
        return cx.deps.addFunction(ref);
      }
      if (mustBeNone(node)) return 'None';
      return formatConstant(constantValue(node), out(), cx.constants, cx.nonAsciiLiterals);
    }
    case 'aten::ScalarImplicit':
    case 'aten::FloatImplicit':
    case 'aten::IntImplicit':
      return `annotate(${type(out())}, ${h.useOf(node.input())})`;
    case 'aten::Int':
      return `int(${list(h, node.inputs)})`;
    case 'aten::Float':
      return `float(${list(h, node.inputs)})`;
    case 'aten::Bool':
      return `bool(${list(h, node.inputs)})`;
    case 'aten::str':
      return `str(${list(h, node.inputs)})`;
    case 'prim::Print':
      return `print(${list(h, node.inputs)})`;
    case 'aten::sorted':
      return `sorted(${list(h, node.inputs)})`;
    case 'aten::__getitem__': {
      const base = h.useOf(node.input(0));
      return `${isValidIdentifier(base) ? base : `(${base})`}[${h.useOf(node.input(1))}]`;
    }
    case 'prim::TupleConstruct': {
      const t = out();
      const prefix = t instanceof TupleType && t.qualifiedName ? type(t) : '';
      return `${prefix}(${list(h, node.inputs)}${node.inputs.length === 1 ? ',)' : ')'}`;
    }
    case 'prim::TupleIndex':
      return `(${h.useOf(node.input(0))})[${h.useOf(node.input(1))}]`;
    case 'prim::TupleSlice':
      return `(${h.useOf(node.input())})[${String(node.i('beg'))}:${String(node.i('end'))}]`;
    case 'prim::ListConstruct': {
      const t = out();
      const elem = t instanceof ListType ? t.elem : undefined;
      const body = `[${list(h, node.inputs)}]`;
      if (node.inputs.length === 0) return `annotate(${type(t)}, [])`;
      if (elem && !elementTypeCanBeInferredFromMembers(elem)) return `annotate(${type(t)}, ${body})`;
      return body;
    }
    case 'prim::DictConstruct': {
      const t = out();
      const entries: string[] = [];
      for (let i = 0; i + 1 < node.inputs.length; i += 2) {
        entries.push(`${h.useOf(node.input(i))}: ${h.useOf(node.input(i + 1))}`);
      }
      const body = `{${entries.join(', ')}}`;
      const ambiguous =
        t instanceof DictType &&
        (!elementTypeCanBeInferredFromMembers(t.key) || !elementTypeCanBeInferredFromMembers(t.value));
      return node.inputs.length === 0 || ambiguous ? `annotate(${type(t)}, ${body})` : body;
    }
    case 'prim::CreateObject':
      return `${type(out())}.__new__(${type(out())})`;
    case 'prim::GetAttr': {
      const field = node.s('name');
      const obj = h.useOf(node.input());
      return isValidIdentifier(field) ? `${obj}.${field}` : `getattr(${obj}, ${quoteString(field)})`;
    }
    case 'prim::CallFunction':
      return `${h.useOf(node.input(0))}(${node.inputs
        .slice(1)
        .map((v) => `${h.useOf(v)}, `)
        .join('')})`;
    case 'prim::CallMethod': {
      const self = node.input(0);
      if (!(self.type instanceof NamedClassType)) {
        throw new UnsupportedError(`method call on a value of type ${self.type.str()}`, 'UNSERIALIZABLE');
      }
      cx.deps.addType(self.type);
      const args = node.inputs
        .slice(1)
        .map((v) => `${h.useOf(v)}, `)
        .join('');
      return `(${h.useOf(self)}).${node.s('name')}(${args})`;
    }
    case 'aten::_unwrap_optional': {
      const input = node.input();
      // unwrap_optional(None) cannot be typed by matching: annotate the None with the optional type.
      const arg =
        input.type.kind === 'None' || (input.node.kind === 'prim::Constant' && mustBeNone(input.node))
          ? `annotate(${type(new OptionalType(out()))}, ${h.useOf(input)})`
          : h.useOf(input);
      return `${opName(node.kind)}(${arg})`;
    }
    case 'prim::unchecked_unwrap_optional':
    case 'prim::unchecked_cast':
      return `unchecked_cast(${type(out())}, ${h.useOf(node.input())})`;
    case 'prim::isinstance': {
      const types = node.attribute('types');
      const tys = types?.kind === 'tys' ? types.value : [];
      const spelled = tys.length === 1 ? type(tys[0]) : `(${tys.map(type).join(', ')})`;
      return `isinstance(${h.useOf(node.input())}, ${spelled})`;
    }
    case 'prim::tolist':
      return `annotate(${type(out())}, ${h.useOf(node.input(0))}.tolist())`;
    case 'prim::EnumValue':
      return `(${h.useOf(node.input())}).value`;
    case 'prim::EnumName':
      return `(${h.useOf(node.input())}).name`;
    default:
      return printCall(h, node);
  }
}

// `torch.op(a, b, kw=c)`: kwarg-only arguments named, trailing defaults dropped, `out=` arguments named.
function printCall(h: RhsHost, node: Node): string {
  const schema = h.cx.registry.schemaForNode(node);
  const args = schema?.arguments ?? [];
  if (args.length === 0) return `${opName(node.kind)}(${list(h, node.inputs)})`;
  const { necessary, outs } = necessaryArgs(args, node.inputs);
  const parts: string[] = [];
  for (let i = 0; i < necessary; i++) {
    const arg = args[i];
    const v = h.useOf(node.input(i));
    parts.push(arg && arg.kwargOnly ? `${arg.name}=${v}` : v);
  }
  for (let i = args.length - outs; i < args.length; i++)
    parts.push(`${args[i].name}=${h.useOf(node.input(i))}`);
  return `${opName(node.kind)}(${parts.join(', ')})`;
}
