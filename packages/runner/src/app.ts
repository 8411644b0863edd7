import * as path from 'node:path';
import { BackendUnavailableError } from '@cnn/backend';
import { DatasetError } from '@cnn/datasets';
import { RunDirError, RunFlagError } from './errors';
import { parseRunFlags, type RunFlags, usage } from './flags';
import type { AppRecipe } from './recipe';
import { type RunOptions, type RunResult, runRecipe } from './run';

/** An app: a recipe, and how its tutorial words its output. */
export interface AppOptions extends Omit<RunOptions, 'stop'> {
  /** The command line after the program name (default `process.argv.slice(2)`). */
  argv?: readonly string[];
  /** How users start the app, for `--help` and the resume hint (default `pnpm start --`). */
  command?: string;
  /** A paragraph at the top of `--help`. */
  about?: string;
  /** Called with the result of a finished run, before the closing lines (e.g. for extra output). */
  onFinished?(result: RunResult): void | Promise<void>;
}

/**
 * Runs `recipe` as a command-line app and resolves to its exit code: 0 done, 1 failed (the
 * reason printed), 2 bad flags, 130 stopped by Ctrl-C (the last checkpoint kept, the resume
 * command printed). Ctrl-C twice exits at once.
 */
export async function runApp(recipe: AppRecipe, options: AppOptions = {}): Promise<number> {
  const given = options.argv ?? process.argv.slice(2);
  // `pnpm start -- --epochs 1` passes the `--` on: drop it.
  const argv = given[0] === '--' ? given.slice(1) : given;
  const command = options.command ?? 'pnpm start --';
  const defaults = {
    epochs: recipe.epochs,
    batchSize: recipe.batchSize,
    testBatchSize: recipe.testBatchSize,
    lr: recipe.optimizerSettings.lr,
  };
  let flags: RunFlags;
  try {
    const parsed = parseRunFlags(argv, defaults);
    if (parsed.help) {
      console.log(usage(recipe.name, defaults, options.about ?? `${recipe.name} (${recipe.id}): ${recipe.title}`));
      return 0;
    }
    flags = parsed.flags;
  } catch (err) {
    if (!(err instanceof RunFlagError)) throw err;
    console.error(`${recipe.name}: ${err.message}\nRun '${command} --help' for the flags.`);
    return 2;
  }
  const stop = { requested: false };
  const onSigint = () => {
    if (stop.requested) process.exit(130);
    stop.requested = true;
    process.stderr.write('\nstopping after this step (Ctrl-C again to quit at once)...\n');
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await runRecipe(recipe, flags, { ...options, stop });
    if (result.stopped) {
      const ck = result.stopped.checkpointStep;
      const rest = argv.filter(
        (a, i) => a !== '--resume' && a !== '--out' && argv[i - 1] !== '--out' && !a.startsWith('--out='),
      );
      console.log(
        `stopped at step ${result.stopped.step}; ` +
          (ck === undefined
            ? `no checkpoint was written yet: start again (remove ${result.outDir} or pass another --out).`
            : `the last checkpoint (step ${ck}) is ${path.join(result.outDir, 'last.ckpt')}.\nResume with: ${command} ${[...rest, '--resume', '--out', result.outDir].join(' ')}`),
      );
      return 130;
    }
    await options.onFinished?.(result);
    const s = result.summary!;
    console.log(
      `test accuracy ${(s.testAccuracy * 100).toFixed(2)}% (${s.correct}/${s.total}), loss ${s.testLoss.toFixed(4)}; ` +
        `${s.epochs} epoch${s.epochs === 1 ? '' : 's'} in ${s.seconds.toFixed(1)} s (${Math.round(s.imgPerSec)} img/s) on ${s.backend.split(' ')[0]}`,
    );
    console.log(`model: ${path.join(result.outDir, 'model')}`);
    if (result.reportFile) console.log(`report: ${result.reportFile}`);
    console.log(`run directory: ${result.outDir}`);
    return 0;
  } catch (err) {
    if (err instanceof RunDirError || err instanceof DatasetError || err instanceof BackendUnavailableError) {
      console.error(`${recipe.name}: ${err.message}`);
      return err instanceof RunDirError ? 2 : 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
