// Child-process entry of the zoo sweep: checks one row and mode and writes <row>/<mode>/ours.json. A
// separate process per model keeps one model's crash or memory from taking down the sweep.
//   node dist/test/zoo/run-row.js .zoo-cache/resnet18 script 1e-5

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkMode } from './check-model.js';

const [rowDir, mode, atol] = process.argv.slice(2);
if (!rowDir || !mode) {
  process.stderr.write('usage: run-row.js ROW_DIR MODE [ATOL]\n');
  process.exit(2);
}
const result = checkMode({ rowDir, mode, atol: atol === undefined ? 1e-5 : Number(atol) });
writeFileSync(join(rowDir, mode, 'ours.json'), `${JSON.stringify(result, null, 1)}\n`);
