// Prints a TorchScript source AST back to text in the layout torch.jit.save uses (2-space blocks,
// `def f(a: T,\n    b: U) -> R:`, `x : T` declarations), so parse(print(ast)) equals ast.
import { quoteString } from '../../ops/literals.js';
import type { Expr, Slice, SourceModule, TypeExpr } from './ast.js';
import type { ClassDef, ClassItem, FunctionDef, ModuleItem, Param, Stmt } from './ast-statements.js';

/** Prints a whole file; torch's layout where the AST records it (trailing commas, parentheses, literal spelling). */
export function printModuleSource(module: SourceModule): string {
  const lines: string[] = [];
  for (const item of module.body) printModuleItem(item, lines);
  return lines.map((line) => line + '\n').join('');
}

/** Prints statements at the given indentation (a string of spaces), one line per array entry. */
export function printStatements(statements: readonly Stmt[], indent: string, lines: string[]): void {
  if (statements.length === 0) lines.push(`${indent}pass`);
  for (const statement of statements) printStmt(statement, indent, lines);
}

/** Prints a type annotation: `Optional[Tensor]`, `Tuple[()]`, `None`. */
export function printType(type: TypeExpr): string {
  switch (type.kind) {
    case 'TypeNone':
      return 'None';
    case 'TypeName':
      return type.name;
    case 'TypeApply':
      return `${type.name}[${type.args.length === 0 ? '()' : type.args.map(printType).join(', ')}]`;
  }
}

function printModuleItem(item: ModuleItem, lines: string[]): void {
  switch (item.kind) {
    case 'Import':
      lines.push(
        `import ${item.names.map((n) => n.name + (n.asName === null ? '' : ` as ${n.asName}`)).join(', ')}`,
      );
      return;
    case 'ImportFrom':
      lines.push(
        `from ${item.module} import ${item.names.map((n) => n.name + (n.asName === null ? '' : ` as ${n.asName}`)).join(', ')}`,
      );
      return;
    case 'ClassDef':
      printClass(item, '', lines);
      return;
    default:
      printStmt(item, '', lines);
  }
}

function printClass(def: ClassDef, indent: string, lines: string[]): void {
  for (const decorator of def.decorators) lines.push(`${indent}@${printExpr(decorator)}`);
  const bases = def.bases.length === 0 ? '' : `(${def.bases.map(printType).join(', ')})`;
  lines.push(`${indent}class ${def.name}${bases}:`);
  // torch writes interface methods on one line and every other def with one parameter per line.
  const oneLineDefs = def.bases.some(
    (base) => base.kind === 'TypeName' && /(^|\.)(ModuleInterface|Interface)$/.test(base.name),
  );
  const inner = indent + '  ';
  if (def.body.length === 0) lines.push(`${inner}pass`);
  for (const item of def.body) printClassItem(item, inner, oneLineDefs, lines);
}

function printClassItem(item: ClassItem, indent: string, oneLineDefs: boolean, lines: string[]): void {
  if (item.kind === 'AttributeDecl') {
    const value = item.value === null ? '' : ` = ${printExpr(item.value)}`;
    lines.push(`${indent}${item.name} : ${printType(item.annotation)}${value}`);
  } else if (item.kind === 'FunctionDef') {
    printFunction(item, indent, oneLineDefs, lines);
  } else {
    printStmt(item, indent, lines);
  }
}

function printFunction(def: FunctionDef, indent: string, oneLine: boolean, lines: string[]): void {
  for (const decorator of def.decorators) lines.push(`${indent}@${printExpr(decorator)}`);
  const params = def.params.map(printParam).join(oneLine ? ', ' : ',\n    ');
  const returns = def.returns === null ? '' : ` -> ${printType(def.returns)}`;
  lines.push(`${indent}def ${def.name}(${params})${returns}:`);
  printStatements(def.body, indent + '  ', lines);
}

function printParam(param: Param): string {
  const annotation = param.annotation === null ? '' : `: ${printType(param.annotation)}`;
  const value = param.default === null ? '' : `=${printExpr(param.default, 1)}`;
  return `${param.name}${annotation}${value}`;
}

function printStmt(s: Stmt, indent: string, lines: string[]): void {
  const inner = indent + '  ';
  switch (s.kind) {
    case 'Assign': {
      const annotation =
        s.annotation === null ? '' : `${s.tightAnnotation ? '' : ' '}: ${printType(s.annotation)}`;
      lines.push(`${indent}${printExpr(s.target)}${annotation} = ${printExpr(s.value)}`);
      return;
    }
    case 'AugAssign':
      lines.push(`${indent}${printExpr(s.target)} ${s.op}= ${printExpr(s.value)}`);
      return;
    case 'If':
      lines.push(`${indent}if ${printExpr(s.test, 1)}:`);
      printStatements(s.body, inner, lines);
      if (s.orelse.length > 0) {
        lines.push(`${indent}else:`);
        printStatements(s.orelse, inner, lines);
      }
      return;
    case 'For':
      lines.push(`${indent}for ${printExpr(s.target)} in ${printExpr(s.iter)}:`);
      printStatements(s.body, inner, lines);
      return;
    case 'While':
      lines.push(`${indent}while ${printExpr(s.test, 1)}:`);
      printStatements(s.body, inner, lines);
      return;
    case 'With': {
      const items = s.items.map(
        (i) => printExpr(i.context, 1) + (i.target === null ? '' : ` as ${printExpr(i.target, 6)}`),
      );
      lines.push(`${indent}with ${items.join(', ')}:`);
      printStatements(s.body, inner, lines);
      return;
    }
    case 'Return':
      lines.push(`${indent}return${s.value === null ? '' : ' ' + printExpr(s.value)}`);
      return;
    case 'Raise':
      lines.push(`${indent}raise${s.exception === null ? '' : ' ' + printExpr(s.exception, 1)}`);
      return;
    case 'Assert':
      lines.push(
        `${indent}assert ${printExpr(s.test, 1)}${s.message === null ? '' : ', ' + printExpr(s.message, 1)}`,
      );
      return;
    case 'Delete':
      lines.push(`${indent}del ${s.targets.map((t) => printExpr(t, 6)).join(', ')}`);
      return;
    case 'Pass':
    case 'Break':
    case 'Continue':
      lines.push(`${indent}${s.kind.toLowerCase()}`);
      return;
    case 'ExprStmt':
      lines.push(`${indent}${printExpr(s.value)}`);
      return;
    case 'FunctionDef':
      printFunction(s, indent, false, lines);
      return;
  }
}

/** Binding strength of each expression form (Python's precedence, loosest = 0 for a bare tuple). */
function precedence(e: Expr): number {
  switch (e.kind) {
    case 'Tuple':
      return e.parens ? 15 : 0;
    case 'Ternary':
      return 1;
    case 'BoolOp':
      return e.op === 'or' ? 2 : 3;
    case 'UnaryOp':
      return e.op === 'not' ? 4 : 12;
    case 'Compare':
      return 5;
    case 'BinaryOp':
      return BINARY_PRECEDENCE[e.op];
    case 'Attribute':
    case 'Call':
    case 'Subscript':
      return 14;
    default:
      return 15;
  }
}

const BINARY_PRECEDENCE = {
  '|': 6,
  '^': 7,
  '&': 8,
  '<<': 9,
  '>>': 9,
  '+': 10,
  '-': 10,
  '*': 11,
  '/': 11,
  '//': 11,
  '%': 11,
  '@': 11,
  '**': 13,
} as const;

/**
 * Prints an expression. `minPrecedence` is the loosest form the position accepts without
 * parentheses (0: a bare tuple is fine, 1: any single expression, ...).
 */
export function printExpr(e: Expr, minPrecedence = 0): string {
  const text = printBare(e);
  // The empty tuple is only spelled `()`.
  const wrap =
    e.parens === true || precedence(e) < minPrecedence || (e.kind === 'Tuple' && e.elements.length === 0);
  return wrap ? `(${text})` : text;
}

function printBare(e: Expr): string {
  switch (e.kind) {
    case 'Name':
      return e.id;
    case 'Int':
      return e.raw ?? e.value.toString();
    case 'Float':
      return e.raw ?? formatFloat(e.value);
    case 'String':
      return e.raw ?? quoteString(e.value);
    case 'Bool':
      return e.value ? 'True' : 'False';
    case 'None':
      return 'None';
    case 'Ellipsis':
      return '...';
    case 'Attribute': {
      const receiver = printExpr(e.value, 14);
      return `${e.value.kind === 'Int' && !e.value.parens ? `(${receiver})` : receiver}.${e.attr}`;
    }
    case 'Call': {
      const args = [
        ...e.args.map((a) => printExpr(a, 1)),
        ...e.keywords.map((k) => `${k.name}=${printExpr(k.value, 1)}`),
      ];
      return `${printExpr(e.func, 14)}(${args.join(', ')}${e.trailingComma ? ', ' : ''})`;
    }
    case 'Subscript':
      return `${printExpr(e.value, 14)}[${e.indices.map(printIndex).join(', ')}${e.trailingComma ? ', ' : ''}]`;
    case 'List':
      return `[${e.elements.map((x) => printExpr(x, 1)).join(', ')}${e.trailingComma ? ', ' : ''}]`;
    case 'Tuple': {
      const items = e.elements.map((x) => printExpr(x, 1)).join(', ');
      return e.elements.length === 1 || e.trailingComma ? `${items},` : items;
    }
    case 'Dict': {
      const entries = e.entries.map((d) => `${printExpr(d.key, 1)}: ${printExpr(d.value, 1)}`);
      return `{${entries.join(', ')}${e.trailingComma ? ', ' : ''}}`;
    }
    case 'ListComp':
      return `[${printExpr(e.element, 1)}${printClauses(e.clauses)}]`;
    case 'DictComp':
      return `{${printExpr(e.key, 1)}: ${printExpr(e.value, 1)}${printClauses(e.clauses)}}`;
    case 'UnaryOp':
      return e.op === 'not' ? `not ${printExpr(e.operand, 4)}` : `${e.op}${printExpr(e.operand, 12)}`;
    case 'BinaryOp': {
      const p = BINARY_PRECEDENCE[e.op];
      // `**` is right-associative and its left operand must be a primary (`(-a) ** b`).
      const [left, right] = e.op === '**' ? [14, 12] : [p, p + 1];
      return `${printExpr(e.left, left)} ${e.op} ${printExpr(e.right, right)}`;
    }
    case 'BoolOp': {
      const p = e.op === 'or' ? 2 : 3;
      return `${printExpr(e.left, p)} ${e.op} ${printExpr(e.right, p + 1)}`;
    }
    case 'Compare':
      return [printExpr(e.left, 6), ...e.comparisons.map((c) => `${c.op} ${printExpr(c.right, 6)}`)].join(
        ' ',
      );
    case 'Ternary':
      return `${printExpr(e.whenTrue, 2)} if ${printExpr(e.condition, 2)} else ${printExpr(e.whenFalse, 1)}`;
  }
}

function printIndex(index: Expr | Slice): string {
  if (index.kind !== 'Slice') return printExpr(index, 1);
  const part = (x: Expr | null): string => (x === null ? '' : printExpr(x, 1));
  return `${part(index.lower)}:${part(index.upper)}${index.step === null ? '' : ':' + part(index.step)}`;
}

function printClauses(clauses: readonly { target: Expr; iter: Expr; conditions: readonly Expr[] }[]): string {
  return clauses
    .map(
      (c) =>
        ` for ${printExpr(c.target)} in ${printExpr(c.iter, 2)}${c.conditions.map((x) => ` if ${printExpr(x, 2)}`).join('')}`,
    )
    .join('');
}

/**
 * A float literal that lexes back to the same value, spelled like Python's repr (shortest digits,
 * exponent below 1e-4 and from 1e16: `1e-05`, `1e+16`) but with torch's bare trailing dot (`100.`).
 * Non-finite values print as the `inf`/`nan` names torch's source importer resolves.
 */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const digits = mantissa.replace('.', '');
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  return `${sign}${digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')}.${digits.slice(exponent + 1)}`;
}

// String literals are written as PyTorch writes them everywhere: the operator table's quoting.
export { quoteString };
