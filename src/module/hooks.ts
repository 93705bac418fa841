// Install points for layers above the module model: the interpreter (src/runtime) runs methods and
// the code printer (src/serialization) renders `module.code`. Keeps module/ free of upward imports.

import { TsFreezeError } from '../errors.js';
import type { IValue } from '../ir/ivalue.js';
import { ModuleErrorCode } from './errors.js';
import type { Function } from './function.js';
import type { ScriptModule } from './script-module.js';

/** Runs `fn` on fully bound arguments (`self` first for methods) and returns its result. */
export type InterpreterHook = (fn: Function, args: readonly IValue[]) => IValue;

/** Renders a method of `module` as TorchScript source, as PyTorch's `module.code` does. */
export type CodePrinterHook = (fn: Function, module: ScriptModule) => string;

let interpreter: InterpreterHook | undefined;
let codePrinter: CodePrinterHook | undefined;

/** Installs (or with undefined, removes) the interpreter; returns the previous one so tests can restore it. */
export function setInterpreter(hook: InterpreterHook | undefined): InterpreterHook | undefined {
  const previous = interpreter;
  interpreter = hook;
  return previous;
}

/** The installed interpreter; throws NO_INTERPRETER when none is. */
export function getInterpreter(): InterpreterHook {
  if (!interpreter) {
    throw new TsFreezeError(
      ModuleErrorCode.NO_INTERPRETER,
      'no interpreter is installed: import the runtime (src/runtime) or call setInterpreter() before running a module',
    );
  }
  return interpreter;
}

/** Installs (or with undefined, removes) the code printer; returns the previous one. */
export function setCodePrinter(hook: CodePrinterHook | undefined): CodePrinterHook | undefined {
  const previous = codePrinter;
  codePrinter = hook;
  return previous;
}

/** The installed code printer, if any. */
export function getCodePrinter(): CodePrinterHook | undefined {
  return codePrinter;
}
