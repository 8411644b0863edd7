import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, type BackendName, backendFromArgs, BackendFlagError } from '@cnn/backend';
import { RunFlagError } from './errors';

/** The settings of one run, from the command line over the recipe's defaults. */
export interface RunFlags {
  /** Epochs to train (default: the recipe's). */
  epochs: number;
  /** Training batch size (default: the recipe's). */
  batchSize: number;
  /** Test batch size (default: the recipe's). */
  testBatchSize: number;
  /** Learning rate (default: the recipe's). */
  lr: number;
  /** Seeds the initial weights, dropout and data order (default 1). */
  seed: number;
  /** Print the training-loss line every this many steps (default: the tutorial's cadence). */
  logInterval: number | undefined;
  /** Train on the first N training images only. */
  limit: number | undefined;
  /** Test on the first N test images only. */
  testLimit: number | undefined;
  backend: BackendName | 'auto';
  /** A directory of MNIST-format IDX files (raw or gzipped); default the embedded MNIST. */
  dataDir: string | undefined;
  /** The run directory (default `runs/<app>/<timestamp>`). */
  out: string | undefined;
  /** Continue the run in `out` (or the newest run of this app) from its last checkpoint. */
  resume: boolean;
  /** Skip the `@cnn/viz` report. */
  report: boolean;
  /** One batch each of training and test data, one epoch. */
  dryRun: boolean;
}

/** What `parseRunFlags` needs to know of the app. */
export interface FlagDefaults {
  epochs: number;
  batchSize: number;
  testBatchSize: number;
  lr: number;
}

/** `--help` asked for, or the parsed flags. */
export type ParsedFlags = { help: true } | { help: false; flags: RunFlags };

/** The `--help` text of an app called `app`, with its defaults. */
export function usage(app: string, d: FlagDefaults, about = ''): string {
  return `${about ? `${about}\n\n` : ''}usage: ${app} [flags]

  --epochs N             epochs to train (default ${d.epochs})
  --batch-size N         training batch size (default ${d.batchSize})
  --test-batch-size N    test batch size (default ${d.testBatchSize})
  --lr X                 learning rate (default ${d.lr})
  --seed N               seed of the initial weights, dropout and data order (default 1)
  --log-interval N       print the training loss every N steps (default: the tutorial's cadence)
  --limit N              train on the first N training images only (quick runs)
  --test-limit N         test on the first N test images only
  --backend NAME         ${BACKEND_CHOICES.join(', ')} (default auto: the fastest that runs; env CNN_BACKEND)
  --data-dir DIR         MNIST-format IDX files (raw or .gz), e.g. Fashion-MNIST (default: embedded MNIST)
  --out DIR              run directory (default runs/${app}/<timestamp>)
  --resume               continue the run in --out (default: the newest in runs/${app}) from its checkpoint
  --no-report            do not render the @cnn/viz report
  --dry-run              one batch each of training and test data, one epoch
  -h, --help             this text

Exit codes: 0 done, 1 failed, 2 bad flags, 130 stopped by Ctrl-C (the checkpoint is kept).`;
}

const INT = 'a whole number >= 1';

function whole(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1) throw new RunFlagError(flag, value, INT);
  return n;
}

/**
 * Parses an app's command line (`node:util` parseArgs, strict: unknown flags and stray
 * arguments are errors) over the recipe's defaults. Throws `RunFlagError` naming the flag.
 */
export function parseRunFlags(argv: readonly string[], defaults: FlagDefaults): ParsedFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        epochs: { type: 'string' },
        'batch-size': { type: 'string' },
        'test-batch-size': { type: 'string' },
        lr: { type: 'string' },
        seed: { type: 'string' },
        'log-interval': { type: 'string' },
        limit: { type: 'string' },
        'test-limit': { type: 'string' },
        backend: { type: 'string' },
        'data-dir': { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'boolean' },
        'no-report': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    const message = (err as Error).message;
    const flag = /'(-[^']*)'/.exec(message)?.[1] ?? 'flags';
    throw new RunFlagError(flag, undefined, message.split('\n')[0] ?? message);
  }
  if (values.help) return { help: true };
  const str = (k: string) => values[k] as string | undefined;
  const lrText = str('lr');
  const lr = lrText === undefined ? defaults.lr : Number(lrText);
  if (!(Number.isFinite(lr) && lr > 0)) throw new RunFlagError('--lr', lrText, 'a number > 0');
  const seedText = str('seed');
  const seed = seedText === undefined ? 1 : Number(seedText);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RunFlagError('--seed', seedText, 'a whole number from 0 to 4294967295');
  let backend: BackendName | 'auto';
  try {
    backend = backendFromArgs(str('backend') === undefined ? [] : ['--backend', str('backend') as string]);
  } catch (err) {
    if (err instanceof BackendFlagError)
      throw new RunFlagError(err.source, err.value, `one of ${BACKEND_CHOICES.join(', ')}`);
    throw err;
  }
  for (const k of ['data-dir', 'out']) {
    if (str(k) !== undefined && str(k)!.trim() === '') throw new RunFlagError(`--${k}`, '', 'a directory');
  }
  return {
    help: false,
    flags: {
      epochs: whole('--epochs', str('epochs')) ?? defaults.epochs,
      batchSize: whole('--batch-size', str('batch-size')) ?? defaults.batchSize,
      testBatchSize: whole('--test-batch-size', str('test-batch-size')) ?? defaults.testBatchSize,
      lr,
      seed,
      logInterval: whole('--log-interval', str('log-interval')),
      limit: whole('--limit', str('limit')),
      testLimit: whole('--test-limit', str('test-limit')),
      backend,
      dataDir: str('data-dir'),
      out: str('out'),
      resume: values.resume === true,
      report: values['no-report'] !== true,
      dryRun: values['dry-run'] === true,
    },
  };
}
