// The allow-list of Python globals a pickle may name. Nothing outside it is ever resolved: the unpickler refuses
// `os.system`, `builtins.eval` & co. with FORBIDDEN_GLOBAL when it reads the GLOBAL opcode, before any call.

import { DTYPES } from '../../tensor/dtype.js';
import { pickleError } from './pickle-errors.js';
import {
  describeValue,
  PickleDevice,
  PickleGlobal,
  PickleTuple,
  setTypeTag,
  type CallSite,
  type GlobalBehaviour,
  type PickleDict,
  type PickleValue,
} from './values.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** PyTorch rebuilders tsfreeze knows but does not support: refused with a message that says what they are. */
const KNOWN_UNSUPPORTED: Readonly<Record<string, string>> = {
  'torch._utils._rebuild_qtensor': 'quantized tensors',
  'torch._utils._rebuild_sparse_tensor': 'sparse tensors',
  'torch._utils._rebuild_sparse_csr_tensor': 'sparse CSR tensors',
  'torch._utils._rebuild_meta_tensor_no_storage': 'meta tensors',
  'torch._utils._rebuild_wrapper_subclass': 'tensor subclasses',
  'torch._utils._rebuild_device_tensor_from_numpy': 'tensors saved through numpy',
  'torch._utils._rebuild_xla_tensor': 'XLA tensors',
  'torch._utils._rebuild_mlc_tensor': 'MLC tensors',
  'torch._tensor._rebuild_from_type_v2': 'tensor subclasses',
  'torch.jit._pickle.build_tensor_from_id': 'tensors stored in an external tensor table',
  'torch.QInt8Storage': 'quantized storages',
  'torch.QUInt8Storage': 'quantized storages',
  'torch.QInt32Storage': 'quantized storages',
  'torch.QUInt4x2Storage': 'quantized storages',
  'torch.QUInt2x4Storage': 'quantized storages',
};

/** Resolves `(module, name)` pairs through explicit registrations and module-prefix rules only. */
export class GlobalRegistry {
  private readonly exact = new Map<string, GlobalBehaviour>();
  private readonly prefixes: { prefix: string; behaviour: GlobalBehaviour }[] = [];

  /** Allows `module.name` with the given behaviour. */
  register(module: string, name: string, behaviour: GlobalBehaviour): this {
    this.exact.set(`${module}.${name}`, behaviour);
    return this;
  }

  /** Allows every name in `prefix` and its submodules (`__torch__` covers `__torch__.torch.nn.modules.linear`). */
  registerModulePrefix(prefix: string, behaviour: GlobalBehaviour): this {
    this.prefixes.push({ prefix, behaviour });
    return this;
  }

  /** The resolved global, or undefined when the allow-list does not have it. */
  lookup(module: string, name: string): PickleGlobal | undefined {
    if (!DOTTED.test(module) || !IDENTIFIER.test(name)) return undefined;
    const behaviour =
      this.exact.get(`${module}.${name}`) ??
      this.prefixes.find(({ prefix }) => module === prefix || module.startsWith(`${prefix}.`))?.behaviour;
    return behaviour === undefined ? undefined : new PickleGlobal(module, name, behaviour);
  }

  /** Like {@link lookup} but throws FORBIDDEN_GLOBAL (or UNSUPPORTED_PICKLE for known unsupported rebuilders). */
  resolve(module: string, name: string, site: CallSite): PickleGlobal {
    const found = this.lookup(module, name);
    if (found) return found;
    const qualified = `${module}.${name}`;
    const unsupported = KNOWN_UNSUPPORTED[qualified];
    if (unsupported !== undefined) {
      throw pickleError(
        'UNSUPPORTED_PICKLE',
        site.source,
        `'${qualified}' (${unsupported}) is not supported`,
        site.offset,
      );
    }
    throw pickleError(
      'FORBIDDEN_GLOBAL',
      site.source,
      `refusing global '${printable(qualified)}': only PyTorch's tensor and container rebuilders and __torch__ classes may be named in a pickle`,
      site.offset,
    );
  }

  /** A copy that can be extended without changing this registry. */
  clone(): GlobalRegistry {
    const copy = new GlobalRegistry();
    for (const [key, behaviour] of this.exact) copy.exact.set(key, behaviour);
    copy.prefixes.push(...this.prefixes);
    return copy;
  }
}

/** Escapes control characters so a hostile name cannot forge message lines. */
function printable(text: string): string {
  const clipped = text.length > 200 ? `${text.slice(0, 200)}...` : text;
  return clipped.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A `function` behaviour. */
export function fn(call: (args: readonly PickleValue[], site: CallSite) => PickleValue): GlobalBehaviour {
  return { kind: 'function', call };
}

/** Throws BAD_PICKLE unless `args` has `min`..`max` items. */
export function expectArity(
  name: string,
  args: readonly PickleValue[],
  min: number,
  max: number,
  site: CallSite,
): void {
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw pickleError(
      'BAD_PICKLE',
      site.source,
      `${name} takes ${wanted} arguments, got ${args.length}`,
      site.offset,
    );
  }
}

function tagList(tag: string, name: string): GlobalBehaviour {
  return fn((args, site) => {
    expectArity(name, args, 1, 1, site);
    const list = args[0];
    if (!Array.isArray(list)) {
      throw pickleError(
        'BAD_PICKLE',
        site.source,
        `${name} expects a list, got ${describeValue(list)}`,
        site.offset,
      );
    }
    return tag === '' ? list : setTypeTag(list, tag);
  });
}

function orderedDict(args: readonly PickleValue[], site: CallSite): PickleValue {
  expectArity('collections.OrderedDict', args, 0, 1, site);
  const out: PickleDict = new Map();
  const items = args[0];
  if (items === undefined || items === null) return out;
  const pairs = items instanceof PickleTuple ? items.items : Array.isArray(items) ? items : undefined;
  for (const pair of pairs ?? []) {
    const kv = pair instanceof PickleTuple ? pair.items : Array.isArray(pair) ? pair : [];
    if (kv.length !== 2)
      throw pickleError('BAD_PICKLE', site.source, 'OrderedDict items must be pairs', site.offset);
    out.set(kv[0], kv[1]);
  }
  if (pairs === undefined)
    throw pickleError(
      'BAD_PICKLE',
      site.source,
      `OrderedDict expects pairs, got ${describeValue(items)}`,
      site.offset,
    );
  return out;
}

function device(args: readonly PickleValue[], site: CallSite): PickleValue {
  expectArity('torch.device', args, 1, 2, site);
  const [spec, index] = args;
  if (typeof spec !== 'string' || (index !== undefined && index !== null && typeof index !== 'number')) {
    throw pickleError('BAD_PICKLE', site.source, 'torch.device expects (type[, index])', site.offset);
  }
  const match = /^([a-z_]+)(?::(\d+))?$/.exec(spec);
  if (!match)
    throw pickleError('BAD_PICKLE', site.source, `bad device string '${printable(spec)}'`, site.offset);
  const parsed = match[2] === undefined ? null : Number(match[2]);
  return new PickleDevice(match[1], typeof index === 'number' ? index : parsed);
}

/** `_codecs.encode(text, 'latin1')`: how protocol 2 spells Python 3 bytes. */
function codecsEncode(args: readonly PickleValue[], site: CallSite): PickleValue {
  expectArity('_codecs.encode', args, 1, 2, site);
  const [text, encoding] = args;
  if (
    typeof text !== 'string' ||
    (encoding !== undefined && encoding !== 'latin1' && encoding !== 'latin-1')
  ) {
    throw pickleError(
      'BAD_PICKLE',
      site.source,
      "_codecs.encode is only allowed as (str, 'latin1')",
      site.offset,
    );
  }
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff)
      throw pickleError('BAD_PICKLE', site.source, '_codecs.encode: text is not latin-1', site.offset);
    out[i] = code;
  }
  return out;
}

/**
 * The allow-list every PyTorch pickle needs except the tensor rebuilders (see `torchGlobals`):
 * `__torch__.*` classes, `collections.OrderedDict`, `torch.<Dtype>Storage`, `torch.device`,
 * `torch.Size`, `_codecs.encode` (latin-1 bytes), `bytes()` (empty bytes), and `torch.jit._pickle`'s list
 * builders and `restore_type_tag`.
 */
export function baseTorchRegistry(): GlobalRegistry {
  const registry = new GlobalRegistry();
  registry.registerModulePrefix('__torch__', { kind: 'class' });
  registry.register('collections', 'OrderedDict', fn(orderedDict));
  for (const info of Object.values(DTYPES))
    registry.register('torch', info.storageName, { kind: 'storage', dtype: info.dtype });
  registry.register('torch', 'device', fn(device));
  registry.register(
    'torch',
    'Size',
    fn((args, site) => {
      expectArity('torch.Size', args, 0, 1, site);
      const items = args[0];
      return items instanceof PickleTuple ? items : new PickleTuple(Array.isArray(items) ? items : []);
    }),
  );
  registry.register('_codecs', 'encode', fn(codecsEncode));
  // Protocols 0-2 spell empty bytes as `bytes()` (module `__builtin__` when written for Python 2 compatibility).
  for (const module of ['builtins', '__builtin__']) {
    registry.register(
      module,
      'bytes',
      fn((args, site) => {
        expectArity('bytes', args, 0, 0, site);
        return new Uint8Array(0);
      }),
    );
  }
  const jit = 'torch.jit._pickle';
  registry.register(jit, 'build_intlist', tagList('List[int]', 'build_intlist'));
  registry.register(jit, 'build_tensorlist', tagList('List[Tensor]', 'build_tensorlist'));
  registry.register(jit, 'build_doublelist', tagList('List[float]', 'build_doublelist'));
  registry.register(jit, 'build_boollist', tagList('List[bool]', 'build_boollist'));
  registry.register(jit, 'build_genericlist', tagList('', 'build_genericlist'));
  registry.register(
    jit,
    'restore_type_tag',
    fn((args, site) => {
      expectArity('restore_type_tag', args, 2, 2, site);
      const [value, tag] = args;
      if (typeof tag !== 'string')
        throw pickleError('BAD_PICKLE', site.source, 'restore_type_tag expects a type string', site.offset);
      if (Array.isArray(value) || value instanceof Map) setTypeTag(value, tag);
      return value;
    }),
  );
  return registry;
}
