import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { useBackend } from '@cnn/backend';
import { batches, loadMnist, subset } from '@cnn/datasets';
import { loadModel } from '@cnn/layers';
import { afterAll, expect, it } from 'vitest';
import { codeBlocks } from '../../../scripts/readme-blocks';
import { crossEntropy, evaluate, MetricsLog } from '../src';

const tmp = mkdtempSync(join(tmpdir(), 'cnn-train-readme-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const script = fileURLToPath(new URL('fixtures/readme-example.ts', import.meta.url));
const readme = fileURLToPath(new URL('../README.md', import.meta.url));
// tsx's loader by absolute URL, since the child runs in a temporary directory.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function runExample(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, '--conditions=@cnn/source', script, ...args], {
      cwd: tmp,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`example failed (${code}): ${stderr}`)),
    );
  });
}

it('the README example is the fixture, line for line', () => {
  const blocks = codeBlocks(readFileSync(readme, 'utf8'), 'packages/train/README.md');
  const block = blocks.find((b) => b.section.startsWith('Example') && b.lang === 'ts')?.code;
  const fixture = readFileSync(script, 'utf8');
  expect(block).toBeDefined();
  expect(block).toBe(fixture.slice(fixture.indexOf('\nimport ') + 1));
});

it('the README example trains, evaluates and saves a model that loads back (1 epoch, 200 images)', async () => {
  const stdout = await runExample(['1', '200']);
  const perEpoch = [...stdout.matchAll(/^epoch (\d+): test accuracy (\d+\.\d\d)%$/gm)];
  expect(perEpoch.map((m) => m[1])).toEqual(['1']);
  const final = /^train loss (\d+\.\d{4}), test accuracy (\d+\.\d\d)% \((\d+)\/(\d+)\)$/m.exec(stdout);
  expect(final, stdout).not.toBeNull();
  const [, trainLoss, accuracy, correct, total] = final!;
  expect(Number(total)).toBe(200);
  expect(accuracy).toBe(((Number(correct) / 200) * 100).toFixed(2));
  expect(perEpoch[0]![2]).toBe(accuracy); // the epoch-end validation saw the same weights
  expect(stdout).toMatch(/^true\\pred +0 +1 +2 +3 +4 +5 +6 +7 +8 +9 +acc$/m);

  const log = MetricsLog.read(join(tmp, 'runs/basic/metrics.jsonl'));
  expect(log.map((r) => r.type)).toEqual(['start', 'validation', 'epoch', 'checkpoint', 'end']);
  expect(log[0]).toMatchObject({ epochs: 1, lr: 3e-4, optimizer: 'sgd' });
  const epoch = log[2]!;
  expect(epoch.steps).toBe(4); // 200 images in batches of 50
  expect((epoch.loss as number).toFixed(4)).toBe(trainLoss);
  expect(existsSync(join(tmp, 'runs/basic/last.ckpt'))).toBe(true);

  // The saved model rebuilds from model.json and scores exactly what the example printed.
  await useBackend('auto');
  const model = await loadModel(join(tmp, 'runs/basic/model'));
  model.eval();
  const mnist = loadMnist();
  const first = subset(
    mnist.test,
    Uint32Array.from({ length: 200 }, (_, i) => i),
  );
  const again = await evaluate(model, batches(first, { batchSize: 1000, shuffle: false }), { loss: crossEntropy });
  expect(again.correct).toBe(Number(correct));
  expect(again.total).toBe(200);
  model.dispose();
});
