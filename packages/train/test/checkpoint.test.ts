import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRngState, manualSeed } from '@cnn/layers';
import { describeEachBackend } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import {
  Adam,
  CheckpointError,
  loadCheckpoint,
  MetricsLog,
  readCheckpointFile,
  SGD,
  saveCheckpoint,
  StepLR,
  writeCheckpointFile,
} from '../src';
import { tinyModel } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'cnn-train-ckpt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const here = fileURLToPath(new URL('.', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface ChildResult {
  weights: Record<string, number[]>;
  history: { steps: number; epochs: { loss: number; accuracy: number; lr: number }[] };
}

/**
 * Runs the training child (one node process with tsx's loader, not the tsx CLI, which would
 * put a second process between us and the training); `killWhen` may SIGKILL it mid-run.
 */
function runChild(
  args: string[],
  killWhen?: (stdout: string) => boolean,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const script = join(here, 'fixtures/train-child.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@cnn/source', script, ...args], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (killWhen?.(stdout)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ code, stdout });
    });
  });
}

describeEachBackend('checkpoints', (backend) => {
  it('a run killed (SIGKILL) mid-epoch and resumed ends exactly like an uninterrupted one', async () => {
    const [refDir, runDir] = [join(tmp, `${backend}-ref`), join(tmp, `${backend}-run`)];
    const [refOut, runOut] = [join(tmp, `${backend}-ref.json`), join(tmp, `${backend}-run.json`)];
    const killed = runChild([backend, runDir, runOut, 'slow'], (out) => {
      const steps = out.match(/step \d+/g) ?? [];
      return existsSync(join(runDir, 'last.ckpt')) && steps.length >= 17;
    });
    const [ref, first] = await Promise.all([runChild([backend, refDir, refOut]), killed]);
    expect(ref.code).toBe(0);
    expect(first.code).toBe(null); // killed by the signal
    expect(existsSync(runOut)).toBe(false);
    const lastStep = Number(first.stdout.trim().split('\n').at(-1)!.split(' ')[1]);
    expect(lastStep).toBeLessThan(120);
    // The killed run's log: lines after its last checkpoint line are the ones a resume redoes.
    const before = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const lastCkptLine = before.map((l) => l.includes('"type":"checkpoint"')).lastIndexOf(true);
    const resumed = await runChild([backend, runDir, runOut, 'resume']);
    const firstResumed = Number(resumed.stdout.split('\n')[0]!.split(' ')[1]);
    // continued right after a checkpoint: every 7 steps, or at an epoch end (30 steps each)
    expect((firstResumed - 1) % 7 === 0 || (firstResumed - 1) % 30 === 0).toBe(true);
    expect(firstResumed).toBeGreaterThan(1);
    expect(firstResumed).toBeLessThanOrEqual(lastStep + 1);
    const a = JSON.parse(readFileSync(refOut, 'utf8')) as ChildResult;
    const b = JSON.parse(readFileSync(runOut, 'utf8')) as ChildResult;
    expect(b.history).toEqual(a.history);
    expect(b.weights).toEqual(a.weights);
    expect(a.history.steps).toBe(120);
    expect(a.history.epochs.map((e) => e.lr)).toEqual([0.05, 0.05, 0.025, 0.025]); // StepLR(2, 0.5)
    const log = MetricsLog.read(join(runDir, 'metrics.jsonl'));
    expect(log.filter((r) => r.type === 'resume')).toHaveLength(1);
    expect(log.filter((r) => r.type === 'epoch').map((r) => r.loss)).toEqual(a.history.epochs.map((e) => e.loss));
    const resume = log.find((r) => r.type === 'resume')!;
    expect(resume.step).toBe(firstResumed - 1);
    expect(resume.dropped).toBe(before.length - 1 - lastCkptLine);
    // Apart from the resume line, times and paths, the log is the uninterrupted run's log.
    const comparable = (records: Record<string, unknown>[]) =>
      records.filter((r) => r.type !== 'resume').map(({ time: _t, file: _f, ...rest }) => rest);
    const refLog = comparable(MetricsLog.read(join(refDir, 'metrics.jsonl')));
    expect(comparable(log)).toEqual(refLog);
    expect(refLog.filter((r) => r.type === 'batch').map((r) => r.step)).toEqual(
      Array.from({ length: 120 }, (_, i) => i + 1),
    );
  });

  it('save/load restores model, optimizer, scheduler, position and RNG state', async () => {
    manualSeed(1);
    const model = await tinyModel();
    const opt = new Adam(model, { lr: 0.01 });
    const sched = new StepLR(opt, 1, 0.5);
    const grads = Object.fromEntries(model.namedParameters().map(([n, p]) => [n, tf.onesLike(p)]));
    opt.step(grads);
    sched.step();
    const rng = getRngState();
    const file = join(tmp, `${backend}-state.ckpt`);
    await saveCheckpoint(
      file,
      { model, optimizer: opt, scheduler: sched },
      { epoch: 2, batch: 5, step: 17 },
      { note: 'x' },
    );
    expect(existsSync(`${file}.tmp-${process.pid}`)).toBe(false);

    manualSeed(999);
    const copy = await tinyModel();
    const opt2 = new Adam(copy, { lr: 0.5 });
    const sched2 = new StepLR(opt2, 1, 0.5);
    const { position, extra } = loadCheckpoint(file, { model: copy, optimizer: opt2, scheduler: sched2 });
    expect(position).toEqual({ epoch: 2, batch: 5, step: 17 });
    expect(extra).toEqual({ note: 'x' });
    expect(getRngState()).toBe(rng);
    expect(sched2.getLastLr()).toEqual([0.005]);
    const [p1, p2] = [model.namedParameters(), copy.namedParameters()];
    p1.forEach(([n, p], i) => {
      expect(Array.from(p2[i]![1].dataSync()), n).toEqual(Array.from(p.dataSync()));
    });
    opt.step(grads);
    opt2.step(grads);
    p1.forEach(([n, p], i) => {
      expect(Array.from(p2[i]![1].dataSync()), n).toEqual(Array.from(p.dataSync()));
    });
    tf.dispose(Object.values(grads));
    for (const o of [opt, opt2, model, copy]) o.dispose();
  });
});

it('writes atomically: a leftover temp file never replaces the checkpoint', async () => {
  await tf.setBackend('cpu');
  const file = join(tmp, 'atomic.ckpt');
  const t = tf.tensor1d([1, 2, 3]);
  await writeCheckpointFile(file, { t }, { v: 1 });
  writeFileSync(`${file}.tmp-12345`, 'half a checkpoint from a killed process');
  const { tensors, meta } = readCheckpointFile(file);
  expect(meta).toEqual({ v: 1 });
  expect(Array.from(tensors.t!.dataSync())).toEqual([1, 2, 3]);
  tf.dispose([t, ...Object.values(tensors)]);
});

it('rejects broken or mismatched checkpoints with CheckpointError', async () => {
  await tf.setBackend('cpu');
  const bad = join(tmp, 'bad.ckpt');
  expect(() => readCheckpointFile(join(tmp, 'missing.ckpt'))).toThrow(/cannot read/);
  writeFileSync(bad, 'not a checkpoint at all');
  expect(() => readCheckpointFile(bad)).toThrow(/expected magic "CNNCKPT1"/);
  const good = join(tmp, 'good.ckpt');
  const t = tf.tensor2d([
    [1, 2],
    [3, 4],
  ]);
  await writeCheckpointFile(good, { t }, null);
  const bytes = readFileSync(good);
  writeFileSync(bad, bytes.subarray(0, bytes.length - 4));
  expect(() => readCheckpointFile(bad)).toThrow(/truncated/);
  const header = Buffer.from(bytes);
  header.writeUInt32LE(1e6, 8);
  writeFileSync(bad, header);
  expect(() => readCheckpointFile(bad)).toThrow(CheckpointError);
  expect(() => readCheckpointFile(bad)).toThrow(/header claims 1000000 bytes/);
  await expect(writeCheckpointFile(bad, { b: tf.tensor1d([true], 'bool') }, null)).rejects.toThrow(/dtype bool/);
  const small = await tinyModel();
  expect(() => loadCheckpoint(good, { model: small })).toThrow(/not a training state/);

  const file = join(tmp, 'model.ckpt');
  await saveCheckpoint(file, { model: small }, { epoch: 0, batch: 0, step: 0 });
  const other = await tinyModel(true); // same parameters, different layer indices
  expect(() => loadCheckpoint(file, { model: other })).toThrow(/model does not match: missing \[4.weight, 4.bias\]/);
  expect(() => loadCheckpoint(file, { model: small, optimizer: new SGD(small, { lr: 1 }) })).toThrow(
    /no optimizer state/,
  );
  t.dispose();
});

it('MetricsLog.rewindTo cuts a log back to a checkpoint position', () => {
  const file = join(tmp, 'rewind.jsonl');
  const lines = [
    { type: 'start', epochs: 2 },
    { type: 'batch', epoch: 0, batch: 5, step: 5 },
    { type: 'checkpoint', epoch: 0, batch: 7, step: 7 },
    { type: 'batch', epoch: 0, batch: 10, step: 10 },
    { type: 'validation', epoch: 0, step: 10 },
    { type: 'epoch', epoch: 0, steps: 10 },
    { type: 'checkpoint', epoch: 1, batch: 0, step: 10 },
    { type: 'batch', epoch: 1, batch: 2, step: 12 },
  ];
  const write = (extra = '') => writeFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join('') + extra);
  const types = () => MetricsLog.read(file).map((r) => `${r.type}@${r.step ?? r.steps ?? ''}`);

  // anchored on the matching checkpoint line; a torn last line goes too
  write('{"type":"batch","epo');
  expect(new MetricsLog(file).rewindTo({ epoch: 0, batch: 7, step: 7 })).toBe(6);
  expect(types()).toEqual(['start@', 'batch@5', 'checkpoint@7']);
  write();
  expect(new MetricsLog(file).rewindTo({ epoch: 1, batch: 0, step: 10 })).toBe(1);
  expect(types()).toEqual([
    'start@',
    'batch@5',
    'checkpoint@7',
    'batch@10',
    'validation@10',
    'epoch@10',
    'checkpoint@10',
  ]);

  // no checkpoint line at that position: by step, and epoch lines of that epoch or later
  write();
  expect(new MetricsLog(file).rewindTo({ epoch: 0, batch: 10, step: 10 })).toBe(3);
  expect(types()).toEqual(['start@', 'batch@5', 'checkpoint@7', 'batch@10', 'validation@10']);

  const missing = join(tmp, 'no-such-log.jsonl');
  expect(new MetricsLog(missing).rewindTo({ epoch: 0, batch: 0, step: 0 })).toBe(0);
  expect(existsSync(missing)).toBe(false);
});
