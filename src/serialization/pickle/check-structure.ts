// Refuses unpickled values that are nested too deeply or contain themselves: recursive consumers (the module
// loader, the pickler, equality) would overflow the stack or never finish. Iterative, linear in the value graph.

import { LimitError } from '../../limits.js';
import { pickleError } from './pickle-errors.js';
import { PickledObject, PickleTuple, type PickleValue } from './values.js';

type Container = PickleValue[] | Map<PickleValue, PickleValue> | PickleTuple | PickledObject;

function isContainer(value: PickleValue | undefined): value is Container {
  return (
    Array.isArray(value) ||
    value instanceof Map ||
    value instanceof PickleTuple ||
    value instanceof PickledObject
  );
}

/** The values directly inside a container (dict keys and values, an object's state and args). */
export function childrenOf(value: Container): PickleValue[] {
  if (Array.isArray(value)) return value;
  if (value instanceof PickleTuple) return value.items as PickleValue[];
  if (value instanceof Map) {
    const out: PickleValue[] = [];
    for (const [key, item] of value) out.push(key, item);
    return out;
  }
  const out: PickleValue[] = value.args.items.slice();
  if (value.state !== undefined) out.push(value.state);
  return out;
}

interface Frame {
  readonly node: Container;
  readonly children: PickleValue[];
  next: number;
  height: number;
}

/**
 * Throws LimitError (maxPickleDepth) when some chain of nested containers is longer than `maxDepth`, and CYCLIC_PICKLE when a
 * container (directly or not) contains itself. Shared sub-values are visited once.
 */
export function checkStructure(root: PickleValue, maxDepth: number, source: string): void {
  if (!isContainer(root)) return;
  const heights = new Map<Container, number>();
  const onPath = new Set<Container>([root]);
  const path: Frame[] = [{ node: root, children: childrenOf(root), next: 0, height: 0 }];
  const tooDeep = (): never => {
    throw new LimitError(
      'maxPickleDepth',
      undefined,
      `${source}: value nested more than ${maxDepth} levels deep`,
      maxDepth,
    );
  };
  if (maxDepth < 1) tooDeep();
  while (path.length > 0) {
    const frame = path[path.length - 1];
    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next++];
      if (!isContainer(child)) continue;
      const known = heights.get(child);
      if (known !== undefined) {
        if (path.length + known > maxDepth) tooDeep();
        frame.height = Math.max(frame.height, known);
        continue;
      }
      if (onPath.has(child))
        throw pickleError(
          'CYCLIC_PICKLE',
          source,
          'a value contains itself; recursive structures are not supported',
        );
      if (path.length + 1 > maxDepth) tooDeep();
      onPath.add(child);
      path.push({ node: child, children: childrenOf(child), next: 0, height: 0 });
      continue;
    }
    path.pop();
    onPath.delete(frame.node);
    const height = frame.height + 1;
    heights.set(frame.node, height);
    const parent = path[path.length - 1];
    if (parent) parent.height = Math.max(parent.height, height);
  }
}
