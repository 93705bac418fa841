// Compiling TorchScript source in tests: the text becomes code/__torch__.py of an in-memory archive and its
// functions and classes are imported as the loader would (`__torch__.<name>`).

import { CompilationUnit, type Function } from '../../src/module/index.js';
import { OperatorRegistry } from '../../src/ops/index.js';
import { SourceImporter } from '../../src/serialization/index.js';
import { buildArchive, readArchive } from '../../src/serialization/zip/index.js';
import { TensorTensor, type Type } from '../../src/ir/index.js';
import type { Tensor } from '../../src/tensor/index.js';

const registry = new OperatorRegistry();

/** The functions and types of a compiled source. */
export interface CompiledSource {
  function(name: string): Function;
  type(name: string): Type | undefined;
  readonly cu: CompilationUnit;
}

/** Compiles `source` as code/__torch__.py; functions compile when first asked for. */
export function compileSource(source: string, constants: readonly Tensor[] = []): CompiledSource {
  const bytes = buildArchive([
    { name: 'version', data: '3\n' },
    { name: 'code/__torch__.py', data: source },
  ]);
  const archive = readArchive(bytes, { name: 'test.pt', requireDataPkl: false });
  const cu = new CompilationUnit();
  const importer = new SourceImporter(archive, {
    registry,
    constants: constants.map((value) => ({ value, type: TensorTensor })),
    cu,
  });
  return {
    cu,
    function(name: string): Function {
      const fn = importer.findFunction(`__torch__.${name}`);
      if (!fn) throw new Error(`no function ${name}`);
      return fn;
    },
    type: (name: string) => importer.findNamedType(`__torch__.${name}`),
  };
}
