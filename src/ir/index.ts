// The IR: graphs of nodes over SSA values, types, constants and the verifier.

export * from './types.js';
export * from './ivalue.js';
export * from './attributes.js';
export { Value, type Use } from './value.js';
export { Node } from './node.js';
export { Block } from './block.js';
export {
  Graph,
  isGraph,
  installGraphPrinter,
  installOutputInference,
  type GraphPrinter,
  type OutputInference,
} from './graph.js';
export * from './constants.js';
export * from './verify.js';
export * from './clone.js';
export * from './algorithms.js';
export * from './text/index.js';
