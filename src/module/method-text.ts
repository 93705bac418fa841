// Methods given as IR text: the one place the module layer calls the IR text parser, with class
// names resolved to the ClassTypes being built.

import { UnsupportedError } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import type { NamedClassType } from '../ir/types.js';

/** Maps a qualified class name in IR text to its type; undefined = unknown. */
export type ClassResolver = (qualifiedName: string) => NamedClassType | undefined;

/** Parses a method graph (`graph(%self : __torch__.M, ...): ...`). */
export function parseMethodGraph(_text: string, _resolveClass: ClassResolver, _file?: string): Graph {
  throw new UnsupportedError('methods given as IR text need the IR text parser (src/ir/text), which is not available yet');
}
