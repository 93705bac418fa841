// commander, loaded with require(): importing its CommonJS entry as an ES module makes Node scan the
// source for export names first, a few ms of every `tsfreeze --help`. It is the same instance that
// `import ... from 'commander'` gives elsewhere (one module cache), so classes and errors agree.

import { createRequire } from 'node:module';
import type * as Commander from 'commander';

const commander = createRequire(import.meta.url)('commander') as typeof Commander;

export const Command = commander.Command;
export type Command = Commander.Command;
export const Help = commander.Help;
export type Help = Commander.Help;
export const Option = commander.Option;
export type Option = Commander.Option;
export const CommanderError = commander.CommanderError;
export type CommanderError = Commander.CommanderError;
export const InvalidArgumentError = commander.InvalidArgumentError;
export type InvalidArgumentError = Commander.InvalidArgumentError;
