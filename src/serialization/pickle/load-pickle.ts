// The entry point the archive reader calls for data.pkl and constants.pkl: unpickle with PyTorch's allow-list
// and turn storage records into Tensors that share one Storage per record key.

import type { DType } from '../../tensor/dtype.js';
import type { Storage } from '../../tensor/tensor.js';
import { TsFreezeError } from '../../errors.js';
import type { GlobalRegistry } from './globals.js';
import { pickleError } from './pickle-errors.js';
import { torchGlobals, torchPersistentLoad } from './torch-tensors.js';
import { unpickle } from './unpickler.js';
import type { PickleValue, StorageRef } from './values.js';

/** Options of {@link loadPickle}. */
export interface LoadPickleOptions {
  /** What error messages call the pickle (`model.pt:data.pkl`). */
  readonly name?: string;
  /**
   * Loads storage record `key` (`data/<key>`); when given, tensors come back as Tensor, otherwise as
   * TensorRef. Called once per key: tensors on the same record share the returned Storage.
   */
  readonly loadStorage?: (key: string, dtype: DType, numel: number) => Storage;
  /**
   * Storage cache by key; pass one Map to several loads of the same record folder to share storages
   * across them (never across `data/` and `constants/`: their keys overlap).
   */
  readonly storageCache?: Map<string, Storage>;
  /** Replace the allow-list (rarely needed; it must include the tensor rebuilders to read tensors). */
  readonly globals?: GlobalRegistry;
  /** Deepest nesting accepted (default 1000). */
  readonly maxDepth?: number;
}

/**
 * Unpickles a PyTorch pickle (`data.pkl`, `constants.pkl`, a `torch.save` file's `data.pkl`).
 * Module objects come back as PickledObject, tensors as Tensor (with `loadStorage`) or TensorRef.
 */
export function loadPickle(bytes: Uint8Array, options: LoadPickleOptions = {}): PickleValue {
  const source = options.name ?? '<pickle>';
  const { loadStorage } = options;
  const cache = options.storageCache ?? new Map<string, Storage>();
  const materialize = loadStorage
    ? (ref: StorageRef): Storage => {
        const cached = cache.get(ref.key);
        if (cached) {
          if (cached.dtype !== ref.dtype) {
            throw pickleError(
              'UNSUPPORTED_PICKLE',
              source,
              `storage '${ref.key}' is viewed both as ${cached.dtype} and ${ref.dtype}; reinterpreting storages is not supported`,
            );
          }
          return cached;
        }
        let storage: Storage;
        try {
          storage = loadStorage(ref.key, ref.dtype, ref.numel);
        } catch (error) {
          if (error instanceof TsFreezeError) throw error;
          const why = error instanceof Error ? error.message : String(error);
          throw pickleError(
            'BAD_PERSISTENT_ID',
            source,
            `cannot load storage '${ref.key}' (${why})`,
            undefined,
            error,
          );
        }
        if (storage.dtype !== ref.dtype || storage.numel < ref.numel) {
          throw pickleError(
            'BAD_PERSISTENT_ID',
            source,
            `storage '${ref.key}' loaded as ${storage.numel} ${storage.dtype} elements, expected ${ref.numel} ${ref.dtype}`,
          );
        }
        cache.set(ref.key, storage);
        return storage;
      }
    : undefined;
  return unpickle(bytes, {
    name: source,
    globals: options.globals ?? torchGlobals({ materialize }),
    persistentLoad: torchPersistentLoad,
    maxDepth: options.maxDepth,
  });
}
