// The schema each emitted operator node was matched against, so the cleanup passes need not look it up
// again from the node's input types.

import type { Node } from '../../ir/node.js';
import type { OpFacts } from '../../ops/facts.js';
import type { OperatorRegistry } from '../../ops/registry.js';
import type { FunctionSchema } from '../../ops/schema.js';
import type { OperatorInfo } from '../../analysis/alias-analyzer.js';

const schemas = new WeakMap<Node, FunctionSchema>();

/** Records the overload `node` was emitted for. */
export function recordSchema(node: Node, schema: FunctionSchema): void {
  schemas.set(node, schema);
}

/** The overload of `node`: the recorded one, else what the table finds for its input types. */
export function schemaOf(registry: OperatorRegistry, node: Node): FunctionSchema | undefined {
  return schemas.get(node) ?? registry.schemaForNode(node);
}

/** The facts of `node`'s overload (the recorded one when known). */
export function factsOf(registry: OperatorRegistry, node: Node): OpFacts | undefined {
  const schema = schemas.get(node);
  return schema ? registry.facts(schema) : registry.factsForNode(node);
}

/** The operator of `node` for alias analysis: its recorded (or found) schema and that schema's facts. */
export function operatorOf(registry: OperatorRegistry, node: Node): OperatorInfo | undefined {
  const schema = schemaOf(registry, node);
  return schema ? { schema, facts: registry.facts(schema) } : undefined;
}
