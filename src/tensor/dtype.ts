// Tensor element types: PyTorch's scalar types, their storage arrays and their names in every format we meet.

import { currentLimits, LimitError } from '../limits.js';
import { pooledArray } from './buffer-pool.js';

/** A tensor element type, named as torch.dtype is (torch.float32 -> 'float32'). */
export type DType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'bfloat16'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool'
  | 'complex64'
  | 'complex128';

/** The typed array that holds a dtype's elements. int64 is exact (BigInt64Array); float16/bfloat16 are raw bits. */
export type StorageArray =
  | Float32Array
  | Float64Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint16Array;

export interface DTypeInfo {
  readonly dtype: DType;
  /** Bytes per element in a serialized storage. */
  readonly itemSize: number;
  /** PyTorch's ScalarType enum value (c10/core/ScalarType.h), as prim::dtype returns it. */
  readonly scalarType: number;
  /** Name in printed IR types: Float(2, 3, ...). */
  readonly irName: string;
  /** Storage class name in pickles: torch.FloatStorage. */
  readonly storageName: string;
  /** Name in PyTorch's tensor print footer: CPUFloatType{3}. */
  readonly cpuTypeName: string;
  /** NumPy descr, for .npy files. */
  readonly npyDescr: string;
  readonly isFloatingPoint: boolean;
  readonly isComplex: boolean;
  /** Elements per storage array slot group (complex stores 2 numbers per element). */
  readonly lanes: number;
}

function info(
  dtype: DType,
  itemSize: number,
  scalarType: number,
  irName: string,
  npyDescr: string,
  isFloatingPoint: boolean,
  isComplex = false,
): DTypeInfo {
  return {
    dtype,
    itemSize,
    scalarType,
    irName,
    storageName: `${irName}Storage`,
    cpuTypeName: `CPU${irName}Type`,
    npyDescr,
    isFloatingPoint,
    isComplex,
    lanes: isComplex ? 2 : 1,
  };
}

/** Every dtype with its facts. Order of ScalarType values follows c10. */
export const DTYPES: Readonly<Record<DType, DTypeInfo>> = {
  uint8: info('uint8', 1, 0, 'Byte', '|u1', false),
  int8: info('int8', 1, 1, 'Char', '|i1', false),
  int16: info('int16', 2, 2, 'Short', '<i2', false),
  int32: info('int32', 4, 3, 'Int', '<i4', false),
  int64: info('int64', 8, 4, 'Long', '<i8', false),
  float16: info('float16', 2, 5, 'Half', '<f2', true),
  float32: info('float32', 4, 6, 'Float', '<f4', true),
  float64: info('float64', 8, 7, 'Double', '<f8', true),
  complex64: info('complex64', 8, 9, 'ComplexFloat', '<c8', false, true),
  complex128: info('complex128', 16, 10, 'ComplexDouble', '<c16', false, true),
  bool: info('bool', 1, 11, 'Bool', '|b1', false),
  bfloat16: info('bfloat16', 2, 15, 'BFloat16', '<V2', true),
};

const byIrName = new Map<string, DType>(Object.values(DTYPES).map((d) => [d.irName, d.dtype]));
const byScalarType = new Map<number, DType>(Object.values(DTYPES).map((d) => [d.scalarType, d.dtype]));
const byStorageName = new Map<string, DType>(Object.values(DTYPES).map((d) => [d.storageName, d.dtype]));

/** 'Float' -> 'float32' (IR type names), or undefined. */
export function dtypeFromIrName(name: string): DType | undefined {
  return byIrName.get(name);
}

/** 6 -> 'float32' (ScalarType enum values), or undefined. */
export function dtypeFromScalarType(value: number): DType | undefined {
  return byScalarType.get(value);
}

/** 'FloatStorage' -> 'float32' (pickled storage classes), or undefined. */
export function dtypeFromStorageName(name: string): DType | undefined {
  return byStorageName.get(name);
}

/**
 * Allocates storage for `numel` elements of `dtype`: zeroed, unless `zero` is false and the memory
 * comes from the interpreter's buffer pool (then the caller must write every element). A size above the
 * maxTensorBytes limit (or one no typed array can hold) is a LimitError, so a hostile declared shape
 * never reaches the allocator.
 */
export function allocateStorage(dtype: DType, numel: number, zero = true): StorageArray {
  const bytes = numel * DTYPES[dtype].itemSize;
  if (!(bytes <= currentLimits().maxTensorBytes) || !Number.isSafeInteger(numel) || numel < 0)
    throw new LimitError('maxTensorBytes', bytes, `a ${dtype} tensor of ${numel} elements`);
  try {
    return allocateUnchecked(dtype, numel, zero);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new LimitError(
      'maxTensorBytes',
      bytes,
      `a ${dtype} tensor of ${numel} elements (${error.message})`,
    );
  }
}

function allocateUnchecked(dtype: DType, numel: number, zero: boolean): StorageArray {
  switch (dtype) {
    case 'float32':
      return pooledArray(false, numel, zero);
    case 'float64':
      return pooledArray(true, numel, zero);
    case 'int64':
      return new BigInt64Array(numel);
    case 'int32':
      return new Int32Array(numel);
    case 'int16':
      return new Int16Array(numel);
    case 'int8':
      return new Int8Array(numel);
    case 'uint8':
    case 'bool':
      return new Uint8Array(numel);
    case 'float16':
    case 'bfloat16':
      return new Uint16Array(numel);
    case 'complex64':
      return pooledArray(false, numel * 2, zero);
    case 'complex128':
      return pooledArray(true, numel * 2, zero);
  }
}

/** Views little-endian serialized bytes as a dtype's storage (copying, so alignment never matters). */
export function storageFromBytes(dtype: DType, bytes: Uint8Array): StorageArray {
  const { itemSize, lanes } = DTYPES[dtype];
  const numel = Math.floor(bytes.byteLength / itemSize);
  const out = allocateStorage(dtype, numel);
  const target = new Uint8Array(out.buffer, out.byteOffset, numel * itemSize);
  target.set(bytes.subarray(0, numel * itemSize));
  void lanes;
  return out;
}

/** The little-endian bytes of a storage (shares memory with it). */
export function storageBytes(storage: StorageArray): Uint8Array {
  return new Uint8Array(storage.buffer, storage.byteOffset, storage.byteLength);
}
