/**
 * Load benchmark of cnn-serve on loopback: requests/s and p50/p99 latency of `POST /predict`
 * (one MNIST digit as JSON) at several concurrencies, with and without micro-batching, and in
 * cluster mode; `tf.memory()` tensors and RSS of the server before and after each run.
 * Each run is bounded in time (--duration seconds) and only ever talks to 127.0.0.1.
 *
 *   pnpm --filter @cnn/serve load [--model DIR] [--duration 5] [--concurrency 1,16,256] [--workers 2]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { testDigits, trainedModelDir } from '../test/model-fixture';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    duration: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '1,16,256' },
    workers: { type: 'string', default: '2' },
  },
});
const duration = Number(values.duration);
const levels = values.concurrency.split(',').map(Number);
const workers = Number(values.workers);
const model = values.model ?? (await trainedModelDir());
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const body = JSON.stringify({ pixels: Array.from(testDigits(1).images[0] as Uint8Array) });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@cnn/source', 'src/cli.ts', '--model', model, '--port', String(port), ...args],
    { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  const servers = args.includes('--workers') ? workers : 1;
  while ((out.match(/ at http:/g) ?? []).length < servers) {
    if (child.exitCode !== null) throw new Error(`cnn-serve exited:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url: `http://127.0.0.1:${port}` };
}

async function gauges(url: string): Promise<{ tensors: number; rssMb: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(' ')[1]) : Number.NaN;
  };
  return { tensors: value('cnn_serve_tf_tensors'), rssMb: Math.round(value('cnn_serve_resident_memory_bytes') / 1e6) };
}

/** Time of one `GET /health` on a fresh connection, in ms. */
function healthMs(url: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    get(`${url}/health`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    }).on('error', reject);
  });
}

/** Polls `/health` every 100 ms until `done` resolves; the times in ms, sorted. */
async function pollHealth(url: string, done: Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  while (!finished) {
    times.push(await healthMs(url));
    await new Promise((r) => setTimeout(r, 100));
  }
  return times.sort((a, b) => a - b);
}

interface Row {
  mode: string;
  concurrency: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  ok: number;
  refused: number;
  errors: number;
  /** `GET /health` during the run: median and worst, ms. */
  health: { p50: number; max: number };
  before: { tensors: number; rssMb: number };
  after: { tensors: number; rssMb: number };
}

async function measure(mode: string, args: string[], concurrency: number): Promise<Row> {
  const { child, url } = await start(args);
  try {
    // A short warm-up so that the first requests' compilation is not measured.
    await autocannon({
      url: `${url}/predict`,
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      connections: 4,
      amount: 200,
    });
    const before = await gauges(url);
    // autocannon's instance is thenable but not a Promise: adopt it.
    const run = Promise.resolve(
      autocannon({
        url: `${url}/predict`,
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
        connections: concurrency,
        duration,
        timeout: 10,
      }),
    );
    const [r, health] = await Promise.all([run, pollHealth(url, run)]);
    const after = await gauges(url);
    return {
      mode,
      concurrency,
      reqPerSec: Math.round(r.requests.average),
      p50: r.latency.p50,
      p99: r.latency.p99,
      ok: r['2xx'],
      refused: r.non2xx,
      errors: r.errors + r.timeouts,
      health: {
        p50: Math.round(health[Math.floor(health.length / 2)] ?? Number.NaN),
        max: Math.round(health.at(-1) ?? Number.NaN),
      },
      before,
      after,
    };
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}

const rows: Row[] = [];
const load0 = loadavg()
  .map((v) => v.toFixed(2))
  .join(' ');
for (const [mode, args] of [
  ['batching (max 64, no wait)', []],
  ['batching (max 64, 2 ms wait)', ['--max-wait-ms', '2']],
  ['no batching', ['--max-batch', '1']],
  ['batching, model on the main thread', ['--inference', 'main']],
  [`cluster of ${workers}, batching`, ['--workers', String(workers)]],
] as [string, string[]][]) {
  for (const c of levels) {
    const row = await measure(mode, args, c);
    rows.push(row);
    console.error(`${mode} c=${c}: ${row.reqPerSec} req/s p50 ${row.p50} ms p99 ${row.p99} ms`);
  }
}
const load1 = loadavg()
  .map((v) => v.toFixed(2))
  .join(' ');
console.log(
  '| mode | concurrency | req/s | p50 ms | p99 ms | 2xx | non-2xx | errors | /health p50, max ms | tensors before → after | RSS MB before → after |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.mode} | ${r.concurrency} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.refused} | ${r.errors} | ${r.health.p50}, ${r.health.max} | ${r.before.tensors} → ${r.after.tensors} | ${r.before.rssMb} → ${r.after.rssMb} |`,
  );
}
console.log(`\n${duration} s per row on 127.0.0.1; load average (1, 5, 15 min) ${load0} before, ${load1} after.`);
