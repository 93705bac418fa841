// The archive format version an operator overload needs: torch.jit.save (PyTorch 1.13) writes the
// highest of these over the operators it prints, and at least 3 (caffe2/serialize/versions.h and the
// operator version map of torch/csrc/jit/operator_upgraders/version_map.cpp: the semantics of these
// overloads changed, and torch.jit.load runs upgraders on archives older than the change). Keyed by
// overload: `aten::div.int` is not in the map, so int division needs nothing. Measured with
// scripts/archive-versions.py (test/fixtures/archive_versions.json).

import type { Node } from '../../ir/node.js';
import type { OperatorRegistry } from '../../ops/registry.js';

/** The version torch.jit.save 1.13 writes when no operator needs a later one. */
export const PRODUCED_FILE_FORMAT_VERSION = 3;

/** From this version on the record is `.data/version` (PyTorchStreamWriter::writeEndOfFile). */
export const DATA_VERSION_RECORD_FROM = 6;

const DIV = 4; // stopped integer division for tensors
const FULL = 5; // stopped inferring a float dtype from an int fill value
const LINSPACE = 8; // steps became required
const LOGSPACE = 9;
const GELU = 10; // `approximate=` argument

const VERSION_BY_OVERLOAD: ReadonlyMap<string, number> = new Map([
  ['aten::div.Tensor', DIV],
  ['aten::div.Scalar', DIV],
  ['aten::div.Tensor_mode', DIV],
  ['aten::div.Scalar_mode', DIV],
  ['aten::div.out', DIV],
  ['aten::div.out_mode', DIV],
  ['aten::div_.Tensor', DIV],
  ['aten::div_.Scalar', DIV],
  ['aten::div_.Tensor_mode', DIV],
  ['aten::div_.Scalar_mode', DIV],
  ['aten::full', FULL],
  ['aten::full.names', FULL],
  ['aten::full.out', FULL],
  ['aten::linspace', LINSPACE],
  ['aten::linspace.out', LINSPACE],
  ['aten::logspace', LOGSPACE],
  ['aten::logspace.out', LOGSPACE],
  ['aten::gelu', GELU],
  ['aten::gelu.out', GELU],
]);

const KINDS = new Set([...VERSION_BY_OVERLOAD.keys()].map((k) => k.split('.')[0]));

/** The least archive version printing `node` needs (0 when any will do). */
export function minVersionForNode(node: Node, registry: OperatorRegistry): number {
  if (!KINDS.has(node.kind)) return 0;
  const schema = registry.schemaForNode(node);
  return (schema && VERSION_BY_OVERLOAD.get(schema.key)) ?? 0;
}
