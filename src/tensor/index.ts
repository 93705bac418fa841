// Public surface of the tensor core: the Tensor type, dtypes, views, promotion, conversion, factories,
// printing (Python repr and IR constants), comparison, random numbers and .npy files.

export * from './dtype.js';
export * from './tensor.js';
export * from './scalar.js';
export * from './shape.js';
export * from './promotion.js';
export * from './convert.js';
export * from './iter.js';
export * from './views.js';
export * from './creation.js';
export * from './random.js';
export * from './allclose.js';
export * from './numfmt.js';
export { formatTensor } from './format.js';
export * from './ir-format.js';
export * from './npy.js';
