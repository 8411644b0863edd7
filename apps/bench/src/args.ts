import { MODEL_IDS, type ModelId } from './models';

/** Options of one benchmark run, parsed from the command line. */
export interface BenchOptions {
  models: ModelId[];
  /** Backends to run; `undefined` means every available backend except `cpu`. */
  backends: string[] | undefined;
  /** Timed training steps per model. */
  steps: number;
  /** Untimed training steps before the timed ones. */
  warmup: number;
  inferImages: number;
  inferBatch: number;
  /** Timed repetitions; the best one is reported. */
  repeats: number;
  torch: boolean;
  /** torch.set_num_threads for the PyTorch reference. */
  torchThreads: number;
  /** JSON output path; `undefined` means bench-results/engine-<date>.json. */
  out: string | undefined;
  /** Rewrite apps/bench/RESULTS.md with the table. */
  record: boolean;
  seed: number;
  help: boolean;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  models: [...MODEL_IDS],
  backends: undefined,
  steps: 30,
  warmup: 3,
  inferImages: 10_000,
  inferBatch: 1000,
  repeats: 3,
  torch: true,
  torchThreads: 2,
  out: undefined,
  record: false,
  seed: 0,
  help: false,
};

export const USAGE = `Usage: pnpm bench [options]
  --models 000,002      tutorial models to run (default: ${MODEL_IDS.join(',')})
  --backends native,wasm backends to run (default: every available one except cpu)
  --steps N             timed training steps per model (default ${DEFAULT_OPTIONS.steps})
  --warmup N            untimed training steps first (default ${DEFAULT_OPTIONS.warmup})
  --infer-images N      test images for inference (default ${DEFAULT_OPTIONS.inferImages})
  --infer-batch N       inference batch size (default ${DEFAULT_OPTIONS.inferBatch})
  --repeats N           timed repetitions of each measurement; the best counts (default ${DEFAULT_OPTIONS.repeats})
  --torch / --no-torch  run the PyTorch reference (default: on when a Python with torch is found;
                        CNN_TORCH_PYTHON chooses the interpreter)
  --torch-threads N     torch.set_num_threads for PyTorch (default ${DEFAULT_OPTIONS.torchThreads})
  --out PATH            JSON output (default bench-results/engine-<date>.json)
  --record              also rewrite apps/bench/RESULTS.md with the table
  --seed N              random seed (default 0)
  --help                this text`;

/** A command line the benchmark cannot run with. */
export class BenchArgsError extends Error {
  override name = 'BenchArgsError';
}

/** Parses `argv` (without node and script). Accepts `--flag value` and `--flag=value`. */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = { ...DEFAULT_OPTIONS, models: [...DEFAULT_OPTIONS.models] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue;
    if (!arg.startsWith('--')) throw new BenchArgsError(`unexpected argument "${arg}"; see --help`);
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new BenchArgsError(`${flag} needs a value`);
      i++;
      return next;
    };
    switch (flag) {
      case '--models':
        opts.models = parseModels(value());
        break;
      case '--backends':
        opts.backends = parseList(flag, value());
        break;
      case '--steps':
        opts.steps = parseCount(flag, value(), 1);
        break;
      case '--warmup':
        opts.warmup = parseCount(flag, value(), 0);
        break;
      case '--infer-images':
        opts.inferImages = parseCount(flag, value(), 1);
        break;
      case '--infer-batch':
        opts.inferBatch = parseCount(flag, value(), 1);
        break;
      case '--repeats':
        opts.repeats = parseCount(flag, value(), 1);
        break;
      case '--torch':
        opts.torch = true;
        break;
      case '--no-torch':
        opts.torch = false;
        break;
      case '--torch-threads':
        opts.torchThreads = parseCount(flag, value(), 1);
        break;
      case '--out':
        opts.out = value();
        break;
      case '--record':
        opts.record = true;
        break;
      case '--seed':
        opts.seed = parseCount(flag, value(), 0);
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        throw new BenchArgsError(`unknown flag "${flag}"; see --help`);
    }
  }
  if (opts.inferBatch > opts.inferImages) {
    throw new BenchArgsError(`--infer-batch ${opts.inferBatch} is larger than --infer-images ${opts.inferImages}`);
  }
  return opts;
}

function parseList(flag: string, text: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new BenchArgsError(`${flag} needs at least one name`);
  return [...new Set(items)];
}

function parseModels(text: string): ModelId[] {
  return parseList('--models', text).map((name) => {
    const id = (MODEL_IDS as readonly string[]).find((m) => m === name || m === name.padStart(3, '0'));
    if (!id) throw new BenchArgsError(`--models: unknown model "${name}"; expected one of ${MODEL_IDS.join(', ')}`);
    return id as ModelId;
  });
}

function parseCount(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new BenchArgsError(`${flag} expects an integer ≥ ${min}, got "${text}"`);
  }
  return n;
}
