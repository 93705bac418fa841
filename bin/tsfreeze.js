#!/usr/bin/env node
// Entry point of the `tsfreeze` command: the compiled CLI lives in dist/. It loads only what the
// subcommand being run needs (`tsfreeze --help` loads commander alone).
const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
