/**
 * Kernel benchmark: the main kernels on tutorial 000's shapes, then a training step and
 * batch-1000 inference of zoo models, on each backend asked for.
 *
 *   pnpm --filter @cnn/app-bench kernels                                  # native (else wasm); 000, 002
 *   pnpm --filter @cnn/app-bench kernels -- --backend native,wasm,cpu --models small-cnn --profile
 */
import { parseArgs } from 'node:util';
import { availableBackends, BACKEND_NAMES, type BackendName, describeBackend, useBackend } from '@cnn/backend';
import { isRecipeKey, RECIPES, recipe } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { kernelCases } from './cases';
import { timeRecipe } from './model-step';
import { bestTime } from './timing';

const USAGE = `Usage: pnpm --filter @cnn/app-bench kernels -- [options]
  --backend native,wasm   backends, comma-separated (default: native if available, else wasm;
                          one of ${BACKEND_NAMES.join(', ')})
  --models 000,small-cnn  zoo recipes to time a training step of (default 000,002)
  --no-kernels            skip the single-kernel timings
  --profile               also the time per kernel of a training step
  --ms N                  time each measurement for at least N ms (default 2000; cpu: 1 call)
  -h, --help              this text`;

async function main(argv: string[]): Promise<number> {
  let values: {
    backend?: string;
    models?: string;
    'no-kernels'?: boolean;
    profile?: boolean;
    ms?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv[0] === '--' ? argv.slice(1) : argv,
      options: {
        backend: { type: 'string' },
        models: { type: 'string' },
        'no-kernels': { type: 'boolean' },
        profile: { type: 'boolean' },
        ms: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`kernels: ${(e as Error).message.split('\n')[0]}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const list = (text: string) =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const backends = values.backend ? list(values.backend) : [];
  const bad = backends.filter((b) => !(BACKEND_NAMES as readonly string[]).includes(b));
  const models = list(values.models ?? '000,002');
  const badModels = models.filter((m) => !isRecipeKey(m));
  const ms = Number(values.ms ?? 2000);
  const problem =
    (values.backend !== undefined && backends.length === 0 && '--backend needs at least one name') ||
    (bad.length > 0 && `--backend: unknown backend ${bad.join(', ')}; expected one of ${BACKEND_NAMES.join(', ')}`) ||
    (badModels.length > 0 &&
      `--models: unknown model ${badModels.join(', ')}; expected one of ${RECIPES.map((r) => `${r.id} (${r.name})`).join(', ')}`) ||
    (!(Number.isInteger(ms) && ms >= 0) && `--ms expects an integer ≥ 0, got "${values.ms}"`);
  if (problem) {
    console.error(`kernels: ${problem}`);
    return 2;
  }
  const available = await availableBackends();
  if (backends.length === 0) backends.push(available.includes('native') ? 'native' : 'wasm');
  for (const name of backends) {
    if (!available.includes(name as BackendName)) {
      console.error(`kernels: backend ${name} is not available here (available: ${available.join(', ')}); skipped`);
      continue;
    }
    await useBackend(name as BackendName, { quiet: true });
    console.log(`backend ${describeBackend()}`);
    const minMs = name === 'cpu' ? 0 : ms;
    const minCalls = name === 'cpu' ? 1 : 5; // cpu takes seconds to minutes per training step
    if (!values['no-kernels']) {
      const { cases, dispose } = kernelCases();
      for (const c of cases) {
        const t = await bestTime(
          async () => {
            const y = tf.tidy(c.run);
            await y.data();
            y.dispose();
          },
          minMs / 10,
          name === 'cpu' ? 1 : 5,
        );
        console.log(`  ${c.name.padEnd(40)} ${t.toFixed(2).padStart(9)} ms`);
      }
      dispose();
    }
    for (const key of models) {
      const r = await timeRecipe(recipe(key), minMs, Boolean(values.profile), minCalls);
      console.log(
        `  ${r.recipe}: train batch ${r.batch} ${r.stepMs.toFixed(1)} ms/step = ${Math.round((r.batch * 1000) / r.stepMs)} img/s; ` +
          `inference batch 1000 ${r.inferMs.toFixed(1)} ms = ${Math.round(1e6 / r.inferMs)} img/s`,
      );
      if (r.profile) {
        const total = r.profile.reduce((s, k) => s + k.ms, 0);
        console.log(`    kernels of one training step (mean of 10): ${total.toFixed(1)} ms`);
        for (const k of r.profile.slice(0, 12))
          console.log(`      ${k.kernel.padEnd(28)} ${k.ms.toFixed(2).padStart(8)} ms`);
      }
    }
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
