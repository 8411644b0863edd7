// A/B of the fused training kernels (@cnn/kernels): kernel calls per training step and ms per step
// (wall and process CPU time) of tutorial models with fused kernels on and off, in one process, the
// two modes interleaved so that load from other processes falls on both alike.
// Usage: pnpm --filter @cnn/app-bench exec tsx --conditions=@cnn/source src/kernels/fused-ab.ts
//          [--backend native|wasm] [--rounds 6] [--steps 5] [--recipes batchnorm-cnn,small-cnn]
//          [--without CnnAdamUpdate,CnnSgdUpdate]   (unregisters those fused kernels: A/B of the others)
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { useBackend } from '@cnn/backend';
import { setFusedKernels } from '@cnn/kernels';
import { type Recipe, recipe } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { fixedBatchTrainer } from './model-step';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'native' },
    rounds: { type: 'string', default: '6' },
    steps: { type: 'string', default: '5' },
    recipes: { type: 'string', default: 'batchnorm-cnn,small-cnn' },
    without: { type: 'string', default: '' },
  },
});

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

/** One recipe: kernel calls of one step per mode, then interleaved timed rounds. */
async function measure(r: Recipe, rounds: number, steps: number): Promise<void> {
  const trainer = fixedBatchTrainer(r, [-1, 1]);
  const { model, step } = trainer;
  model.train();
  const modes = [true, false] as const;
  const calls = new Map<boolean, { total: number; byKernel: Map<string, number> }>();
  for (const fused of modes) {
    setFusedKernels(fused);
    await step(); // warm-up: first-call setup is not a per-step cost
    const info = await tf.profile(step);
    const byKernel = new Map<string, number>();
    for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + 1);
    calls.set(fused, { total: info.kernels.length, byKernel });
  }
  const times = new Map<boolean, number[]>(modes.map((m) => [m, []]));
  // Process CPU time too: on a shared machine wall time includes waiting for a core, CPU time less so.
  const cpu = new Map<boolean, number[]>(modes.map((m) => [m, []]));
  for (let round = 0; round < rounds; round++) {
    for (const fused of round % 2 ? [false, true] : [true, false]) {
      setFusedKernels(fused);
      await step();
      for (let s = 0; s < steps; s++) {
        const t = performance.now();
        const c = process.cpuUsage();
        await step();
        times.get(fused)!.push(performance.now() - t);
        const used = process.cpuUsage(c);
        cpu.get(fused)!.push((used.user + used.system) / 1000);
      }
    }
  }
  setFusedKernels(true);
  for (const fused of modes) {
    const c = calls.get(fused)!;
    const top = [...c.byKernel]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    const t = times.get(fused)!;
    console.log(
      `${r.id} ${r.name} batch ${r.batchSize} fused ${fused ? 'on ' : 'off'}: ${c.total} kernel calls/step; ` +
        `median ${median(t).toFixed(1)} ms/step, best ${Math.min(...t).toFixed(1)} (n=${t.length}), ` +
        `median CPU ${median(cpu.get(fused)!).toFixed(1)} ms/step; most called: ${top}`,
    );
  }
  trainer.dispose();
}

await useBackend(values.backend as 'native' | 'wasm');
const without = values.without.split(',').filter((k) => k !== '');
for (const kernel of without) {
  if (tf.getKernel(kernel, tf.getBackend()) !== undefined) tf.unregisterKernel(kernel, tf.getBackend());
}
console.log(
  `backend ${tf.getBackend()}${without.length ? ` without ${without.join(', ')}` : ''}, load average before: ${load()}`,
);
for (const name of values.recipes.split(',')) {
  await measure(recipe(name), Number(values.rounds), Number(values.steps));
}
console.log(`load average after: ${load()}`);
