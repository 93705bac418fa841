// The built-in table finds an operator's schemas by binary search over TORCH_SCHEMAS, which relies on the
// generator (scripts/extract-schemas.py) sorting them by operator name: checked here, with the overload
// lists compared against a plain grouping of the whole table.

import { expect } from 'chai';
import {
  builtinOperatorNames,
  builtinOverloads,
  operatorNameOf,
  parseBuiltin,
  torchSchemaRange,
} from '../../src/ops/builtin-table.js';
import { SPECIAL_OPS, TORCH_SCHEMAS } from '../../src/ops/index.js';

describe('ops/builtin-table', () => {
  it('TORCH_SCHEMAS is sorted by operator name, so each operator is one contiguous run', () => {
    for (let i = 1; i < TORCH_SCHEMAS.length; i++) {
      const [a, b] = [operatorNameOf(TORCH_SCHEMAS[i - 1]), operatorNameOf(TORCH_SCHEMAS[i])];
      expect(a <= b, `${a} before ${b} at ${i}`).to.equal(true);
    }
  });

  it("gives every operator the table's overloads in order, then the hand-declared ones", () => {
    const grouped = new Map<string, string[]>();
    const add = (text: string): void => {
      const name = operatorNameOf(text);
      grouped.set(name, [...(grouped.get(name) ?? []), text]);
    };
    for (const text of TORCH_SCHEMAS) add(text);
    for (const op of SPECIAL_OPS) add(op.schema);
    expect(builtinOperatorNames()).to.deep.equal([...grouped.keys()].sort());
    for (const [name, texts] of grouped) {
      const overloads = builtinOverloads(name);
      expect(overloads.length, name).to.equal(texts.length);
      // parseBuiltin caches by text: the same object means the same schema string, in the same place.
      overloads.forEach((o, i) => expect(o.schema, `${name} #${i}`).to.equal(parseBuiltin(texts[i])));
    }
  });

  it('finds nothing for unknown names, before the first and after the last operator', () => {
    for (const name of ['aaa::x', 'aten::no_such_op', 'zzz::x', '']) {
      const { start, end } = torchSchemaRange(name);
      expect(end - start, name).to.equal(0);
      expect(builtinOverloads(name), name).to.deep.equal([]);
    }
    const first = operatorNameOf(TORCH_SCHEMAS[0]);
    const last = operatorNameOf(TORCH_SCHEMAS[TORCH_SCHEMAS.length - 1]);
    expect(torchSchemaRange(first).start).to.equal(0);
    expect(torchSchemaRange(last).end).to.equal(TORCH_SCHEMAS.length);
  });
});
