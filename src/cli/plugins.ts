// `--plugin PATH|PACKAGE`: finds a plugin the way eslint finds its plugins (a path, or a package name
// resolved from the working directory, `tsfreeze-plugin-` prefix first), imports it and registers it.
// Each plugin is recorded in the container (PLUGIN token), so errors and reproducers can name it.

import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { resolve as resolveImport } from 'import-meta-resolve';
import type { Container } from 'inversify';
import { isTsFreezeError, PipelineError } from '../errors.js';
import {
  getPassDeclaration,
  PASS_DECLARATION,
  PLUGIN,
  registerPasses,
  type PassClass,
  type PassDeclaration,
  type PluginRecord,
} from '../pipeline/index.js';

/** True when a `--plugin` value is a file path rather than a package name. */
export function isPluginPath(spec: string): boolean {
  return (
    spec.startsWith('.') ||
    isAbsolute(spec) ||
    /\.(c|m)?js$/.test(spec) ||
    (spec.includes('\\') && !spec.startsWith('@'))
  );
}

/**
 * The package names tried for a plugin name, in order (eslint's convention with our prefix):
 * `x` -> `tsfreeze-plugin-x`, `x`; `@s` -> `@s/tsfreeze-plugin`; `@s/x` -> `@s/tsfreeze-plugin-x`, `@s/x`.
 */
export function pluginPackageCandidates(name: string): string[] {
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    if (slash < 0) return [`${name}/tsfreeze-plugin`];
    const scope = name.slice(0, slash);
    const rest = name.slice(slash + 1);
    return rest.startsWith('tsfreeze-plugin') ? [name] : [`${scope}/tsfreeze-plugin-${rest}`, name];
  }
  return name.startsWith('tsfreeze-plugin-') ? [name] : [`tsfreeze-plugin-${name}`, name];
}

/** The file a `--plugin` value names: a path relative to `cwd`, or a package resolved from `cwd`. */
export function resolvePlugin(spec: string, cwd = process.cwd()): string {
  if (isPluginPath(spec)) {
    const file = resolve(cwd, spec);
    if (!existsSync(file))
      throw new PipelineError('BAD_PLUGIN', `cannot load plugin ${spec}: no file ${file}`);
    return file;
  }
  const parent = pathToFileURL(resolve(cwd, 'package.json')).href;
  const tried = pluginPackageCandidates(spec);
  for (const name of tried) {
    try {
      return fileURLToPath(resolveImport(name, parent));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED')
        throw badPlugin(spec, error);
    }
  }
  throw new PipelineError(
    'BAD_PLUGIN',
    `cannot load plugin ${spec}: no package ${tried.map((t) => `'${t}'`).join(' or ')} is installed where ${cwd} resolves packages (npm install it, or give a path starting with ./)`,
  );
}

function badPlugin(spec: string, error: unknown): PipelineError {
  return new PipelineError(
    'BAD_PLUGIN',
    `cannot load plugin ${spec}: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

/**
 * Loads a plugin and registers what it exports: `register(container)`, or a `passes` array of pass
 * classes / definePass results (also accepted as the default export). Loading the same file twice
 * is a no-op. Errors name the plugin. Returns the plugin's record.
 */
export async function loadPlugin(
  container: Container,
  spec: string,
  cwd = process.cwd(),
): Promise<PluginRecord> {
  const file = resolvePlugin(spec, cwd);
  const already = (container.isBound(PLUGIN) ? container.getAll<PluginRecord>(PLUGIN) : []).find(
    (p) => p.file === file,
  );
  if (already) return already;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw badPlugin(spec, error);
  }
  const before = new Set(declaredNames(container));
  try {
    registerExports(container, mod, spec);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isTsFreezeError(error)) {
      // Keep the documented code (DUPLICATE_PASS, ...): say which plugin was being loaded.
      if (message.includes(spec)) throw error;
      throw new PipelineError(error.code, `while loading plugin ${spec}: ${message}`, { cause: error });
    }
    throw new PipelineError('BAD_PLUGIN', `plugin ${spec} failed to register: ${message}`, { cause: error });
  }
  const passes = declaredNames(container).filter((n) => !before.has(n));
  const record: PluginRecord = { spec, file, passes };
  container.bind(PLUGIN).toConstantValue(record);
  return record;
}

function declaredNames(container: Container): string[] {
  if (!container.isBound(PASS_DECLARATION)) return [];
  return container.getAll<PassDeclaration>(PASS_DECLARATION).map((d) => d.name);
}

function registerExports(container: Container, mod: Record<string, unknown>, spec: string): void {
  const def = mod.default;
  const candidates = [mod, typeof def === 'object' && def !== null ? (def as Record<string, unknown>) : {}];
  for (const m of candidates) {
    if (typeof m.register === 'function') {
      (m.register as (c: Container) => void)(container);
      return;
    }
    if (Array.isArray(m.passes)) {
      registerPasses(container, m.passes as PassClass[]);
      return;
    }
  }
  if (Array.isArray(def)) {
    registerPasses(container, def as PassClass[]);
    return;
  }
  if (typeof def === 'function' && !getPassDeclaration(def)) {
    (def as (c: Container) => void)(container);
    return;
  }
  throw new PipelineError(
    'BAD_PLUGIN',
    `plugin ${spec} exports neither register(container) nor a passes array`,
  );
}
