// Analyses of IR graphs that passes share: alias analysis (AliasDb).

export { AliasDb, type AliasDbOptions } from './alias-db.js';
export { type EntryLookup, type OperatorInfo } from './alias-analyzer.js';
export { isMutableType } from './alias-types.js';
export { surelyEscaped, surelyWrittenInputs } from './alias-rules.js';
export { freshAliases, freshValueWriters } from './fresh-writers.js';
export { wildcardsSurelyUnwritten, writtenValues } from './wildcard-writes.js';
export { LazyWriters } from './lazy-writers.js';
