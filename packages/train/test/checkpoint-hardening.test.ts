// Issue 10: checkpoints never load silently wrong, and a failed load changes nothing. Specific cases
// first, then a seeded mutation test: every load is identical or a CheckpointError, state untouched.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRngState, manualSeed } from '@cnn/layers';
import { caught, mulberry32 } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CheckpointError,
  CosineAnnealingLR,
  crossEntropy,
  fit,
  loadCheckpoint,
  OptimizerError,
  readCheckpointFile,
  SGD,
  StepLR,
  saveCheckpoint,
  trainStep,
  writeCheckpointFile,
} from '../src';
import { synthetic, syntheticBatches, tinyModel } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'cnn-train-ckpt-hard-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const good = join(tmp, 'good.ckpt');
let bytes: Buffer;
let savedState: Record<string, number[]>;

type Model = Awaited<ReturnType<typeof tinyModel>>;
/** A model and its SGD-with-momentum optimizer after one step (so the optimizer has state). */
async function trained(seed: number) {
  manualSeed(seed);
  const model = await tinyModel();
  const optimizer = new SGD(model, { lr: 0.1, momentum: 0.9 });
  const x = tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', seed);
  const y = tf.tensor1d([0, 1, 2, 1], 'int32');
  const r = trainStep(model, optimizer, crossEntropy, { x, y });
  tf.dispose([x, y, r.loss, r.output]);
  return { model, optimizer };
}

/** Model values, optimizer state and RNG state, as plain data. */
function state(model: Model, optimizer: SGD): Record<string, number[]> {
  const out: Record<string, number[]> = { rng: [getRngState()] };
  for (const [n, v] of model.namedParameters()) out[`model/${n}`] = Array.from(v.dataSync());
  for (const [p, e] of Object.entries(optimizer.stateDict().state))
    for (const [k, t] of Object.entries(e)) out[`opt/${p}/${k}`] = Array.from(t.dataSync());
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  const { model, optimizer } = await trained(1);
  await saveCheckpoint(good, { model, optimizer }, { epoch: 1, batch: 2, step: 3 }, { note: 'x' });
  savedState = state(model, optimizer);
  bytes = readFileSync(good);
  model.dispose();
  optimizer.dispose();
});

/** Header JSON and data of a checkpoint file, and a writer of (edited) ones. */
function split(buf: Buffer) {
  const n = buf.readUInt32LE(8);
  return { header: JSON.parse(buf.toString('utf8', 12, 12 + n)), data: buf.subarray(12 + n) };
}
function join3(header: unknown, data: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(12);
  prefix.write('CNNCKPT1', 0, 'latin1');
  prefix.writeUInt32LE(json.length, 8);
  return Buffer.concat([prefix, json, data]);
}
/** The same checkpoint as format version 1 (before checksums). */
function asV1(buf: Buffer): Buffer {
  const { header, data } = split(buf);
  delete header.sha256;
  header.version = 1;
  return join3(header, data);
}

/** Loads `buf` into a fresh trained model/optimizer: returns the error, or checks an identical load. */
async function load(buf: Buffer, name: string): Promise<unknown> {
  const file = join(tmp, name);
  writeFileSync(file, buf);
  const { model, optimizer } = await trained(2);
  const before = state(model, optimizer);
  let error: unknown;
  try {
    loadCheckpoint(file, { model, optimizer });
    expect(state(model, optimizer), `${name}: loaded but not identical`).toEqual(savedState);
  } catch (e) {
    error = e;
    expect(e, `${name}: ${e}`).toBeInstanceOf(CheckpointError);
    expect(state(model, optimizer), `${name}: failed load changed the state`).toEqual(before);
  }
  model.dispose();
  optimizer.dispose();
  return error;
}

it('a save removes the temporary file a killed writer left', async () => {
  const file = join(tmp, 'stale.ckpt');
  writeFileSync(`${file}.tmp-999999`, 'half a checkpoint'); // no such process
  const t = tf.tensor1d([1]);
  await writeCheckpointFile(file, { t }, null);
  t.dispose();
  expect(existsSync(`${file}.tmp-999999`)).toBe(false);
});

it('version 2 round-trips; version 1 files (no checksum) still load', async () => {
  expect(split(bytes).header.version).toBe(2);
  expect(await load(bytes, 'v2.ckpt')).toBeUndefined();
  expect(await load(asV1(bytes), 'v1.ckpt')).toBeUndefined();
});

it('a flipped bit in the tensor bytes is refused', async () => {
  const b = Buffer.from(bytes);
  b[b.length - 5]! ^= 0x10;
  expect(String(await load(b, 'flip.ckpt'))).toMatch(/does not match its SHA-256/);
});

it('header offsets moved by 4 bytes, tensors: null and a byteLength of 6 are refused (even in version 1)', async () => {
  // biome-ignore lint/suspicious/noExplicitAny: edits of parsed JSON
  const edit = (f: (h: Record<string, any>) => void) => {
    const { header, data } = split(asV1(bytes));
    f(header);
    return join3(header, data);
  };
  expect(
    String(
      await load(
        edit((h) => (h.tensors[1].offset += 4)),
        'offset.ckpt',
      ),
    ),
  ).toMatch(/offset/);
  expect(
    String(
      await load(
        edit((h) => (h.tensors = null)),
        'null.ckpt',
      ),
    ),
  ).toMatch(/"tensors" should be an array/);
  expect(
    String(
      await load(
        edit((h) => (h.tensors[0].byteLength = 6)),
        'len.ckpt',
      ),
    ),
  ).toMatch(/byteLength 6/);
});

it('optimizer state of the wrong shape ([1] for a parameter of [3]) is refused, nothing changed', async () => {
  const { tensors, meta } = readCheckpointFile(good);
  const key = 'optimizer/3.bias/momentumBuffer'; // Linear(18, 3): a [3] parameter
  expect(tensors[key]?.shape).toEqual([3]);
  tensors[key]!.dispose();
  tensors[key] = tf.tensor1d([0.5]);
  const file = join(tmp, 'opt-shape.ckpt');
  await writeCheckpointFile(file, tensors, meta);
  tf.dispose(Object.values(tensors));
  expect(String(await load(readFileSync(file), 'opt-shape2.ckpt'))).toMatch(
    /optimizer state "3.bias\/momentumBuffer" has shape \[1\], its parameter "3.bias" is \[3\]/,
  );
});

it('resuming fit from a checkpoint saved without extra is a CheckpointError', async () => {
  const { model, optimizer } = await trained(3);
  const file = join(tmp, 'no-extra.ckpt');
  await saveCheckpoint(file, { model, optimizer }, { epoch: 0, batch: 1, step: 1 });
  const train = syntheticBatches(synthetic(8), { batchSize: 4, seed: 1 });
  const err = await fit(model, { optimizer, epochs: 1, train, resumeFrom: file, progress: 'none' }).catch((e) => e);
  expect(err).toBeInstanceOf(CheckpointError);
  expect(err.message).toMatch(/holds no fit resume state/);
  expect(caught(CheckpointError, () => loadCheckpoint(join(tmp, 'none.ckpt'), { model })).message).toMatch(
    /cannot read/,
  );
  model.dispose();
  optimizer.dispose();
});

it('a restore failing late (scheduler of another kind) rolls model, optimizer and RNG back', async () => {
  const { model, optimizer } = await trained(4);
  const file = join(tmp, 'sched.ckpt');
  await saveCheckpoint(
    file,
    { model, optimizer, scheduler: new StepLR(optimizer, 1) },
    { epoch: 1, batch: 0, step: 1 },
  );
  const other = await trained(5);
  const before = state(other.model, other.optimizer);
  const cosine = new CosineAnnealingLR(other.optimizer, 10);
  expect(() => loadCheckpoint(file, { ...other, scheduler: cosine })).toThrow(OptimizerError);
  expect(state(other.model, other.optimizer)).toEqual(before);
  for (const m of [model, optimizer, other.model, other.optimizer]) m.dispose();
});

// Version 2 files only: version 1 has no checksum, so a flipped data bit there loads unnoticed.
it('150 seeded mutations: an identical load or a CheckpointError, the state untouched', async () => {
  const next = mulberry32(10);
  const pick = (n: number) => Math.floor(next() * n);
  const mutations: ((b: Buffer) => Buffer)[] = [
    (b) => {
      const c = Buffer.from(b);
      c[pick(c.length)]! ^= 1 << pick(8);
      return c;
    },
    (b) => b.subarray(0, pick(b.length)),
    (b) => Buffer.concat([b, Buffer.alloc(1 + pick(8))]),
    (b) => {
      const { header, data } = split(b);
      header.tensors[pick(header.tensors.length)].offset += pick(9) - 4;
      return join3(header, data);
    },
    (b) => {
      const { header, data } = split(b);
      const t = header.tensors;
      const [i, j] = [pick(t.length), pick(t.length)];
      [t[i].name, t[j].name] = [t[j].name, t[i].name];
      return join3(header, data);
    },
    (b) => join3(split(b).header, split(b).data), // re-encoded unchanged: must load identically
  ];
  const outcomes = { identical: 0, refused: 0 };
  for (let i = 0; i < 150; i++) {
    const err = await load(mutations[pick(mutations.length)]!(bytes), `m${i}.ckpt`);
    outcomes[err ? 'refused' : 'identical']++;
  }
  expect(outcomes.refused).toBeGreaterThan(90);
  expect(outcomes.identical).toBeGreaterThan(0);
});
