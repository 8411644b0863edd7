/**
 * Trains variants of the `fast` recipe, one seed after the other in this process, and prints the
 * test accuracy, the wall time of fit and the process CPU time of each run: how the recipe's
 * widths, batch size, learning rate and epochs were chosen (see the README).
 *
 *   OMP_NUM_THREADS=1 pnpm exec tsx --conditions=@cnn/source scripts/trial.ts \
 *     --widths 16,16,64 --batch-size 64 --lr 0.1 --epochs 1 --seeds 1,2,3 [--limit N]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@cnn/layers';
import { runRecipe } from '@cnn/runner';
import { fastCnn } from '@cnn/zoo';

const { values } = parseArgs({
  options: {
    widths: { type: 'string', default: '16,16,64' },
    'batch-size': { type: 'string', default: String(fastCnn.batchSize) },
    lr: { type: 'string', default: String(fastCnn.optimizerSettings.lr) },
    epochs: { type: 'string', default: String(fastCnn.epochs) },
    seeds: { type: 'string', default: '1' },
    limit: { type: 'string' },
  },
});
const numbers = (flag: string, text: string) => {
  const list = text.split(',').map(Number);
  if (list.some((v) => !(Number.isFinite(v) && v > 0)))
    throw new Error(`--${flag}: expected numbers > 0, got '${text}'`);
  return list;
};
const widths = numbers('widths', values.widths);
if (widths.length !== 3 || widths.some((w) => !Number.isInteger(w)))
  throw new Error(`--widths: expected three whole numbers, got '${values.widths}'`);
const [batchSize] = numbers('batch-size', values['batch-size']);
const [lr] = numbers('lr', values.lr);
const [epochs] = numbers('epochs', values.epochs);
const seeds = numbers('seeds', values.seeds);
const limit = values.limit === undefined ? undefined : numbers('limit', values.limit)[0];

// The recipe's blocks (convolution without bias, 2x2 max pooling, batch norm, ReLU) at other widths.
const block = (inChannels: number, outChannels: number, kernel: number, padding: number) => [
  new Conv2d(inChannels, outChannels, kernel, { padding, bias: false }),
  new MaxPool2d(2),
  new BatchNorm2d(outChannels),
  new ReLU(),
];
const [a, b, c] = widths as [number, number, number];
const recipe = {
  ...fastCnn,
  build: () =>
    new Sequential(
      ...block(1, a, 5, 0),
      ...block(a, b, 3, 1),
      ...block(b, c, 3, 1),
      new Flatten(),
      new Linear(9 * c, 10),
    ),
};
const quiet = { write: (_text: string) => true, isTTY: false };

for (const seed of seeds) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-trial-'));
  const load = os.loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  try {
    const { summary } = await runRecipe(
      recipe,
      {
        epochs: epochs!,
        batchSize: batchSize!,
        testBatchSize: fastCnn.testBatchSize,
        lr: lr!,
        seed,
        logInterval: undefined,
        limit,
        testLimit: undefined,
        backend: 'native',
        dataDir: undefined,
        out,
        resume: false,
        report: false,
        dryRun: false,
      },
      { stdout: quiet },
    );
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `widths ${widths.join('/')} batch ${batchSize} lr ${lr} epochs ${epochs} seed ${seed}: ` +
        `${((summary?.testAccuracy ?? Number.NaN) * 100).toFixed(2)}%, fit ${summary?.seconds} s wall ` +
        `(${summary?.cpuSeconds} s CPU), whole run ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; ` +
        `OMP_NUM_THREADS ${process.env.OMP_NUM_THREADS ?? 'default'}, load ${load.toFixed(1)} -> ${os.loadavg()[0]!.toFixed(1)}`,
    );
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
