// The public API of tsfreeze. Built-in passes and third-party plugins import only from here.
import 'reflect-metadata';

export * from './errors.js';
export * from './tensor/dtype.js';
export * from './tensor/tensor.js';
export * from './ir/index.js';
export * from './pipeline/index.js';
export * from './ops/index.js';
export * from './module/index.js';
