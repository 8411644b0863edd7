// A/B/C of the fused optimizer updates (SGD_UPDATE, ADAM_UPDATE of @cnn/kernels) in one process:
// every fused kernel off, every fused kernel but the optimizer updates on, everything on. The
// modes are interleaved round by round so that load from other processes falls on all alike.
// Kernel calls per step are what tf.profile sees (engine kernels) plus the direct calls of the
// fused updates, which bypass the engine (one per parameter tensor).
// Usage: pnpm --filter @cnn/app-bench exec tsx --conditions=@cnn/source src/kernels/fused-optimizers.ts
//          [--backend native|wasm] [--rounds 6] [--steps 5] [--recipes sequential-cnn,batchnorm-cnn]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { useBackend } from '@cnn/backend';
import { ADAM_UPDATE, SGD_UPDATE, setFusedKernels } from '@cnn/kernels';
import { type Recipe, recipe } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { fixedBatchTrainer } from './model-step';

const MODES = ['all off', 'optimizers off', 'all on'] as const;
type Mode = (typeof MODES)[number];

/** Sets a mode: the optimizer kernels are unregistered for 'optimizers off', so callers see none. */
function setMode(mode: Mode, saved: tf.KernelConfig[]): void {
  setFusedKernels(mode !== 'all off');
  const backend = tf.getBackend();
  for (const config of saved) {
    const present = tf.getKernel(config.kernelName, backend) !== undefined;
    if (mode === 'optimizers off' && present) tf.unregisterKernel(config.kernelName, backend);
    if (mode !== 'optimizers off' && !present) tf.registerKernel(config);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

async function measure(r: Recipe, rounds: number, steps: number, saved: tf.KernelConfig[]): Promise<void> {
  const trainer = fixedBatchTrainer(r, [-1, 1]);
  const { model, optimizer, x, y, step } = trainer;
  model.train();
  const paramTensors = model.namedParameters().filter(([, v]) => v.trainable).length;
  const calls = new Map<Mode, { engine: number; direct: number }>();
  for (const mode of MODES) {
    setMode(mode, saved);
    await step(); // warm-up: the first fused step gives each buffer one of the kernel's own
    const names = (await tf.profile(step)).kernels.map((k) => k.name);
    calls.set(mode, { engine: names.length, direct: mode === 'all on' ? paramTensors : 0 });
  }
  const times = new Map<Mode, number[]>(MODES.map((m) => [m, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...MODES].reverse() : MODES;
    for (const mode of order) {
      setMode(mode, saved);
      await step();
      for (let s = 0; s < steps; s++) {
        const t = performance.now();
        await step();
        times.get(mode)!.push(performance.now() - t);
      }
    }
  }
  // The optimizer's update alone, on fixed gradients: composite ops vs one fused call per parameter.
  const params = model
    .namedParameters()
    .map(([, v]) => v)
    .filter((v) => v.trainable);
  const { value, grads } = tf.variableGrads(() => r.lossFn(model.apply(x), y) as tf.Scalar, params);
  value.dispose();
  const updateModes = ['optimizers off', 'all on'] as const;
  const updateTimes = new Map<Mode, number[]>(updateModes.map((m) => [m, []]));
  for (let round = 0; round < rounds * steps; round++) {
    for (const mode of round % 2 ? [...updateModes].reverse() : updateModes) {
      setMode(mode, saved);
      const t = performance.now();
      optimizer.step(grads);
      updateTimes.get(mode)!.push(performance.now() - t);
    }
  }
  tf.dispose(Object.values(grads));
  setMode('all on', saved);
  for (const mode of updateModes) {
    const t = updateTimes.get(mode)!;
    console.log(
      `${r.id} ${r.name} optimizer.step alone, ${mode === 'all on' ? 'fused    ' : 'composite'}: ` +
        `median ${median(t).toFixed(3)} ms, best ${Math.min(...t).toFixed(3)} (n=${t.length})`,
    );
  }
  for (const mode of MODES) {
    const c = calls.get(mode)!;
    const t = times.get(mode)!;
    console.log(
      `${r.id} ${r.name} batch ${r.batchSize} ${mode.padEnd(14)}: ${c.engine + c.direct} kernel calls/step ` +
        `(${c.engine} through the engine, ${c.direct} direct); median ${median(t).toFixed(2)} ms/step, ` +
        `best ${Math.min(...t).toFixed(2)} (n=${t.length})`,
    );
  }
  trainer.dispose();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'native' },
      rounds: { type: 'string', default: '6' },
      steps: { type: 'string', default: '5' },
      recipes: { type: 'string', default: 'sequential-cnn,batchnorm-cnn' },
    },
  });
  await useBackend(values.backend as 'native' | 'wasm');
  const saved = [SGD_UPDATE, ADAM_UPDATE].map((name) => tf.getKernel(name, tf.getBackend()));
  if (saved.some((k) => k === undefined)) throw new Error(`backend ${tf.getBackend()} has no fused optimizer kernels`);
  console.log(`backend ${tf.getBackend()}, load average before: ${load()}`);
  for (const name of values.recipes.split(',')) {
    await measure(recipe(name.trim()), Number(values.rounds), Number(values.steps), saved as tf.KernelConfig[]);
  }
  console.log(`load average after: ${load()}`);
}

await main();
