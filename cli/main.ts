/**
 * `artificial-mri analyze`: the Node command line over the same analysis core as the app (the readers of
 * src/formats, `scanTensor` of workers/, the metrics of src/analysis), so both print identical numbers.
 *
 *   npm run analyze -- model.safetensors --csv
 *   npx artificial-mri analyze model.onnx --json
 *   npx artificial-mri analyze model.onnx --netron > model.metrics.json   (open it in Netron over the model)
 *   npm run analyze -- model.safetensors --low-rank 0.9 --out small.safetensors   (cli/lowRank.ts)
 */
import { FormatError } from '../src/formats/formatError';
import { openModel } from '../src/formats/registry';
import { toModelInfo } from '../src/model/types';
import type { AnalyzeArgs } from './args';
import { USAGE, UsageError, parseAnalyzeArgs } from './args';
import { scanModel } from './scanModel';
import { toCsv, toTable } from './formatRecords';
import { netronAttachmentText } from '../workers/netronAttachment';
import { openFiles } from './nodeFiles';
import { cliLinalg } from './linalg';
import type { AnalysisSettings } from '../workers/protocol';
import { formatStudy, studyCheckpoints } from './checkpoints';
import { diffModels } from './diff';
import { formatLowRank, writeLowRank } from './lowRank';

/** The columns of the terminal table (the CSV and JSON have all of them). */
const TABLE_COLUMNS = ['name', 'shape', 'layer_type', 'N', 'M', 'rf', 'num_evals', 'alpha', 'xmin', 'D', 'spectral_norm', 'stable_rank', 'alpha_weighted', 'log_norm', 'num_spikes', 'sigma_mp', 'mp_softrank', 'warning', 'status', 'error'];

function tableColumns(layers: readonly Record<string, unknown>[]): string[] {
  return TABLE_COLUMNS.filter((c) => layers.some((l) => c in l));
}

/** Exit codes: 0 done, 1 the model could not be opened, 2 bad command line. */
export type ExitCode = 0 | 1 | 2;

/** Where output goes (tests pass collectors). */
export interface Streams {
  out(text: string): void;
  err(text: string): void;
}

/** The analysis settings a command line asks for. */
function settingsOf(args: AnalyzeArgs): AnalysisSettings {
  return {
    conv: args.conv,
    ...(args.operatorInputSize !== undefined ? { operatorInputSize: args.operatorInputSize } : {}),
    mpFit: args.mpFit,
    normalization: args.normalization,
    exactTail: args.exactTail,
    randomize: args.randomize,
    ...(args.seed !== undefined ? { randomizeSeed: args.seed } : {}),
    filters: {
      ...(args.minEvals !== undefined ? { minEvals: args.minEvals } : {}),
      ...(args.maxEvals !== undefined ? { maxEvals: args.maxEvals } : {}),
      ...(args.maxN !== undefined ? { maxN: args.maxN } : {}),
    },
  };
}

async function study(args: AnalyzeArgs, io: Streams): Promise<ExitCode> {
  const linalg = await cliLinalg(args.linalg === 'wasm', io.err);
  const result = await studyCheckpoints(args.files, settingsOf(args), linalg, (text) => io.err(`\r${text}`.padEnd(80)));
  io.err('\r'.padEnd(81) + '\r');
  io.out(formatStudy(result, args.output === 'netron' ? 'table' : args.output));
  return 0;
}

async function diff(args: AnalyzeArgs, io: Streams): Promise<ExitCode> {
  const linalg = await cliLinalg(args.linalg === 'wasm', io.err);
  const [a = '', b = ''] = args.files;
  const result = await diffModels(a, b, args.k, linalg, (text) => io.err(`\r${text}`.padEnd(80)));
  io.err('\r'.padEnd(81) + '\r');
  if (args.output === 'json') io.out(`${JSON.stringify(result, null, 1)}\n`);
  else if (args.output === 'csv') io.out(toCsv(result.records));
  else io.out(toTable(result.records) + result.notCompared.map((m) => `# not compared: ${m.name}: ${m.detail}\n`).join(''));
  return 0;
}

async function lowRank(args: AnalyzeArgs, io: Streams): Promise<ExitCode> {
  const opened = await openFiles(args.files);
  try {
    const model = await openModel(opened.files);
    try {
      const linalg = await cliLinalg(args.linalg === 'wasm', io.err);
      const result = await writeLowRank(model, args, linalg, (done, total, name) => io.err(`\r[${done}/${total}] ${name}`.padEnd(60)));
      io.err('\r'.padEnd(61) + '\r');
      io.out(formatLowRank(result, model, args.output === 'netron' ? 'table' : args.output));
      return 0;
    } finally {
      model.dispose?.();
    }
  } finally {
    await opened.close();
  }
}

async function analyze(args: AnalyzeArgs, io: Streams): Promise<ExitCode> {
  if (args.checkpoints) return study(args, io);
  if (args.diff) return diff(args, io);
  if (args.lowRank) return lowRank(args, io);
  const opened = await openFiles(args.files);
  try {
    const model = await openModel(opened.files);
    const settings = settingsOf(args);
    const linalg = await cliLinalg(args.linalg === 'wasm', io.err);
    const scan = await scanModel(model, settings, linalg, (done, total, name) => io.err(`\r[${done}/${total}] ${name}`.padEnd(60)), opened.files);
    io.err('\r'.padEnd(61) + '\r');
    if (args.output === 'json') io.out(`${JSON.stringify({ model: { ...toModelInfo(model), tensors: undefined }, ...scan }, null, 1)}\n`);
    else if (args.output === 'csv') io.out(toCsv(scan.layers));
    else if (args.output === 'netron') io.out(netronAttachmentText(toModelInfo(model), scan.layers, settings));
    else io.out(toTable(scan.layers, tableColumns(scan.layers)) + [...scan.notes, 'all columns: --csv or --json'].map((n) => `# ${n}\n`).join(''));
    model.dispose?.();
    return 0;
  } finally {
    await opened.close();
  }
}

/** Run the CLI with the arguments after the program name. */
export async function main(argv: readonly string[], io: Streams): Promise<ExitCode> {
  const [command, ...rest] = argv;
  const args = command === 'analyze' ? rest : argv;
  try {
    const parsed = parseAnalyzeArgs(args);
    if (!parsed) {
      io.out(`${USAGE}\n`);
      return 0;
    }
    return await analyze(parsed, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof FormatError) {
      io.err(`${error.code}: ${error.message}\nWhat to do: ${error.remedy}\n`);
      return 1;
    }
    if (error instanceof Error && 'code' in error && (error as { code?: unknown }).code === 'ENOENT') {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
