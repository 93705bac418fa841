// Reading IR text files: parseIRFile names errors with the file's path (used by `tsfreeze ir print/verify`).

import { readFileSync } from 'node:fs';
import { TsFreezeError } from '../../errors.js';
import type { Graph } from '../graph.js';
import { parseIR, type ParseOptions } from './parser.js';

/** Reads and parses an IR file; parse errors carry the path as their file. A missing file throws FILE_NOT_FOUND, an unreadable one IO_ERROR. */
export function parseIRFile(path: string, options: Omit<ParseOptions, 'file'> = {}): Graph {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') throw new TsFreezeError('FILE_NOT_FOUND', `${path}: no such file`, { cause: e });
    throw new TsFreezeError('IO_ERROR', `${path}: cannot read the file (${code ?? String(e)})`, { cause: e });
  }
  return parseIR(text, { ...options, file: path });
}
