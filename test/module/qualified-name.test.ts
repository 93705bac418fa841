// Qualified names and PyTorch's mangling: inserting/bumping `___torch_mangle_N`, unmangling, and a
// compilation unit's counter and uniqueness.

import { expect } from 'chai';
import {
  baseName,
  isMangled,
  mangleIndex,
  mangleName,
  qualifyName,
  unmangleName,
} from '../../src/module/qualified-name.js';
import { CompilationUnit } from '../../src/module/compilation-unit.js';
import { ClassType } from '../../src/module/class-type.js';
import { TsFreezeError } from '../../src/errors.js';

describe('module/qualified-name', () => {
  it('inserts the mangle atom right before the base name', () => {
    expect(mangleName('__torch__.MyModule', 0)).to.equal('__torch__.___torch_mangle_0.MyModule');
    expect(mangleName('__torch__.torch.nn.modules.linear.Linear', 1)).to.equal(
      '__torch__.torch.nn.modules.linear.___torch_mangle_1.Linear',
    );
  });

  it('replaces an existing mangle atom instead of adding a second one', () => {
    expect(mangleName('__torch__.___torch_mangle_3.MyModule', 9)).to.equal(
      '__torch__.___torch_mangle_9.MyModule',
    );
  });

  it('unmangles and reads the index and base name', () => {
    const name = '__torch__.torch.nn.modules.linear.___torch_mangle_12.Linear';
    expect(unmangleName(name)).to.equal('__torch__.torch.nn.modules.linear.Linear');
    expect(mangleIndex(name)).to.equal(12);
    expect(isMangled(name)).to.equal(true);
    expect(isMangled('__torch__.MyModule')).to.equal(false);
    expect(mangleIndex('__torch__.MyModule')).to.equal(undefined);
    expect(baseName(name)).to.equal('Linear');
  });

  it('qualifies bare class names under __torch__ only', () => {
    expect(qualifyName('MyModule')).to.equal('__torch__.MyModule');
    expect(qualifyName('__torch__.a.B')).to.equal('__torch__.a.B');
  });
});

describe('module/compilation-unit', () => {
  it('hands out increasing mangle indices and skips names already taken', () => {
    const cu = new CompilationUnit();
    new ClassType('__torch__.M', { cu });
    new ClassType('__torch__.___torch_mangle_1.M', { cu });
    expect(cu.mangle('__torch__.M')).to.equal('__torch__.___torch_mangle_0.M');
    // 1 is taken, so the next free index is 2.
    expect(cu.mangle('__torch__.M')).to.equal('__torch__.___torch_mangle_2.M');
  });

  it('jumps past the index of a name that is already mangled', () => {
    const cu = new CompilationUnit();
    expect(cu.mangle('__torch__.___torch_mangle_7.M')).to.equal('__torch__.___torch_mangle_8.M');
    expect(cu.mangle('__torch__.N')).to.equal('__torch__.___torch_mangle_9.N');
  });

  it('uniqueName keeps a free name and mangles a taken one', () => {
    const cu = new CompilationUnit();
    expect(cu.uniqueName('__torch__.A')).to.equal('__torch__.A');
    new ClassType('__torch__.A', { cu });
    expect(cu.uniqueName('__torch__.A')).to.equal('__torch__.___torch_mangle_0.A');
  });

  it('refuses to register a class name twice, and mangles on request', () => {
    const cu = new CompilationUnit();
    const a = new ClassType('__torch__.A', { cu });
    expect(() => new ClassType('__torch__.A', { cu }))
      .to.throw(TsFreezeError)
      .with.property('code', 'DUPLICATE_CLASS');
    const b = new ClassType('__torch__.A', { cu, mangle: true });
    expect(b.qualifiedName).to.equal('__torch__.___torch_mangle_0.A');
    expect(cu.getType('__torch__.A')).to.equal(a);
    expect(cu.types).to.deep.equal([a, b]);
  });
});
