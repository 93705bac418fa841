// IR text: parse and print TorchScript IR in PyTorch's print(graph) format; installs Graph.toString.

import { installGraphPrinter } from '../graph.js';
import { printGraph, printNode } from './printer.js';

export { parseIR, type ParseOptions } from './parser.js';
export { printGraph, printNode, nodeScope, setNodeScope, type PrintOptions } from './printer.js';
export { parseType, TypeParser, type ResolveClass } from './type-parser.js';
export {
  isPlaceholder,
  markPlaceholder,
  encodeBase64,
  decodeBase64,
  type TensorStyle,
} from './tensor-text.js';
export { formatDouble, parseDouble, formatIValue, formatAttribute } from './value-text.js';
export { quoteString, Lexer } from './lexer.js';
export { parseIRFile } from './files.js';

installGraphPrinter({ printGraph: (g) => printGraph(g), printNode: (n) => printNode(n) });
