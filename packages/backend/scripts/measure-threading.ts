// Times the addon's element-wise, convolution and matmul calls at the sizes of the tutorial models
// with 1 and 2 OpenMP threads, passive and active waiting, alone and next to a busy process.
// Each configuration runs in its own child process (libgomp reads its settings once); the rounds
// interleave the configurations so that load changes hit them all alike. Prints a markdown table of
// median microseconds per call.
//   pnpm --filter @cnn/backend exec tsx scripts/measure-threading.ts [--rounds 3] [--no-neighbour]
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ConvGeometry } from '../src/native/addon';

interface Case {
  name: string;
  run: () => void;
}

/** Conv geometry of a `k`x`k` convolution with `pad`, stride 1. */
function conv(n: number, hw: number, c: number, o: number, k: number, pad: number): ConvGeometry {
  const out = hw + 2 * pad - k + 1;
  return [n, hw, hw, c, k, k, o, out, out, 1, 1, 1, 1, pad, pad, pad, pad];
}

async function cases(): Promise<Case[]> {
  const { nativeAddon } = await import('../src/native/addon');
  const addon = nativeAddon();
  const f = (n: number) => new Float32Array(n).fill(0.5);
  const list: Case[] = [];
  for (const n of [8192, 32768, 65536, 131072, 392000, 784000, 1568000]) {
    const [a, b, out] = [f(n), f(n), f(n)];
    list.push({ name: `add ${n}`, run: () => addon.binary('add', a, [n], b, [n], out) });
    const c = f(16);
    list.push({ name: `add bias ${n}`, run: () => addon.binary('add', a, [n / 16, 16], c, [16], out) });
  }
  const convs: [string, ConvGeometry][] = [
    ['003 conv1 b4', conv(4, 28, 1, 16, 5, 2)],
    ['003 conv2 b4', conv(4, 14, 16, 32, 5, 2)],
    ['004 conv1 b100', conv(100, 28, 1, 5, 3, 1)],
    ['004 conv2 b100', conv(100, 28, 5, 10, 3, 1)],
    ['004 conv3 b100', conv(100, 14, 10, 20, 3, 1)],
    ['004 conv4 b100', conv(100, 14, 20, 40, 3, 1)],
    ['002 conv1 b128', conv(128, 28, 1, 10, 5, 0)],
    ['002 conv2 b128', conv(128, 12, 10, 20, 5, 0)],
    ['000 conv1 b50', conv(50, 28, 1, 32, 5, 2)],
    ['000 conv2 b50', conv(50, 14, 32, 64, 5, 2)],
  ];
  for (const [name, g] of convs) {
    const [n, h, w, c, kh, kw, o, oh, ow] = g as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const flops = 2 * n * oh * ow * o * kh * kw * c;
    const [x, filter, y] = [f(n * h * w * c), f(kh * kw * c * o), f(n * oh * ow * o)];
    const dx = f(x.length);
    const df = f(filter.length);
    const mf = (flops / 1e6).toFixed(1);
    list.push({ name: `${name} fwd (${mf} Mflop)`, run: () => addon.conv2d(x, filter, null, y, g, false) });
    list.push({ name: `${name} dx`, run: () => addon.conv2dBackpropInput(y, filter, dx, g) });
    list.push({ name: `${name} dw`, run: () => addon.conv2dBackpropFilter(x, y, df, g) });
  }
  const mms: [string, number, number, number][] = [
    ['003 fc 1568-10 b4', 4, 10, 1568],
    ['004 fc 1960-200 b100', 100, 200, 1960],
    ['004 fc 200-500 b100', 100, 500, 200],
    ['002 fc 320-10 b128', 128, 10, 320],
    ['000 fc 3136-1024 b50', 50, 1024, 3136],
  ];
  for (const [name, m, n, k] of mms) {
    const [a, b, out] = [f(m * k), f(k * n), f(m * n)];
    const mf = ((2 * m * n * k) / 1e6).toFixed(1);
    list.push({
      name: `${name} (${mf} Mflop)`,
      run: () => addon.matmul(a, b, out, 1, 1, m, n, k, false, false, null, false),
    });
  }
  return list;
}

/** Median microseconds per call over ~`budgetMs` of calls (at least 5), after 3 warm-up calls. */
function time(run: () => void, budgetMs: number): number {
  for (let i = 0; i < 3; i++) run();
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (samples.length < 5 || (performance.now() < end && samples.length < 400)) {
    const t0 = performance.now();
    run();
    samples.push((performance.now() - t0) * 1000);
  }
  samples.sort((p, q) => p - q);
  return samples[Math.floor(samples.length / 2)]!;
}

async function child(): Promise<void> {
  const out: Record<string, number> = {};
  for (const c of await cases()) out[c.name] = time(c.run, 120);
  process.stdout.write(JSON.stringify(out));
}

const CONFIGS = [
  { label: '1 thread', threads: '1', wait: 'passive' },
  { label: '2 passive', threads: '2', wait: 'passive' },
  { label: '2 active', threads: '2', wait: 'active' },
];

function runConfig(cfg: (typeof CONFIGS)[number]): Record<string, number> {
  const script = fileURLToPath(import.meta.url);
  const env = {
    ...process.env,
    OMP_NUM_THREADS: cfg.threads,
    OMP_WAIT_POLICY: cfg.wait,
    CNN_NATIVE_PARALLEL_FLOPS: '0', // every primitive uses all threads: measure 1 vs 2 for each
  };
  const r = spawnSync(process.execPath, [...process.execArgv, script, '--child'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, number>;
}

async function parent(): Promise<void> {
  const args = process.argv.slice(2);
  const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 3) || 3;
  const phases = args.includes('--no-neighbour') ? [false] : [false, true];
  for (const busy of phases) {
    let neighbour: ChildProcess | undefined;
    if (busy) neighbour = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
    const results = CONFIGS.map(() => [] as Record<string, number>[]);
    const loads: number[] = [];
    for (let r = 0; r < rounds; r++) {
      CONFIGS.forEach((cfg, i) => {
        loads.push(loadavg()[0]!);
        results[i]!.push(runConfig(cfg));
      });
    }
    neighbour?.kill();
    const load = `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`;
    console.log(`\n${busy ? 'with one busy neighbour process' : 'no extra neighbour'} (1-min load ${load})\n`);
    console.log(`| call | ${CONFIGS.map((c) => `${c.label} µs`).join(' | ')} |`);
    console.log(`| --- | ${CONFIGS.map(() => '---').join(' | ')} |`);
    for (const name of Object.keys(results[0]![0]!)) {
      const med = results.map((rs) => {
        const v = rs.map((x) => x[name]!).sort((p, q) => p - q);
        return v[Math.floor(v.length / 2)]!;
      });
      console.log(`| ${name} | ${med.map((m) => m.toFixed(0)).join(' | ')} |`);
    }
  }
}

if (process.argv.includes('--child')) await child();
else await parent();
