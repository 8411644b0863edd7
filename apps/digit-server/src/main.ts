/**
 * Serves the newest trained model with @cnn/serve: the newest finished run under `runs/` (this
 * app's and its sibling apps'), or, when there is none, a run of the `fast` recipe trained first.
 *
 *   pnpm --filter @cnn/app-digit-server start -- [--port 8080] [--host 127.0.0.1] [--runs DIR]...
 *     [--model DIR] [--epochs N --limit N --test-limit N (for the training run)]
 */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { parseRunFlags, runRecipe, timestamp } from '@cnn/runner';
import { runCli } from '@cnn/serve';
import { fastCnn } from '@cnn/zoo';
import { defaultRunRoots, findRuns } from './newest';

const USAGE = `Usage: pnpm --filter @cnn/app-digit-server start -- [options]

  --port N          port (default 8080)          --host ADDR   interface (default 127.0.0.1)
  --runs DIR        look for runs here (repeatable; default ./runs and ../<app>/runs);
                    a new run is trained into the first
  --model DIR       serve this model or run directory instead
  --epochs N, --limit N, --test-limit N   flags of the fast run trained when there is no model
  --backend NAME    backend of the training run (default auto)`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      runs: { type: 'string', multiple: true },
      model: { type: 'string' },
      epochs: { type: 'string' },
      limit: { type: 'string' },
      'test-limit': { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let model = values.model;
  if (model === undefined) {
    const roots = values.runs ?? defaultRunRoots();
    const newest = findRuns(roots)[0];
    if (newest) {
      console.log(`digit-server: the newest run is ${newest.dir} (${newest.app}, finished ${newest.finished})`);
      model = newest.dir;
    } else {
      console.log(`digit-server: no trained model under ${roots.join(', ')}; training the fast recipe first`);
      const trainArgs: string[] = [];
      for (const flag of ['epochs', 'limit', 'test-limit', 'backend'] as const) {
        const v = values[flag];
        if (v !== undefined) trainArgs.push(`--${flag}`, v);
      }
      const parsed = parseRunFlags(trainArgs, {
        epochs: fastCnn.epochs,
        batchSize: fastCnn.batchSize,
        testBatchSize: fastCnn.testBatchSize,
        lr: fastCnn.optimizerSettings.lr,
      });
      if (parsed.help) return 0;
      const out = path.resolve(roots[0] ?? 'runs', fastCnn.name, timestamp());
      const run = await runRecipe(fastCnn, { ...parsed.flags, out, report: false });
      console.log(`digit-server: trained ${run.outDir}`);
      model = run.outDir;
    }
  }
  const served = await runCli(['--model', model, '--port', values.port, '--host', values.host]);
  return typeof served === 'number' ? served : 0;
}

const code = await main(process.argv.slice(2));
if (code !== 0) process.exit(code);
