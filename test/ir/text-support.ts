// Helpers for the IR text tests: the fixture graph files, and a structural comparison of two graphs that
// names the first difference (kinds, names, types, attributes with bit-exact tensors, blocks, ranges).

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Attribute, Block, Graph, IValue, Node } from '../../src/ir/index.js';
import { Device, FunctionRef, isPlaceholder, nodeScope, Tuple } from '../../src/ir/index.js';
import { DTYPES, storageBytes } from '../../src/tensor/dtype.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { lossyGraphDump } from '../support/lossy-graph-dump.js';

// dist/test/ir -> test/fixtures: tests read the fixtures from the source tree.
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** Every `*graph*.txt` under test/fixtures, as { name: 'case/file', text }. Sorted for stable test names. */
export function fixtureGraphs(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const entry of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of readdirSync(`${FIXTURES}${entry.name}`)) {
      if (!/graph.*\.txt$/.test(file)) continue;
      const text = readFileSync(`${FIXTURES}${entry.name}/${file}`, 'utf8');
      // PyTorch's dumps of object constants and non-ASCII strings cannot be read back.
      if (!lossyGraphDump(text)) out.push({ name: `${entry.name}/${file}`, text });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The row-major bytes of a tensor (a contiguous copy when needed). */
function tensorBytes(t: Tensor): Uint8Array {
  const dense = t.isContiguous && t.offset === 0 && t.storage.numel === t.numel ? t : t.clone();
  return storageBytes(dense.storage.data).subarray(0, t.numel * DTYPES[t.dtype].itemSize);
}

function tensorDiff(a: Tensor, b: Tensor): string | undefined {
  if (a.dtype !== b.dtype) return `dtype ${a.dtype} vs ${b.dtype}`;
  if (a.shape.join(',') !== b.shape.join(',')) return `shape [${a.shape}] vs [${b.shape}]`;
  if (a.requiresGrad !== b.requiresGrad) return 'requiresGrad differs';
  if (a.device !== b.device) return `device ${a.device} vs ${b.device}`;
  if (isPlaceholder(a) !== isPlaceholder(b)) return 'placeholder flag differs';
  const x = tensorBytes(a);
  const y = tensorBytes(b);
  if (x.length !== y.length || x.some((v, i) => v !== y[i])) return 'tensor bytes differ';
  return undefined;
}

/** Deep comparison of runtime values: numbers by Object.is (NaN equal, -0 not 0), tensors bit for bit. */
export function ivalueDiff(a: IValue, b: IValue): string | undefined {
  if (a instanceof Tensor || b instanceof Tensor) {
    return a instanceof Tensor && b instanceof Tensor ? tensorDiff(a, b) : 'tensor vs non-tensor';
  }
  if (
    typeof a === 'number' ||
    typeof b === 'number' ||
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null
  ) {
    return Object.is(a, b) ? undefined : `${String(a)} (${typeof a}) vs ${String(b)} (${typeof b})`;
  }
  if (a instanceof Device || b instanceof Device)
    return String(a) === String(b) && a instanceof Device && b instanceof Device
      ? undefined
      : 'device differs';
  if (a instanceof FunctionRef || b instanceof FunctionRef) {
    return a instanceof FunctionRef && b instanceof FunctionRef && a.qualifiedName === b.qualifiedName
      ? undefined
      : 'function differs';
  }
  if (a instanceof Tuple || b instanceof Tuple) {
    if (!(a instanceof Tuple && b instanceof Tuple) || a.items.length !== b.items.length)
      return 'tuple shape differs';
    for (let i = 0; i < a.items.length; i++) {
      const d = ivalueDiff(a.items[i], b.items[i]);
      if (d) return `tuple item ${i}: ${d}`;
    }
    return undefined;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return 'list length differs';
    if (isPlaceholder(a) !== isPlaceholder(b)) return 'placeholder list flag differs';
    for (let i = 0; i < a.length; i++) {
      const d = ivalueDiff(a[i], b[i]);
      if (d) return `list item ${i}: ${d}`;
    }
    return undefined;
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return 'dict size differs';
    const ea = [...a];
    const eb = [...b];
    for (let i = 0; i < ea.length; i++) {
      const d = ivalueDiff(ea[i][0], eb[i][0]) ?? ivalueDiff(ea[i][1], eb[i][1]);
      if (d) return `dict entry ${i}: ${d}`;
    }
    return undefined;
  }
  return 'values of different kinds';
}

function attributeDiff(a: Attribute, b: Attribute): string | undefined {
  if (a.kind !== b.kind) return `kind ${a.kind} vs ${b.kind}`;
  switch (a.kind) {
    case 'ty':
      return a.value.str() === (b.value as typeof a.value).str() ? undefined : 'type differs';
    case 'tys': {
      const bv = b.value as typeof a.value;
      return a.value.map((t) => t.str()).join() === bv.map((t) => t.str()).join()
        ? undefined
        : 'types differ';
    }
    case 't':
      return tensorDiff(a.value, b.value as Tensor);
    case 'ts':
      return (
        ivalueDiff([...a.value], [...(b.value as Tensor[])]) ??
        (isPlaceholder(a.value) !== isPlaceholder(b.value as object) ? 'placeholder flag differs' : undefined)
      );
    case 'is':
    case 'fs':
    case 'ss':
      return ivalueDiff([...a.value], [...(b.value as IValue[])]);
    default:
      return ivalueDiff(a.value as IValue, b.value as IValue);
  }
}

function nodeDiff(a: Node, b: Node): string | undefined {
  if (a.kind !== b.kind) return `kind ${a.kind} vs ${b.kind}`;
  if (a.sourceRange !== b.sourceRange) return `source range ${a.sourceRange} vs ${b.sourceRange}`;
  if (nodeScope(a) !== nodeScope(b)) return 'scope differs';
  const names = (n: Node): string => n.inputs.map((v) => v.debugName).join(', ');
  if (names(a) !== names(b)) return `inputs (${names(a)}) vs (${names(b)})`;
  const outs = (n: Node): string => n.outputs.map((v) => `${v.debugName} : ${v.type.str()}`).join(', ');
  if (outs(a) !== outs(b)) return `outputs (${outs(a)}) vs (${outs(b)})`;
  const an = a.attributeNames();
  const bn = b.attributeNames();
  if (an.join() !== bn.join()) return `attributes [${an}] vs [${bn}]`;
  for (const name of an) {
    const d = attributeDiff(a.attribute(name)!, b.attribute(name)!);
    if (d) return `attribute ${name}: ${d}`;
  }
  if (a.blocks.length !== b.blocks.length) return `${a.blocks.length} vs ${b.blocks.length} blocks`;
  for (let i = 0; i < a.blocks.length; i++) {
    const d = blockDiff(a.blocks[i], b.blocks[i]);
    if (d) return `block${i}: ${d}`;
  }
  return undefined;
}

function blockDiff(a: Block, b: Block): string | undefined {
  const typed = (vs: readonly { debugName: string; type: { str(): string } }[]): string =>
    vs.map((v) => `${v.debugName} : ${v.type.str()}`).join(', ');
  if (typed(a.inputs) !== typed(b.inputs)) return `inputs (${typed(a.inputs)}) vs (${typed(b.inputs)})`;
  const na = [...a.nodes()];
  const nb = [...b.nodes()];
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    if (!na[i] || !nb[i]) return `${na.length} vs ${nb.length} nodes`;
    const d = nodeDiff(na[i], nb[i]);
    if (d) return `node ${i} (${na[i].kind}): ${d}`;
  }
  const outs = (bl: Block): string => bl.outputs.map((v) => v.debugName).join(', ');
  if (outs(a) !== outs(b)) return `outputs (${outs(a)}) vs (${outs(b)})`;
  return undefined;
}

/** The first structural difference between two graphs, or undefined when they are equal. */
export function graphDiff(a: Graph, b: Graph): string | undefined {
  return blockDiff(a.block, b.block);
}
