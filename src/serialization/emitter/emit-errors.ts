// Errors of the IR emitter: a compile error points at the TorchScript source (file:line:col and a caret).

import { IRParseError } from '../../errors.js';
import type { SourceRange } from '../torchscript/ast.js';

/** Stable codes of the emitter's errors. */
export type EmitErrorCode = 'TS_COMPILE' | 'TS_UNSUPPORTED';

/**
 * A TorchScript compile error at `range`: what PyTorch reports as an ErrorReport (unknown name, no
 * matching overload, type mismatch). `text` is the source file's text, to show the offending line.
 */
export function compileError(
  range: SourceRange,
  message: string,
  text?: string,
  code: EmitErrorCode = 'TS_COMPILE',
): IRParseError {
  return new IRParseError({ file: range.file, line: range.line, column: range.column }, message, text, code);
}
