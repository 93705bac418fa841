// The module model: class types, functions, script objects and modules, cloning and the builder.

export * from './qualified-name.js';
export * from './errors.js';
export { CompilationUnit } from './compilation-unit.js';
export * from './value-types.js';
export { Function, type FunctionArgument, type FunctionInit, type FunctionSignature } from './function.js';
export {
  ClassType,
  cloneGraphWithTypes,
  type SlotKind,
  type ClassAttribute,
  type ClassConstant,
  type ClassCloneOptions,
  type ClassTypeOptions,
} from './class-type.js';
export {
  InterfaceDecl,
  isInterfaceDecl,
  type InterfaceDeclOptions,
  type InterfaceMethod,
} from './interface-decl.js';
export { ScriptObject } from './script-object.js';
export { consumedError, markConsumed, markOwnsItsTensors, ownsItsTensors } from './consumed.js';
export { ScriptModule, createObject, isScriptModule } from './script-module.js';
export {
  cloneModule,
  consumeModule,
  copyModuleObjects,
  type ModuleCloneOptions,
  type ModuleObjectsCopyOptions,
} from './module-clone.js';
export {
  setInterpreter,
  getInterpreter,
  setCodePrinter,
  getCodePrinter,
  type InterpreterHook,
  type CodePrinterHook,
} from './hooks.js';
export { parseMethodGraph, type ClassResolver } from './method-text.js';
export {
  ModuleBuilder,
  moduleBuilder,
  classBuilder,
  type MethodBody,
  type MethodOptions,
  type ModuleBuilderOptions,
} from './builder.js';
