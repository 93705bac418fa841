// Signatures of TorchScript functions: from a `def`'s annotations and defaults to a FunctionSignature
// (what the module layer stores), and from a signature to an operator-style FunctionSchema so calls to
// methods and functions are matched exactly like operator calls (PyTorch matches both with matchSchema).

import { Graph } from '../../ir/graph.js';
import { normalizeInt, Tuple, type IValue } from '../../ir/ivalue.js';
import {
  BoolType,
  FloatType,
  IntType,
  ListType,
  NoneType,
  OptionalType,
  StringType,
  TensorTensor,
  TupleType,
  type NamedClassType,
  type Type,
} from '../../ir/types.js';
import type { FunctionArgument, FunctionSignature } from '../../module/function.js';
import { Argument, FunctionSchema } from '../../ops/schema.js';
import type { Expr, FunctionDef } from '../torchscript/ast.js';
import { compileError } from './emit-errors.js';
import { meaningfulName } from './frames.js';
import { resolveTypeExpr, type NamedTypeResolver } from './type-exprs.js';

/** A signature whose return type may still be unknown (a def without `-> T`: inferred when compiled). */
export interface DefSignature extends FunctionSignature {
  readonly returnsKnown: boolean;
}

/**
 * The signature of `def`: `self` typed `selfType` for methods, unannotated parameters are Tensors (as in
 * TorchScript), defaults must be constants. Throws TS_COMPILE at the offending annotation or default.
 */
export function signatureFromDef(
  def: FunctionDef,
  resolve: NamedTypeResolver,
  text: string,
  selfType?: NamedClassType,
): DefSignature {
  const args: FunctionArgument[] = def.params.map((p, i) => {
    if (i === 0 && selfType) return { name: p.name, type: selfType };
    const type = p.annotation ? resolveTypeExpr(p.annotation, resolve, text) : TensorTensor;
    if (p.default === null) return { name: p.name, type };
    return { name: p.name, type, defaultValue: constantFromExpr(p.default, type, text) };
  });
  if (selfType && def.params.length === 0)
    throw compileError(def.range, 'methods must have a self argument', text);
  const returns = def.returns ? [resolveTypeExpr(def.returns, resolve, text)] : [];
  return { arguments: args, returns, returnsKnown: def.returns !== null };
}

/** A graph whose inputs are the signature's arguments (named after the parameters), ready for the body. */
export function graphForSignature(signature: FunctionSignature): Graph {
  const graph = new Graph();
  for (const a of signature.arguments) graph.addInput(a.type, meaningfulName(a.name) ? a.name : undefined);
  return graph;
}

/** A constant expression (parameter default, class constant): a literal, None, a negated number, or a list/tuple of those. */
export function constantFromExpr(expr: Expr, type: Type, text: string): IValue {
  switch (expr.kind) {
    case 'Int':
      return normalizeInt(expr.value);
    case 'Float':
      return expr.value;
    case 'String':
      return expr.value;
    case 'Bool':
      return expr.value;
    case 'None':
      return null;
    case 'UnaryOp':
      if (expr.op === '-' && (expr.operand.kind === 'Int' || expr.operand.kind === 'Float')) {
        const v = constantFromExpr(expr.operand, type, text);
        return typeof v === 'bigint' ? normalizeInt(-v) : -(v as number);
      }
      break;
    case 'List': {
      const elem = type instanceof ListType ? type.elem : type;
      return expr.elements.map((e) => constantFromExpr(e, elem, text));
    }
    case 'Tuple': {
      const elems = type instanceof TupleType ? type.elements : [];
      return new Tuple(expr.elements.map((e, i) => constantFromExpr(e, elems[i] ?? type, text)));
    }
    default:
      break;
  }
  throw compileError(expr.range, 'default arguments must be constants', text);
}

/** The type a default's constant gets: ints stay ints, numbers of a float argument are floats. */
export function defaultConstantType(value: IValue, type: Type): Type | undefined {
  if (value === null) return NoneType;
  const t = type instanceof OptionalType ? type.elem : type;
  if (typeof value === 'number')
    return t.kind === 'float' ? FloatType : Number.isInteger(value) ? IntType : FloatType;
  if (typeof value === 'bigint') return IntType;
  if (typeof value === 'boolean') return BoolType;
  if (typeof value === 'string') return StringType;
  if (Array.isArray(value) && t instanceof ListType) return t;
  return undefined;
}

const schemaCache = new WeakMap<FunctionSignature, FunctionSchema>();

/** An operator-style schema for a function signature, so calls to it match like operator calls (cached per signature). */
export function schemaOfSignature(
  name: string,
  signature: FunctionSignature,
  isMethod: boolean,
): FunctionSchema {
  const cached = schemaCache.get(signature);
  if (cached && cached.name === qualifyOpName(name)) return cached;
  const schema = buildSchema(name, signature, isMethod);
  schemaCache.set(signature, schema);
  return schema;
}

function buildSchema(name: string, signature: FunctionSignature, isMethod: boolean): FunctionSchema {
  const args = signature.arguments.map(
    (a, i) =>
      new Argument({
        name: isMethod && i === 0 ? 'self' : a.name,
        type: a.type,
        defaultValue: a.defaultValue,
        defaultType: a.defaultValue === undefined ? undefined : defaultConstantType(a.defaultValue, a.type),
        kwargOnly: a.kwargOnly,
      }),
  );
  const returns = signature.returns.map((t) => new Argument({ name: '', type: t }));
  return new FunctionSchema({ name: qualifyOpName(name), arguments: args, returns });
}

// FunctionSchema names look like `ns::op`; user functions keep their dotted name after a pseudo namespace.
function qualifyOpName(name: string): string {
  return name.includes('::') ? name : `fn::${name}`;
}
