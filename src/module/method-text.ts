// Methods given as IR text: the one place the module layer calls the IR text parser, with class
// names resolved to the ClassTypes being built.

import type { Graph } from '../ir/graph.js';
import { parseIR, type ResolveClass } from '../ir/text/index.js';

/** Maps a class name in IR text (`__torch__.M`, or the name inside `InterfaceType<...>`) to its type. */
export type ClassResolver = ResolveClass;

/** Parses a method graph (`graph(%self : __torch__.M, ...): ...`); throws IRParseError with file:line:col. */
export function parseMethodGraph(text: string, resolveClass: ClassResolver, file?: string): Graph {
  return parseIR(text, { resolveClass, file });
}
