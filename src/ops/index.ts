// The operator table: schema parsing and printing, PyTorch 1.13's schemas with per-op facts,
// overload resolution, and the registry kernels and shape rules attach to.

export {
  AliasInfo,
  Argument,
  FunctionSchema,
  WILDCARD,
  type ArgumentInit,
  type FunctionSchemaInit,
} from './schema.js';
export { parseSchema, parseSchemaType, SchemaParseError } from './schema-parser.js';
export { formatFloat as formatSchemaFloat, quoteString as quoteSchemaString } from './literals.js';
export {
  AnyClassType,
  AnyClassTypeImpl,
  AnyEnumType,
  AnyEnumTypeImpl,
  fakeType,
  QSchemeType,
  RRefType,
  schemaTypeStr,
  SymIntType,
} from './schema-types.js';
export {
  hasTypeVariables,
  isSchemaSubtype,
  matchTypeVariables,
  substituteTypeVariables,
  unifyTypes,
  type TypeEnv,
} from './type-matching.js';
export {
  isMatch,
  matchSchema,
  type ArgSource,
  type Conversion,
  type MatchFailure,
  type MatchOptions,
  type SchemaMatch,
} from './schema-matching.js';
export {
  computeFacts,
  isDropoutFamily,
  type AliasAnalysisKind,
  type FactOverrides,
  type OpCategory,
  type OpFacts,
} from './facts.js';
export { FACT_OVERRIDES, SPECIAL_OPS, type SpecialOp } from './special-ops.js';
export {
  OperatorEntry,
  OperatorError,
  type KernelFn,
  type OperatorOptions,
  type ShapeRuleFn,
} from './operator-entry.js';
export { builtinOperatorNames, builtinOverloadCount, operatorNameOf } from './builtin-table.js';
export { OPERATOR_REGISTRY, OperatorRegistry, type RegistryOptions, type Resolution } from './registry.js';
export { TORCH_SCHEMAS } from './data/schemas.js';
