// The parameterless types under the names that IR text, operator schemas and TorchScript annotations all
// spell them with; each parser adds the spellings only it accepts.

import {
  AnyType,
  BoolType,
  CapsuleType,
  ComplexType,
  DeviceType,
  FloatType,
  GeneratorType,
  IntType,
  LayoutType,
  MemoryFormatType,
  NoneType,
  NumberType,
  ScalarTypeType,
  StorageType,
  StreamType,
  StringType,
  TensorTensor,
  type Type,
} from './types.js';

/** `[name, type]` of the simple types every type syntax of PyTorch 1.13 shares. */
export const SHARED_SIMPLE_TYPES: readonly (readonly [string, Type])[] = [
  ['Tensor', TensorTensor],
  ['int', IntType],
  ['float', FloatType],
  ['complex', ComplexType],
  ['bool', BoolType],
  ['str', StringType],
  ['NoneType', NoneType],
  ['Any', AnyType],
  ['Scalar', NumberType],
  ['Device', DeviceType],
  ['Generator', GeneratorType],
  ['Storage', StorageType],
  ['Stream', StreamType],
  ['Capsule', CapsuleType],
  // Ints at runtime; PyTorch keeps their names in schemas and IR types.
  ['ScalarType', ScalarTypeType],
  ['Layout', LayoutType],
  ['MemoryFormat', MemoryFormatType],
];
