import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalize, toTensors } from '@cnn/datasets';
import { describeEachBackend } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import { type Batch, clipGradNorm, EarlyStopping, fit, MetricsLog, OneCycleLR, SGD, TrainingError } from '../src';
import { head, synthetic, syntheticBatches, tinyModel } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'cnn-train-fit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const data = synthetic(120, 11);
const val = synthetic(60, 12);
const train = syntheticBatches(data, { batchSize: 20, seed: 1 });
const valBatches = syntheticBatches(val, { batchSize: 30, seed: 0 });

/** Carriage return + erase line, which the TTY bar writes before each redraw. */
const CLEAR = '\r\u001b[2K';

/** Collects what a progress sink receives. */
function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (s: string) => chunks.push(s) };
}

describeEachBackend('fit', () => {
  it('validates every N steps, logs JSON lines, prints plain progress lines off a TTY', async () => {
    const model = await tinyModel();
    const optimizer = new SGD(model, { lr: 0.1, momentum: 0.9 });
    const logFile = join(tmp, `${tf.getBackend()}-run.jsonl`);
    const out = sink(false);
    const seen: number[] = [];
    const history = await fit(model, {
      optimizer,
      epochs: 3,
      train,
      validate: { data: valBatches, every: 4 },
      logFile,
      logEvery: 2,
      progressSink: out,
      progressEvery: 3,
      stepsPerEpoch: 6,
      onValidation: (v) => {
        seen.push(v.step);
      },
    });
    expect(history.steps).toBe(18);
    expect(seen).toEqual([4, 8, 12, 16]);
    expect(history.validations.map((v) => v.step)).toEqual(seen);
    expect(history.epochs.map((e) => e.steps)).toEqual([6, 12, 18]);
    expect(history.epochs[2]!.valLoss).toBe(history.validations[3]!.loss);
    expect(history.epochs[2]!.valAccuracy).toBeGreaterThan(0.8);
    expect(history.stopReason).toBe('completed');
    const log = MetricsLog.read(logFile);
    expect(log.map((r) => r.type).filter((t) => t !== 'batch')).toEqual([
      'start',
      'validation',
      'epoch',
      'validation',
      'validation',
      'epoch',
      'validation',
      'epoch',
      'end',
    ]);
    expect(log.filter((r) => r.type === 'batch').map((r) => r.step)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18]);
    const text = out.chunks.join('');
    expect(text).toContain('epoch 1/3 batch 3/6 loss ');
    expect(text).toContain('epoch 3/3 batch 6/6 loss ');
    expect(text).toMatch(/epoch 3\/3 loss \d\.\d{4} acc \d+\.\d\d% val_loss/);
    expect(text).not.toContain('\r');
    optimizer.dispose();
    model.dispose();
  });

  it('draws a redrawn bar on a TTY and steps OneCycleLR per batch', async () => {
    const model = await tinyModel();
    const optimizer = new SGD(model, { lr: 0.1, momentum: 0.9 });
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.2, epochs: 2, stepsPerEpoch: 6 });
    const lrs: number[] = [];
    const out = sink(true);
    const history = await fit(model, {
      optimizer,
      scheduler,
      epochs: 2,
      train: (epoch: number) => train.epoch(epoch), // a generator: no length known up front
      progress: 'auto',
      progressSink: out,
      onBatchEnd: (b) => {
        lrs.push(b.lr);
      },
    });
    expect(history.steps).toBe(12);
    expect(lrs[0]).toBeCloseTo(0.2 / 25, 10);
    // warm-up ends at step 0.3 * 12 - 1 = 2.6, so the peak seen is at step 3, just past maxLr
    expect(lrs.indexOf(Math.max(...lrs))).toBe(3);
    expect(Math.max(...lrs)).toBeGreaterThan(0.198);
    expect(lrs[11]).toBeLessThan(0.01);
    // the first epoch's length is unknown (a generator); the second reuses what the first saw
    const lines = out.chunks.map((c) => c.replaceAll(CLEAR, '<clear>'));
    expect(
      lines.some((c) => /^<clear>epoch 1\/2 \d loss \d\.\d{4} acc \d+\.\d\d% [\d.]+ it\/s$/.test(c)),
      lines.join('|'),
    ).toBe(true);
    expect(lines.some((c) => c.startsWith('<clear>epoch 2/2 [') && c.includes('] 6/6 loss'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^<clear>epoch 2\/2 loss \d\.\d{4} acc /);
    optimizer.dispose();
    model.dispose();
  });

  it('stops early when validation loss stops improving, and on a callback request', async () => {
    const model = await tinyModel();
    const optimizer = new SGD(model, { lr: 0 }); // nothing improves
    const stopper = new EarlyStopping({ monitor: 'valLoss', patience: 2 });
    const history = await fit(model, {
      optimizer,
      epochs: 20,
      train,
      validate: { data: valBatches },
      earlyStopping: stopper,
      progress: 'none',
    });
    expect(history.stopReason).toBe('early-stopping');
    expect(history.epochs).toHaveLength(3);
    const byCallback = await fit(model, {
      optimizer,
      epochs: 5,
      train,
      progress: 'none',
      onBatchEnd: (b) => {
        if (b.step === 4) b.stop();
      },
    });
    expect(byCallback.stopReason).toBe('callback');
    expect(byCallback.steps).toBe(4);
    optimizer.dispose();
    model.dispose();
  });

  it('clips the gradient norm (a tiny max norm barely moves the weights)', async () => {
    const run = async (clip?: number) => {
      const model = await tinyModel();
      const before = model.parameters().map((p) => Array.from(p.dataSync()));
      const optimizer = new SGD(model, { lr: 1 });
      const { x, y } = toTensors(head(data, 20), normalize(0.5, 0.5));
      await fit(model, { optimizer, epochs: 1, train: [{ x, y }], clipGradNorm: clip, progress: 'none' });
      let sq = 0;
      model.parameters().forEach((p, i) => {
        p.dataSync().forEach((v, j) => {
          sq += (v - before[i]![j]!) ** 2;
        });
      });
      tf.dispose([x, y]);
      model.dispose();
      return Math.sqrt(sq);
    };
    const moved = await run(1e-3);
    expect(moved).toBeCloseTo(1e-3, 5); // lr 1 x clipped norm
    expect(await run()).toBeGreaterThan(0.01);
  });
});

it('clipGradNorm matches torch.nn.utils.clip_grad_norm_', async () => {
  await tf.setBackend('cpu');
  const grads = { a: tf.tensor1d([3, 4]), b: tf.tensor1d([12]) }; // norm 13
  const { grads: out, totalNorm } = clipGradNorm(grads, 6.5);
  expect(totalNorm.dataSync()[0]).toBeCloseTo(13, 5);
  expect(Array.from(out.a!.dataSync())).toEqual([expect.closeTo(1.5, 5), expect.closeTo(2, 5)]);
  const untouched = clipGradNorm(grads, 100);
  expect(Array.from(untouched.grads.b!.dataSync())).toEqual([12]);
  expect(() => clipGradNorm(grads, 0)).toThrow(/maxNorm must be > 0/);
});

it('accepts async iterables and rejects bad options and batches with TrainingError', async () => {
  await tf.setBackend('cpu');
  const model = await tinyModel();
  const optimizer = new SGD(model, { lr: 0.1 });
  async function* asyncBatches(): AsyncGenerator<Batch> {
    yield* syntheticBatches(data, { batchSize: 40, seed: 2 }).epoch(0);
  }
  const h = await fit(model, { optimizer, epochs: 1, train: asyncBatches(), progress: 'none' });
  expect(h.steps).toBe(3);
  const base = { optimizer, epochs: 1, train, progress: 'none' as const };
  await expect(fit(model, { ...base, epochs: 0 })).rejects.toThrow(TrainingError);
  await expect(fit(model, { ...base, epochs: 1.5 })).rejects.toThrow(/epochs must be a positive integer, got 1.5/);
  await expect(fit(model, { ...base, validate: { data: train, every: 0 } })).rejects.toThrow(/validate.every/);
  await expect(fit(model, { ...base, clipGradNorm: -1 })).rejects.toThrow(/clipGradNorm must be > 0/);
  await expect(fit(model, { ...base, train: 5 as never })).rejects.toThrow(/batches must be an array/);
  const x = tf.zeros([4, 8, 8, 1]);
  await expect(fit(model, { ...base, train: [{ x, y: tf.zeros([3], 'int32') }] })).rejects.toThrow(
    /x has 4 examples but y has 3/,
  );
  await expect(fit(model, { ...base, train: [{ x } as never] })).rejects.toThrow(/\{ x: Tensor, y: Tensor \}/);
  await expect(fit(model, { ...base, optimizer: undefined as never })).rejects.toThrow(/optimizer is required/);
  await expect(fit(model, { ...base, resumeFrom: join(tmp, 'nowhere') })).rejects.toThrow(/cannot read/);
  expect(() => new EarlyStopping({ patience: -1 })).toThrow(/patience must be an integer >= 0/);
  optimizer.dispose();
  model.dispose();
});
