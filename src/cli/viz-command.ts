// `tsfreeze viz FILE.ir|MODEL.pt [--method m] -o out.svg|out.html`: draws one graph, laid out by ELK.
// An SVG is static (regions that do not fit stay closed); the HTML page opens them on click.

import { Command, Option } from 'commander';
import { createFreezeContainer } from '../../passes/freeze.js';
import { PipelineError } from '../errors.js';
import { parseIR, type Graph } from '../ir/index.js';
import { BufferSink, runPipeline } from '../pipeline/index.js';
import {
  buildView,
  defaultExpansion,
  drawPicture,
  graphDataOf,
  renderReportHtml,
  reportWithPictures,
  writeWhole,
} from '../report/index.js';
import { loadModelFile, type CliIO } from './io.js';
import { blankComments, readText } from './opt-command.js';

interface VizFlags {
  method: string;
  inline?: boolean;
  group: boolean;
  budget: number;
  output: string;
}

function parseBudget(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 10)
    throw new PipelineError('BAD_OPTION', `--budget expects an integer >= 10, got '${value}'`);
  return n;
}

export function vizCommand(io: CliIO): Command {
  return new Command('viz')
    .description(
      'draw a graph (an IR file, or a method of a .pt model) as SVG or as a self-contained HTML page',
    )
    .argument('<file>', 'IR text file, or a .pt file written by torch.jit.save')
    .option('--method <name>', 'the method of a .pt model to draw', 'forward')
    .option('--inline', 'inline submodule calls first (a .pt model)')
    .option('--no-group', 'do not group inlined nodes by the submodule they came from')
    .addOption(
      new Option('--budget <n>', 'boxes an SVG draws before regions stay closed')
        .argParser(parseBudget)
        .default(400),
    )
    .requiredOption('-o, --output <file>', 'out.svg or out.html')
    .action((file: string, flags: VizFlags) => runViz(file, flags, io));
}

async function runViz(file: string, flags: VizFlags, io: CliIO): Promise<void> {
  const kind = /\.(svg|html?)$/i.exec(flags.output)?.[1].toLowerCase();
  if (!kind) throw new PipelineError('USAGE', `-o ${flags.output}: write an .svg or an .html file`);
  const graph = loadGraph(file, flags);
  if (kind === 'svg') {
    const data = graphDataOf(graph, file);
    const view = buildView(data.nodes, data.states[0].graph, { groupByModule: flags.group });
    const open = defaultExpansion(view, new Set(), flags.budget);
    const picture = await drawPicture(view, open);
    writeWhole(flags.output, `${picture.svg}\n`);
    io.err(
      `drew ${picture.drawnKeys.length} of ${view.size} nodes (${view.foldedCount} constants in labels) to ${flags.output}\n`,
    );
    return;
  }
  const data = await reportWithPictures(graphDataOf(graph, file, flags.method));
  writeWhole(flags.output, renderReportHtml(data));
  io.err(`wrote ${flags.output}\n`);
}

function loadGraph(file: string, flags: VizFlags): Graph {
  if (!file.endsWith('.pt')) return parseIR(blankComments(readText(file)), { file });
  const module = loadModelFile(file);
  const method = module.findMethod(flags.method);
  if (!method)
    throw new PipelineError(
      'USAGE',
      `${file} has no method '${flags.method}' (methods: ${module.methodNames().join(', ')})`,
    );
  if (flags.inline)
    runPipeline(createFreezeContainer({ output: new BufferSink() }), module, 'inline-submodules');
  return module.getMethod(flags.method).graph;
}
