import { parseArgs as parseNodeArgs } from 'node:util';
import { BACKEND_NAMES } from '@cnn/backend';
import { RECIPES, type RecipeId } from '@cnn/zoo';
import { type BenchOptions, DEFAULT_OPTIONS, EPOCH_MODELS } from './usage';

export { type BenchOptions, DEFAULT_OPTIONS, EPOCH_MODELS, USAGE } from './usage';

/** A command line the benchmark cannot run with. */
export class BenchArgsError extends Error {
  override name = 'BenchArgsError';
}

const OPTIONS = {
  models: { type: 'string' },
  backend: { type: 'string' },
  backends: { type: 'string' },
  steps: { type: 'string' },
  seconds: { type: 'string' },
  epoch: { type: 'boolean' },
  limit: { type: 'string' },
  warmup: { type: 'string' },
  'warmup-seconds': { type: 'string' },
  'infer-images': { type: 'string' },
  'infer-batch': { type: 'string' },
  repeats: { type: 'string' },
  torch: { type: 'boolean' },
  'no-torch': { type: 'boolean' },
  'torch-threads': { type: 'string' },
  out: { type: 'string' },
  record: { type: 'boolean' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A number of seconds from 0 to 600 given to `--flag`, or `fallback` when the flag is absent. */
function secondsOf(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value > 600) {
    throw new BenchArgsError(`--${flag} expects a number of seconds from 0 to 600, got "${text}"`);
  }
  return value;
}

/**
 * Parses `argv` (without node and script) with `node:util` parseArgs: `--flag value` and
 * `--flag=value`; a leading `--` (from `pnpm bench -- …`) is skipped. Throws BenchArgsError
 * naming the bad flag or value.
 */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let values: Partial<Record<keyof typeof OPTIONS, string | boolean>>;
  try {
    ({ values } = parseNodeArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new BenchArgsError(`${(e as Error).message.split('\n')[0]}; see --help`);
  }
  const str = (key: keyof typeof OPTIONS) => values[key] as string | undefined;
  const opts: BenchOptions = { ...DEFAULT_OPTIONS, models: [...DEFAULT_OPTIONS.models] };
  if (values.help) opts.help = true;
  if (values.epoch) opts.epoch = true;
  const models = str('models');
  if (models !== undefined) opts.models = parseModels(models);
  else if (opts.epoch) opts.models = [...EPOCH_MODELS];
  const backend = str('backend') ?? str('backends');
  if (backend !== undefined) opts.backends = parseBackends(backend);
  const count = (key: keyof typeof OPTIONS, min: number, fallback: number) => {
    const text = str(key);
    return text === undefined ? fallback : parseCount(`--${key}`, text, min);
  };
  opts.steps = count('steps', 1, opts.steps);
  opts.warmup = count('warmup', 0, opts.warmup);
  opts.inferImages = count('infer-images', 1, opts.inferImages);
  opts.inferBatch = count('infer-batch', 1, opts.inferBatch);
  opts.repeats = count('repeats', 1, opts.repeats);
  const torchThreads = str('torch-threads');
  if (torchThreads !== undefined) opts.torchThreads = parseCount('--torch-threads', torchThreads, 1);
  opts.seed = count('seed', 0, opts.seed);
  opts.seconds = secondsOf('seconds', str('seconds'), opts.seconds);
  opts.warmupSeconds = secondsOf('warmup-seconds', str('warmup-seconds'), opts.warmupSeconds);
  const limit = str('limit');
  if (limit !== undefined) {
    if (!opts.epoch) throw new BenchArgsError('--limit applies to --epoch runs only');
    opts.limit = parseCount('--limit', limit, 1);
  }
  if (values.torch && values['no-torch']) throw new BenchArgsError('--torch and --no-torch contradict each other');
  if (values['no-torch']) opts.torch = false;
  const out = str('out');
  if (out !== undefined) opts.out = out;
  if (values.record) opts.record = true;
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

/** Backend names, checked against @cnn/backend's list. */
function parseBackends(text: string): string[] {
  const names = parseList('--backend', text);
  const unknown = names.filter((b) => !(BACKEND_NAMES as readonly string[]).includes(b));
  if (unknown.length) {
    throw new BenchArgsError(
      `--backend: unknown backend ${unknown.join(', ')}; expected one of ${BACKEND_NAMES.join(', ')}`,
    );
  }
  return names;
}

/** Recipe ids from ids ('002', or '2'), or names ('small-cnn'). */
function parseModels(text: string): RecipeId[] {
  const ids = parseList('--models', text).map((key) => {
    const found = RECIPES.find(
      (r) => r.id === key || r.name === key || (/^\d{1,3}$/.test(key) && r.id === key.padStart(3, '0')),
    );
    if (!found) {
      const valid = RECIPES.map((r) => `${r.id} (${r.name})`).join(', ');
      throw new BenchArgsError(`--models: unknown model "${key}"; expected one of ${valid}`);
    }
    return found.id;
  });
  return [...new Set(ids)];
}

function parseCount(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new BenchArgsError(`${flag} expects an integer ≥ ${min}, got "${text}"`);
  }
  return n;
}
