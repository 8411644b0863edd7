/**
 * Runs the sample apps with their full default settings, one after the other, and writes the
 * root RESULTS.md from the `summary.json` of every finished run.
 *
 *   pnpm exec tsx scripts/results.ts [--apps small-cnn,wide-cnn] [--seeds 1,2,3] [--data-dir DIR --data-name NAME]
 *                                  [--flags "--epochs 1"] [--write-only]
 *
 * Each run goes to runs/results/<app>[-<data-name>]-s<seed>/ (kept: a finished run is not run
 * again, a stopped one is resumed from its checkpoint). Apps run without the viz report
 * (--no-report), so the wall time is training and testing only. The load average of the machine
 * at the start and end of each run is recorded next to it (load.json), since others may share
 * the cores.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'runs', 'results');
const APPS = ['basic-cnn', 'wide-cnn', 'small-cnn', 'sequential-cnn', 'batchnorm-cnn', 'fast', 'record'];

interface Summary {
  app: string;
  recipe: string;
  testAccuracy: number;
  epochs: number;
  seconds: number;
  imgPerSec: number;
  cpuSeconds?: number;
  backend: string;
  seed: number;
  dataDir: string | null;
  limit: number | null;
  reported: { percent: number; epochs: number } | null;
  resumed: boolean;
}

const usage = `usage: pnpm exec tsx scripts/results.ts [--apps a,b] [--seeds 1,2,3] [--data-dir DIR --data-name NAME] [--flags "..."] [--write-only]
  apps: ${APPS.join(', ')} (default: all that exist)`;

function main(): number {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        apps: { type: 'string' },
        seeds: { type: 'string' },
        'data-dir': { type: 'string' },
        'data-name': { type: 'string' },
        flags: { type: 'string' },
        'write-only': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const apps = ((values.apps as string | undefined)?.split(',') ?? APPS).filter((a) =>
    fs.existsSync(path.join(root, 'apps', a, 'src', 'main.ts')),
  );
  const unknown = ((values.apps as string | undefined)?.split(',') ?? []).filter((a) => !apps.includes(a));
  if (unknown.length) {
    console.error(`--apps: no app ${unknown.join(', ')}; expected some of: ${APPS.join(', ')}\n${usage}`);
    return 2;
  }
  const seeds = ((values.seeds as string | undefined) ?? '1').split(',').map(Number);
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) {
    console.error(`--seeds: expected whole numbers separated by commas, found '${values.seeds}'`);
    return 2;
  }
  const dataDir = values['data-dir'] as string | undefined;
  const dataName = (values['data-name'] as string | undefined) ?? (dataDir ? path.basename(dataDir) : undefined);
  if (!values['write-only']) {
    for (const app of apps)
      for (const seed of seeds) runOne(app, seed, dataDir, dataName, values.flags as string | undefined);
  }
  writeResults();
  return 0;
}

function runOne(app: string, seed: number, dataDir: string | undefined, dataName: string | undefined, extra?: string) {
  const out = path.join(resultsDir, `${app}${dataName ? `-${dataName}` : ''}-s${seed}`);
  if (fs.existsSync(path.join(out, 'summary.json'))) return;
  const args = ['--seed', String(seed), '--out', out, '--no-report', ...(extra ? extra.split(/\s+/) : [])];
  if (dataDir) args.push('--data-dir', path.resolve(dataDir));
  if (fs.existsSync(path.join(out, 'last.ckpt'))) args.push('--resume');
  else fs.rmSync(out, { recursive: true, force: true });
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: recorded with the run, not a turbo task input
  const load = { start: os.loadavg(), end: [] as number[], ompThreads: process.env.OMP_NUM_THREADS ?? 'default' };
  console.log(`results: ${app} ${args.join(' ')}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@cnn/source', 'src/main.ts', ...args], {
    cwd: path.join(root, 'apps', app),
    stdio: 'inherit',
  });
  load.end = os.loadavg();
  if (fs.existsSync(out)) fs.writeFileSync(path.join(out, 'load.json'), `${JSON.stringify(load)}\n`);
  if (r.status !== 0) console.error(`results: ${app} seed ${seed} ended with code ${r.status}`);
}

/** Minutes from the first `start` record of a run's metrics log to its last `end` record. */
function span(dir: string): string {
  const records = fs
    .readFileSync(path.join(resultsDir, dir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { time: string; type: string });
  const start = records.find((r) => r.type === 'start');
  const end = records.findLast((r) => r.type === 'end');
  if (!start || !end) return 'unknown';
  return `${((Date.parse(end.time) - Date.parse(start.time)) / 60000).toFixed(1)} min`;
}

function writeResults() {
  const rows: { summary: Summary; load?: { start: number[]; end: number[]; ompThreads?: string }; dir: string }[] = [];
  if (fs.existsSync(resultsDir)) {
    for (const dir of fs.readdirSync(resultsDir).sort()) {
      const file = path.join(resultsDir, dir, 'summary.json');
      if (!fs.existsSync(file)) continue;
      const loadFile = path.join(resultsDir, dir, 'load.json');
      rows.push({
        dir,
        summary: JSON.parse(fs.readFileSync(file, 'utf8')) as Summary,
        ...(fs.existsSync(loadFile) ? { load: JSON.parse(fs.readFileSync(loadFile, 'utf8')) } : {}),
      });
    }
  }
  const order = (a: string) => (APPS.indexOf(a) < 0 ? 99 : APPS.indexOf(a));
  rows.sort((a, b) => order(a.summary.app) - order(b.summary.app) || a.dir.localeCompare(b.dir));
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  const lines = [
    '# Results',
    '',
    "Full default runs of the sample apps on this repository's machine (2 shared CPU cores), written by",
    "`pnpm exec tsx scripts/results.ts` from each run's `summary.json`; nothing here is typed by hand.",
    'Wall time is training plus the tests the tutorial makes during training (no report). The load',
    'average (1 min) at the start and end of each run shows how busy the machine was: other work ran',
    'on the same cores, so times are upper bounds. OpenMP threads is `OMP_NUM_THREADS` of the run (the native',
    "backend's oneDNN threads); on an overloaded machine one thread per process was several times faster",
    'than the default two, whose threads wait for each other. Difference is the test accuracy minus',
    "the tutorial's, in points (tutorials 001 and 004 print whole percents). A `-` for threads and load:",
    'not recorded (the script that started the run was stopped while the run went on). CPU time is what',
    "the run's process used while training, on all its threads; runs that waited for the cores show it",
    'much below their wall time, and runs made before it was recorded show a `-`.',
    '',
    '| app | data | backend | OpenMP threads | seed | epochs | test accuracy | tutorial reports | difference | wall time | CPU time | img/s | load |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const { summary: s, load, dir } of rows) {
    const data = s.dataDir ? path.basename(s.dataDir) : 'MNIST';
    const reported = s.reported && !s.dataDir ? `${s.reported.percent}%` : '-';
    const diff = s.reported && !s.dataDir ? s.testAccuracy * 100 - s.reported.percent : undefined;
    const difference = diff === undefined ? '-' : `${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(2)}`;
    const loadText = load ? `${load.start[0]!.toFixed(1)} → ${load.end[0]!.toFixed(1)}` : '-';
    lines.push(
      `| ${s.app} | ${data}${s.limit ? ` (first ${s.limit})` : ''} | ${s.backend.split(' ')[0]} | ${load ? (load.ompThreads ?? 'default') : '-'} | ${s.seed} | ${s.epochs} | ${pct(s.testAccuracy)} | ${reported} | ${difference} | ${s.seconds.toFixed(1)} s${s.resumed ? ` (resumed: last part only; ${span(dir)} from the first start to the end, stops included)` : ''} | ${s.cpuSeconds === undefined ? '-' : `${s.cpuSeconds.toFixed(1)} s`} | ${Math.round(s.imgPerSec)} | ${loadText} |`,
    );
  }
  const groups = new Map<string, Summary[]>();
  for (const { summary: s } of rows) {
    const key = `${s.app} on ${s.dataDir ? path.basename(s.dataDir) : 'MNIST'}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const multi = [...groups].filter(([, g]) => g.length > 1);
  if (multi.length) {
    lines.push(
      '',
      '## Means over seeds',
      '',
      '| app | seeds | mean test accuracy | min | max |',
      '| --- | --- | ---: | ---: | ---: |',
    );
    for (const [key, g] of multi) {
      const acc = g.map((s) => s.testAccuracy);
      const mean = acc.reduce((a, b) => a + b, 0) / acc.length;
      lines.push(
        `| ${key} | ${g.map((s) => s.seed).join(', ')} | ${pct(mean)} | ${pct(Math.min(...acc))} | ${pct(Math.max(...acc))} |`,
      );
    }
  }
  const missing = APPS.filter(
    (a) => fs.existsSync(path.join(root, 'apps', a, 'src', 'main.ts')) && !rows.some((r) => r.summary.app === a),
  );
  if (missing.length) lines.push('', `No finished run yet: ${missing.join(', ')}.`);
  fs.writeFileSync(path.join(root, 'RESULTS.md'), `${lines.join('\n')}\n`);
  console.log(`results: RESULTS.md (${rows.length} runs)`);
}

process.exitCode = main();
