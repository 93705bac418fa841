// Child-process entry of the zoo sweep: checks one row and mode and writes <row>/<mode>/ours.json. A
// separate process per model keeps one model's crash or memory from taking down the sweep.
//   node dist/test/zoo/run-row.js .zoo-cache/resnet18 script 1e-5

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkMode, type ModeResult } from './check-model.js';

const [rowDir, mode, atol] = process.argv.slice(2);
if (!rowDir || !mode) {
  process.stderr.write('usage: run-row.js ROW_DIR MODE [ATOL]\n');
  process.exit(2);
}
let result: ModeResult;
try {
  result = checkMode({ rowDir, mode, atol: atol === undefined ? 1e-5 : Number(atol) });
} catch (e) {
  // Outside every step (reading PyTorch's records, counting, listing ops): the table says so, with the error.
  const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  result = {
    row: rowDir,
    mode,
    steps: { load: { status: 'fail', detail: `the zoo check itself failed: ${why.slice(0, 1500)}` } },
  };
}
writeFileSync(join(rowDir, mode, 'ours.json'), `${JSON.stringify(result, null, 1)}\n`);
