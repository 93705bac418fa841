// Bundles the report page script (src/report/client, with the DOM-free model it shares with Node) into
// dist/report/client.js, one IIFE that the HTML report inlines. Run after tsc by `npm run build`.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/report/client/main.ts'],
  outfile: 'dist/report/client.js',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'inline',
  logLevel: 'warning',
});
