// TorchScript qualified class names (`__torch__.a.b.C`) and PyTorch's mangling of cloned or
// re-specialised classes (`__torch__.a.b.___torch_mangle_7.C`), as in torch/csrc/jit/frontend/name_mangler.cpp.

/** The atom PyTorch inserts before a class's base name when the name is taken. */
export const MANGLE_PREFIX = '___torch_mangle_';

/** The root namespace of every class compiled from Python (`__torch__`). */
export const TORCH_NAMESPACE = '__torch__';

const MANGLE_ATOM = /^___torch_mangle_(\d+)$/;

/** Splits `__torch__.a.B` into atoms. */
export function nameAtoms(qualifiedName: string): string[] {
  return qualifiedName.split('.');
}

/** The last atom: `C` of `__torch__.a.C`. */
export function baseName(qualifiedName: string): string {
  const atoms = nameAtoms(qualifiedName);
  return atoms[atoms.length - 1];
}

/** Puts a bare class name under `__torch__` (`MyModule` -> `__torch__.MyModule`); qualified names pass through. */
export function qualifyName(name: string): string {
  return name.includes('.') ? name : `${TORCH_NAMESPACE}.${name}`;
}

/** The mangle index of a name (`7` of `__torch__.___torch_mangle_7.C`), or undefined when not mangled. */
export function mangleIndex(qualifiedName: string): number | undefined {
  for (const atom of nameAtoms(qualifiedName)) {
    const m = MANGLE_ATOM.exec(atom);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** True for names carrying a `___torch_mangle_N` atom. */
export function isMangled(qualifiedName: string): boolean {
  return mangleIndex(qualifiedName) !== undefined;
}

/**
 * The name with mangle index `index`: replaces an existing `___torch_mangle_N` atom, or inserts one
 * right before the base name (`__torch__.a.C` -> `__torch__.a.___torch_mangle_3.C`).
 */
export function mangleName(qualifiedName: string, index: number): string {
  const atoms = nameAtoms(qualifiedName);
  const at = atoms.findIndex((a) => MANGLE_ATOM.test(a));
  const atom = `${MANGLE_PREFIX}${index}`;
  if (at >= 0) atoms[at] = atom;
  else atoms.splice(atoms.length - 1, 0, atom);
  return atoms.join('.');
}

/** Drops every `___torch_mangle_N` atom: `__torch__.___torch_mangle_0.MyModule` -> `__torch__.MyModule`. */
export function unmangleName(qualifiedName: string): string {
  return nameAtoms(qualifiedName)
    .filter((a) => !MANGLE_ATOM.test(a))
    .join('.');
}
