// A comparable text form of an analysis result, for --verify-analysis-invalidation: the cached result
// and a fresh one are equal when their forms are. IR objects are named by identity (a result holding a
// node that a pass replaced by an equal new node is stale), everything else is walked by content.

import { isGraph } from '../ir/index.js';

/** Past this nesting the walk stops (`…`): an analysis with deeper results should define `fingerprint`. */
const MAX_DEPTH = 64;

/**
 * The structural form of `value`: primitives as JSON, arrays/Maps/Sets/objects by content (class
 * instances with their class name), graphs, nodes, blocks and values by identity, typed arrays by a
 * hash of their bytes. An object met again is `<ref N>` (N: the order it was first met), so shared
 * and cyclic structures are finite and two equal structures give equal text.
 */
export function structuralForm(value: unknown): string {
  const seen = new Map<object, number>();
  const out: string[] = [];
  walk(value, 0, seen, out);
  return out.join('');
}

function walk(value: unknown, depth: number, seen: Map<object, number>, out: string[]): void {
  if (value === null || value === undefined) {
    out.push(String(value));
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
    case 'boolean':
      out.push(String(value));
      return;
    case 'bigint':
      out.push(`${value}n`);
      return;
    case 'symbol':
      out.push(value.toString());
      return;
    case 'function':
      out.push('<function>');
      return;
  }
  const object = value as object;
  const ir = irIdentity(object);
  if (ir !== undefined) {
    out.push(ir);
    return;
  }
  const ref = seen.get(object);
  if (ref !== undefined) {
    out.push(`<ref ${ref}>`);
    return;
  }
  seen.set(object, seen.size);
  if (depth >= MAX_DEPTH) {
    out.push('…');
    return;
  }
  if (ArrayBuffer.isView(object)) {
    out.push(typedArrayForm(object));
    return;
  }
  const items = (open: string, close: string, each: () => void): void => {
    out.push(open);
    each();
    out.push(close);
  };
  if (Array.isArray(object)) {
    items('[', ']', () => object.forEach((x, i) => (i && out.push(','), walk(x, depth + 1, seen, out))));
  } else if (object instanceof Map) {
    items('Map{', '}', () => {
      let i = 0;
      for (const [k, v] of object) {
        if (i++) out.push(',');
        walk(k, depth + 1, seen, out);
        out.push('=>');
        walk(v, depth + 1, seen, out);
      }
    });
  } else if (object instanceof Set) {
    items('Set{', '}', () => {
      let i = 0;
      for (const v of object) {
        if (i++) out.push(',');
        walk(v, depth + 1, seen, out);
      }
    });
  } else {
    const name = Object.getPrototypeOf(object)?.constructor?.name as string | undefined;
    items(`${name && name !== 'Object' ? name : ''}{`, '}', () => {
      let i = 0;
      for (const [k, v] of Object.entries(object)) {
        if (typeof v === 'function') continue;
        if (i++) out.push(',');
        out.push(`${k}:`);
        walk(v, depth + 1, seen, out);
      }
    });
  }
}

// Graphs, nodes, blocks and values by identity (duck-typed: they may come from another copy of the package).
function irIdentity(object: object): string | undefined {
  if (isGraph(object)) return '<graph>';
  const o = object as Record<string, unknown>;
  if (!isGraph(o.graph)) return undefined;
  if (typeof o.kind === 'string' && typeof o.id === 'number')
    return `<node ${o.id} ${o.kind}${o.destroyed ? ' destroyed' : ''}>`;
  if (typeof o.debugName === 'string' && typeof o.offset === 'number') {
    const producer = o.node as { id?: number } | undefined;
    return `<value %${o.debugName} of node ${producer?.id ?? '?'}>`;
  }
  if ('paramNode' in o && typeof o.id === 'number') return `<block ${o.id}>`;
  return `<ir object>`;
}

// FNV-1a over the bytes: equal contents give equal text without printing megabytes.
function typedArrayForm(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return `${view.constructor.name}(${bytes.length} bytes, ${h.toString(16)})`;
}
