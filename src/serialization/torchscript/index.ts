// Public API of the TorchScript source frontend's syntax layer: parse code/__torch__/**.py text into a
// typed AST (for the IR emitter) and print it back.
export { parseSource } from './parser.js';
export { tokenize, TS_SYNTAX, MAX_BRACKET_DEPTH } from './lexer.js';
export { MAX_NESTING, MAX_OPERATOR_CHAIN } from './cursor.js';
export { exprToType, dottedName } from './parse-type.js';
export {
  printModuleSource,
  printStatements,
  printExpr,
  printType,
  formatFloat,
  quoteString,
} from './ast-printer.js';
export type { Token, TokenKind } from './tokens.js';
export type * from './ast.js';
export { summarizeClass, classFlavor } from './class-summary.js';
export type { ClassSummary, ClassFlavor, DeclaredAttribute, DeclaredConstant } from './class-summary.js';
