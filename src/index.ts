// The public API of tsfreeze. Built-in passes and third-party plugins import only from here.
import 'reflect-metadata';

export * from './errors.js';
export * from './limits.js';
export * from './tensor/index.js';
export * from './ir/index.js';
export * from './pipeline/index.js';
export * from './ops/index.js';
export * from './analysis/index.js';
export * from './module/index.js';
export * from './runtime/index.js';
export * from './serialization/index.js';
export * from './report/index.js';

import { installRuntime } from './runtime/index.js';
import { installCodePrinter } from './serialization/index.js';
import { installEntryHooks } from './entry-hooks.js';
// Modules run through the interpreter, print their code as PyTorch does and can be saved in reproducers:
// install these once, at the one entry point everything imports.
installRuntime();
installCodePrinter();
installEntryHooks();
