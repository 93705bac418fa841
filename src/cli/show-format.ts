// Text rendering of a loaded module for `tsfreeze show`: the module tree with each module's class,
// parameters and buffers (dtype and shape), attributes with Python-style values, and methods.

import { Device, Tuple, isObjectValue, type IValue } from '../ir/ivalue.js';
import { OptionalType, type Type } from '../ir/types.js';
import type { ClassType } from '../module/class-type.js';
import { ScriptModule } from '../module/script-module.js';
import { Tensor } from '../tensor/tensor.js';

/** `float32[2, 3]` (a 0-dim tensor: `float32[]`). */
export function tensorText(t: Tensor): string {
  return `${t.dtype}[${t.shape.join(', ')}]${t.requiresGrad ? ' requires_grad' : ''}`;
}

/** A value as Python would show it; `type` tells an int from a whole float. */
export function pyRepr(v: IValue, type?: Type, depth = 0): string {
  const t = type instanceof OptionalType ? type.elem : type;
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    const isFloat = t?.kind === 'float' || !Number.isInteger(v);
    if (!isFloat) return String(v);
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.0` : String(v);
  }
  if (typeof v === 'string')
    return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (v instanceof Tensor) return `Tensor ${tensorText(v)}`;
  if (v instanceof Device) return `device(type='${v.type}'${v.index === null ? '' : `, index=${v.index}`})`;
  if (depth > 3) return '...';
  const elems = t?.containedTypes() ?? [];
  if (v instanceof Tuple) {
    const items = v.items.map((x, i) => pyRepr(x, elems[i], depth + 1));
    return `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
  }
  if (Array.isArray(v)) return `[${v.map((x) => pyRepr(x, elems[0], depth + 1)).join(', ')}]`;
  if (v instanceof Map) {
    return `{${[...v].map(([k, x]) => `${pyRepr(k, elems[0], depth + 1)}: ${pyRepr(x, elems[1], depth + 1)}`).join(', ')}}`;
  }
  if (isObjectValue(v)) return `<${v.type.qualifiedName} object>`;
  return String(v);
}

/** The module tree: one section per module object (a shared instance once, then referred to). */
export function renderModuleTree(root: ScriptModule): string {
  const lines: string[] = [];
  const seen = new Map<ScriptModule, string>();
  const visit = (module: ScriptModule, path: string, indent: string): void => {
    const type: ClassType = module.type;
    const label = path === '' ? '(root)' : path.slice(path.lastIndexOf('.') + 1);
    const previous = seen.get(module);
    if (previous !== undefined) {
      lines.push(`${indent}${label}: ${type.qualifiedName} (the same object as ${previous || '(root)'})`);
      return;
    }
    seen.set(module, path);
    lines.push(`${indent}${label}: ${type.qualifiedName}`);
    const inner = `${indent}  `;
    const slots = module.namedValues();
    const kinds = (kind: string): Array<[string, IValue]> =>
      slots.filter(([n]) => type.getAttribute(n).kind === kind);
    const params = kinds('parameter');
    const buffers = kinds('buffer');
    const attrs = kinds('attribute');
    const width = Math.max(0, ...slots.map(([n]) => n.length));
    const row = (name: string, text: string): string => `${inner}  ${name.padEnd(width)}  ${text}`;
    const tensorRow = (name: string, v: IValue): string =>
      row(name, v instanceof Tensor ? tensorText(v) : pyRepr(v));
    if (params.length) lines.push(`${inner}parameters:`, ...params.map(([n, v]) => tensorRow(n, v)));
    if (buffers.length) lines.push(`${inner}buffers:`, ...buffers.map(([n, v]) => tensorRow(n, v)));
    if (attrs.length) {
      lines.push(`${inner}attributes:`);
      for (const [n, v] of attrs)
        lines.push(
          row(n, `${type.getAttribute(n).type.annotationStr()} = ${pyRepr(v, type.getAttribute(n).type)}`),
        );
    }
    if (type.constants.length) {
      lines.push(`${inner}constants:`);
      for (const c of type.constants)
        lines.push(row(c.name, `Final[${c.type.annotationStr()}] = ${pyRepr(c.value, c.type)}`));
    }
    if (type.methods.length) lines.push(`${inner}methods: ${type.methodNames().join(', ')}`);
    for (const [n, v] of slots) {
      if (v instanceof ScriptModule) visit(v, path ? `${path}.${n}` : n, inner);
    }
  };
  visit(root, '', '');
  return lines.join('\n') + '\n';
}

/** One line of totals: modules, parameters and their elements, buffers. */
export function renderTotals(root: ScriptModule): string {
  const params = root.namedParameters();
  const buffers = root.namedBuffers();
  const elements = params.reduce((n, [, t]) => n + t.numel, 0);
  return `${root.namedModules().length} modules, ${params.length} parameters (${elements} elements), ${buffers.length} buffers\n`;
}
