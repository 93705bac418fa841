// Words for AST node kinds in syntax error messages ("cannot assign to a function call").
import type { AttributeDecl, ClassDef, Expr, Import, ImportFrom, Stmt } from './ast.js';

/** Words for an expression kind in error messages. */
export function describeExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'Int':
    case 'Float':
    case 'String':
    case 'Bool':
    case 'None':
    case 'Ellipsis':
      return 'a literal';
    case 'Call':
      return 'a function call';
    case 'BinaryOp':
    case 'UnaryOp':
    case 'BoolOp':
      return 'an operator expression';
    case 'Compare':
      return 'a comparison';
    case 'Ternary':
      return 'a conditional expression';
    case 'Dict':
    case 'DictComp':
      return 'a dict';
    case 'ListComp':
      return 'a list comprehension';
    default:
      return `a ${expr.kind.toLowerCase()}`;
  }
}

/** Words for a statement kind in error messages (`an import`, `a 'while' statement`). */
export function describeStatement(s: Stmt | ClassDef | AttributeDecl | Import | ImportFrom): string {
  switch (s.kind) {
    case 'ExprStmt':
      return 'an expression statement';
    case 'Import':
    case 'ImportFrom':
      return 'an import';
    case 'ClassDef':
      return 'a class definition';
    case 'FunctionDef':
      return 'a function definition';
    case 'AttributeDecl':
      return 'an attribute declaration';
    case 'Assign':
    case 'AugAssign':
      return 'an assignment';
    default:
      return `a '${s.kind.toLowerCase()}' statement`;
  }
}
