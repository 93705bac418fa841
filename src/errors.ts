// Typed errors: one root class with a stable `code`, and a subclass per area. Tests assert on `code`.

// Marks our errors by a registry symbol, not by class identity: an error thrown by a plugin that bundles
// its own copy of tsfreeze is still recognised (instanceof would see two different classes).
const BRAND = Symbol.for('tsfreeze.error');

/** Root of every error tsfreeze throws on purpose. `code` is stable; the message is for people. */
export class TsFreezeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
Object.defineProperty(TsFreezeError.prototype, BRAND, { value: true });

/** True for a TsFreezeError from any copy of the package (checks the brand, not the class). */
export function isTsFreezeError(error: unknown): error is TsFreezeError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[BRAND] === true &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/** True for an error with this stable code, from any copy of the package. */
export function hasErrorCode(error: unknown, code: string): error is TsFreezeError {
  return isTsFreezeError(error) && error.code === code;
}

/** A location in a text input, 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Formats `file:line:col: message`, then the offending line and a caret under the column. */
export function formatLocated(location: SourceLocation, message: string, sourceText?: string): string {
  const head = `${location.file}:${location.line}:${location.column}: ${message}`;
  if (sourceText === undefined) return head;
  const lineText = sourceText.split(/\r?\n/)[location.line - 1];
  if (lineText === undefined) return head;
  const caret = ' '.repeat(Math.max(0, location.column - 1)) + '^';
  return `${head}\n${lineText}\n${caret}`;
}

/** Malformed IR text (or TorchScript source): carries file:line:col and shows the line with a caret. */
export class IRParseError extends TsFreezeError {
  constructor(
    readonly location: SourceLocation,
    readonly reason: string,
    sourceText?: string,
    code = 'IR_PARSE',
  ) {
    super(code, formatLocated(location, reason, sourceText));
  }
}

/** A broken IR invariant found by the verifier; the message prints the offending node. */
export class VerifyError extends TsFreezeError {
  constructor(message: string) {
    super('IR_VERIFY', message);
  }
}

/** A bad pipeline: unknown pass (`UNKNOWN_PASS`), bad option (`BAD_OPTION`), bad syntax (`PIPELINE_SYNTAX`). */
export class PipelineError extends TsFreezeError {}

/** An operator, type or Python construct tsfreeze does not handle; names it. */
export class UnsupportedError extends TsFreezeError {
  constructor(message: string, code = 'UNSUPPORTED') {
    super(code, message);
  }
}

/** A module that cannot be frozen as asked; PyTorch's wording where PyTorch has one. */
export class FreezeError extends TsFreezeError {}

/** A corrupt or unreadable .pt archive, pickle or TorchScript source. */
export class SerializationError extends TsFreezeError {}

/** A runtime failure while executing a graph (including a TorchScript `raise`). */
export class RuntimeError extends TsFreezeError {}

/** A pass threw: names the pass, the passes that ran before it, and where the reproducer was written. */
export class PassFailure extends TsFreezeError {
  constructor(
    readonly passName: string,
    readonly passesBefore: readonly string[],
    readonly reproducerPath: string | undefined,
    cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    const before = passesBefore.length ? passesBefore.join(',') : '(none)';
    const repro = reproducerPath
      ? `\nreproducer: ${reproducerPath}\nreplay it: tsfreeze opt --run-reproducer ${reproducerPath}`
      : '';
    super('PASS_FAILED', `pass '${passName}' failed: ${why}\npasses run before it: ${before}${repro}`, {
      cause,
    });
  }
}

/** A broken internal invariant: a bug in tsfreeze, never the user's input. */
export class InternalError extends TsFreezeError {
  constructor(message: string) {
    super('INTERNAL', `internal error: ${message}`);
  }
}

/** Throws an InternalError when `condition` is false. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InternalError(message);
}
