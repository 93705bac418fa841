// --plugin PATH|PACKAGE (repeatable): loads third-party passes before anything else reads pass names.

import { Option } from 'commander';
import type { PassManagerFlagGroup } from '../pass-manager-flags.js';
import { loadPlugin } from '../plugins.js';
import { collect, listValue } from './values.js';

export const pluginFlags: PassManagerFlagGroup = {
  name: 'plugins',
  options: () => [
    new Option(
      '--plugin <path|package>',
      'load passes from a JS file or an installed package (tsfreeze-plugin-NAME or NAME); repeatable',
    )
      .argParser(collect)
      .default([]),
  ],
  async apply(values, run) {
    for (const spec of listValue(values, 'plugin')) await loadPlugin(run.container, spec);
  },
};
