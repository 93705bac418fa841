// PyTorch 1.13's graph dumps are not always readable back: object constants print as their address
// (`object(0x55d0c8a1f60)`) and non-ASCII string bytes as broken octal escapes (`"na\0)+\/./ve"` for
// "naïve"). Tests that parse PyTorch's graph text skip such dumps (test/fixtures/constants_non_tensor has
// them); the archives themselves are still checked by the load, save and interop tests.

const OBJECT_CONSTANT = /\[value=object\(0x[0-9a-f]+\)\]/;
const BROKEN_OCTAL_ESCAPE = /\\0\)\+\\\//;

/** Why PyTorch's dump `text` cannot be parsed back faithfully, or undefined when it can. */
export function lossyGraphDump(text: string): string | undefined {
  if (OBJECT_CONSTANT.test(text)) return 'PyTorch prints object constants as object(0x…)';
  if (BROKEN_OCTAL_ESCAPE.test(text)) return 'PyTorch prints non-ASCII strings with broken escapes';
  return undefined;
}
