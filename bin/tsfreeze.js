#!/usr/bin/env node
// Entry point of the `tsfreeze` command: the compiled CLI lives in dist/.
import 'reflect-metadata';
const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
