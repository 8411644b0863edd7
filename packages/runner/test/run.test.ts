import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useBackend } from '@cnn/backend';
import { loadModel } from '@cnn/layers';
import { MetricsLog } from '@cnn/train';
import { smallCnn } from '@cnn/zoo';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lastCheckpoint, parseRunFlags, RunDirError, runRecipe } from '../src/index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'));
beforeAll(() => useBackend('auto'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function flags(argv: string[]) {
  const p = parseRunFlags(argv, { epochs: 1, batchSize: 128, testBatchSize: 128, lr: 0.01 });
  if (p.help) throw new Error('help');
  return p.flags;
}

/** A text sink that keeps what is written (not a TTY: plain lines, no bar). */
function sink() {
  const chunks: string[] = [];
  return { write: (t: string) => chunks.push(t), lines: () => chunks.join('').split('\n') };
}

it('trains small-cnn on 1280 images, printing at the recipe cadence, and writes the run directory', async () => {
  const out = path.join(dir, 'run');
  const s = sink();
  const result = await runRecipe(
    smallCnn,
    flags(['--limit', '1280', '--test-limit', '300', '--out', out, '--no-report']),
    { stdout: s, zeroBased: true, lines: { trainLoss: (l) => `train ${l.index} seen ${l.seen}/${l.total}` } },
  );
  // 10 batches of 128: the tutorial prints at its batch 0 only (every 10, counted from 0).
  expect(s.lines().filter((l) => l.startsWith('train'))).toEqual(['train 0 seen 0/1280']);
  expect(s.lines().filter((l) => l.startsWith('test loss'))).toHaveLength(1);
  const summary = result.summary!;
  expect(summary).toMatchObject({ app: 'small-cnn', recipe: '002', epochs: 1, steps: 10, total: 300, seed: 1 });
  expect(summary.testAccuracy).toBeGreaterThan(0.3);
  expect(summary.cpuSeconds).toBeGreaterThan(0); // measured, not a placeholder
  expect(summary.correct).toBe(Math.round(summary.testAccuracy * 300));
  expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'))).toEqual(summary);
  const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
  expect(config.normalize).toEqual({ mean: 0.1307, std: 0.3081 });
  expect(lastCheckpoint(path.join(out, 'metrics.jsonl'))).toEqual({ epoch: 1, batch: 0, step: 10 });
  const log = MetricsLog.read(path.join(out, 'metrics.jsonl'));
  expect(log.find((r) => r.type === 'end')).toMatchObject({ steps: 10, stopReason: 'completed' });
  // The final test is logged as a validation record, so the report shows it.
  expect(log.at(-1)).toMatchObject({ type: 'validation', step: 10, accuracy: summary.testAccuracy });
  const model = await loadModel(path.join(out, 'model'));
  expect(model.parameters().reduce((n, p) => n + p.size, 0)).toBe(8490);
  model.dispose();
});

it('stops when asked, keeps the checkpoint, and a resumed run ends as an uninterrupted one', async () => {
  const argv = ['--limit', '1280', '--test-limit', '200', '--epochs', '2', '--no-report'];
  const whole = await runRecipe(smallCnn, flags([...argv, '--out', path.join(dir, 'whole')]), { stdout: sink() });
  const out = path.join(dir, 'stopped');
  const stop = { requested: false };
  const lines = { trainLoss: (l: { step: number }) => `step ${l.step}` };
  const s = sink();
  const stopped = await runRecipe(smallCnn, flags([...argv, '--out', out, '--log-interval', '1']), {
    stdout: {
      write: (t: string) => {
        if (t.includes('step 13')) stop.requested = true; // as a Ctrl-C during step 13
        s.write(t);
      },
    },
    stop,
    lines,
  });
  expect(stopped.stopped).toEqual({ step: 13, checkpointStep: 12 });
  await expect(runRecipe(smallCnn, flags([...argv, '--out', out]), { stdout: sink() })).rejects.toThrow(RunDirError);
  const resumed = await runRecipe(smallCnn, flags([...argv, '--out', out, '--resume']), { stdout: sink() });
  expect(resumed.summary?.testAccuracy).toBe(whole.summary?.testAccuracy);
  expect(resumed.summary?.testLoss).toBe(whole.summary?.testLoss);
  expect(resumed.summary?.resumed).toBe(true);
});

it('refuses --resume where there is no checkpoint', async () => {
  await expect(
    runRecipe(smallCnn, flags(['--resume', '--out', path.join(dir, 'none')]), { stdout: sink() }),
  ).rejects.toThrow(/no checkpoint last.ckpt here/);
});
