import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '@cnn/backend';
import { isClusterWorker, runCluster } from './cluster';
import { UsageError } from './errors';
import { type ServeOptions, type Server, startServer } from './server';

export const USAGE = `Usage: cnn-serve --model <dir> [options]

Serves a model saved by @cnn/layers (a model directory, or a run directory runs/<app>/<timestamp>)
over HTTP: POST /predict, POST /predict/batch, GET /health, /model, /metrics and the page at /.

Options:
  --model <dir>         model or run directory (required)
  --port <n>            TCP port, 0 for any free one (default 8080)
  --host <addr>         interface to bind (default 127.0.0.1: this machine only)
  --backend <name>      tfjs backend of the inference thread: ${BACKEND_NAMES.join(', ')} or auto (default wasm)
  --inference <where>   worker (default) or main
  --max-batch <n>       most images per forward pass; 1 turns micro-batching off (default 64)
  --max-wait-ms <ms>    longest wait for a batch to fill (default 0: batch what arrives during a pass)
  --max-queue <n>       most images waiting before 503 (default 1024)
  --body-limit <bytes>  largest request body (default 4194304)
  --cors-origin <url>   allow this origin (CORS is off by default)
  --workers <n>         run n servers on the same port with Node's cluster module (default 1)
  -h, --help            this text`;

function int(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} should be an integer ≥ ${min}, not "${v}"`);
  return n;
}

/** The options of `cnn-serve`: the server's, and how many copies of it to run. */
export interface CliOptions extends ServeOptions {
  /** Servers on the same port (Node's cluster module); 1 runs the server in this process. */
  workers?: number;
}

/** Parses the `cnn-serve` command line into server options (throws `UsageError`); null for --help. */
export function parseServeArgs(argv: string[]): CliOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        model: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        backend: { type: 'string' },
        inference: { type: 'string' },
        'max-batch': { type: 'string' },
        'max-wait-ms': { type: 'string' },
        'max-queue': { type: 'string' },
        'body-limit': { type: 'string' },
        'cors-origin': { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return null;
  const s = (k: string) => values[k] as string | undefined;
  const model = s('model');
  if (!model) throw new UsageError('--model <dir> is required');
  const backend = s('backend') ?? 'wasm';
  if (backend !== 'auto' && !(BACKEND_NAMES as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend should be one of ${BACKEND_NAMES.join(', ')} or auto, not "${backend}"`);
  }
  const inference = s('inference') ?? 'worker';
  if (inference !== 'worker' && inference !== 'main') {
    throw new UsageError(`--inference should be worker or main, not "${inference}"`);
  }
  const batch: ServeOptions['batch'] = {};
  const maxBatch = int('max-batch', s('max-batch'), 1);
  const maxWaitMs = int('max-wait-ms', s('max-wait-ms'), 0);
  const maxQueue = int('max-queue', s('max-queue'), 1);
  if (maxBatch !== undefined) batch.maxBatch = maxBatch;
  if (maxWaitMs !== undefined) batch.maxWaitMs = maxWaitMs;
  if (maxQueue !== undefined) batch.maxQueue = maxQueue;
  const options: CliOptions = { model, backend: backend as BackendName | 'auto', inference, batch };
  const workers = int('workers', s('workers'), 1);
  if (workers !== undefined) options.workers = workers;
  const port = int('port', s('port'), 0);
  const bodyLimit = int('body-limit', s('body-limit'), 1);
  if (port !== undefined) options.port = port;
  if (bodyLimit !== undefined) options.bodyLimit = bodyLimit;
  const host = s('host');
  const cors = s('cors-origin');
  if (host !== undefined) options.host = host;
  if (cors !== undefined) options.corsOrigin = cors;
  return options;
}

/** Where `runCli` writes. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

/**
 * Runs `cnn-serve`: starts the server and resolves with it, after printing its address; on
 * SIGTERM or SIGINT it drains the requests in flight and exits with 0. Resolves with an exit
 * code instead when there is nothing to serve (2 for a bad command line, 1 for a bad model).
 */
export async function runCli(argv: string[], io: CliIo = stdio): Promise<Server | number> {
  let options: CliOptions | null;
  try {
    options = parseServeArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`cnn-serve: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === null) {
    io.out(USAGE);
    return 0;
  }
  if ((options.workers ?? 1) > 1 && !isClusterWorker()) {
    const code = await runCluster(argv, options.workers ?? 1, io.out);
    return code;
  }
  let server: Server;
  try {
    server = await startServer(options);
  } catch (err) {
    io.err(`cnn-serve: ${(err as Error).message}`);
    return 1;
  }
  const { backend } = server.engine.info;
  io.out(
    `cnn-serve: serving ${server.model.dir} at ${server.url} (${backend}; inference in the ${server.engine.mode} thread)`,
  );
  const stop = (signal: string) => {
    io.out(`cnn-serve: ${signal}: finishing the requests in flight`);
    server.close().then(
      () => {
        io.out('cnn-serve: stopped');
        process.exit(0);
      },
      (err: Error) => {
        io.err(`cnn-serve: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return server;
}
