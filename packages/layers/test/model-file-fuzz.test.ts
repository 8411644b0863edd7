// Mutation test of saved models (like idx-fuzz in @cnn/datasets): seeded flips, truncations,
// appended bytes and field edits of model.json and weights.bin. Every load is either identical
// to the saved model or a typed error, and a model loaded into is left untouched on error.
import '@tensorflow/tfjs-backend-cpu';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ArchitectureError, loadModel, ModelFileError, type Sequential, StateDictError, saveModel } from '../src/index';
import { smallModel, snapshot } from './model-file-helpers';

const root = mkdtempSync(join(tmpdir(), 'cnn-layers-model-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const saved = join(root, 'saved');
let original: Record<string, number[]>;
let summary: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = smallModel();
  await saveModel(model, saved);
  original = snapshot(model);
  summary = model.toString();
  model.dispose();
});

type Mutation = (json: Buffer, weights: Buffer, next: () => number) => [Buffer, Buffer];
const pick = (next: () => number, n: number) => Math.floor(next() * n);
const flip = (b: Buffer, next: () => number) => {
  const c = Buffer.from(b);
  c[pick(next, c.length)]! ^= 1 << pick(next, 8);
  return c;
};
// biome-ignore lint/suspicious/noExplicitAny: the edits reach into free-form parsed JSON
type Json = any;
const editJson = (json: Buffer, edit: (j: Json, next: () => number) => void, next: () => number) => {
  const j = JSON.parse(json.toString('utf8'));
  edit(j, next);
  return Buffer.from(JSON.stringify(j));
};
const EDITS: ((j: Json, next: () => number) => void)[] = [
  (j, n) => (j.weightsManifest[0].weights[pick(n, 7)].dtype = 'int32'),
  (j, n) => (j.weightsManifest[0].weights[pick(n, 7)].shape = [pick(n, 9)]),
  (j, n) => (j.weightsManifest[0].weights[pick(n, 7)].name = 'x'),
  (j) => j.weightsManifest[0].weights.reverse(),
  (j) => (j.weightsManifest[0].paths = ['../weights.bin']),
  (j) => (j.weightsManifest[0].paths = ['/etc/passwd']),
  (j) => (j.weightsManifest = null),
  (j) => (j.formatVersion = 3),
  (j) => delete j.integrity,
  (j) => (j.modelTopology.layers[4].outFeatures = 4),
  (j) => (j.metadata = { epoch: 2 }),
  (j, n) => (j.weightsManifest[0].weights[pick(n, 7)].quantization = { dtype: 'uint8', scale: 1, min: 0 }),
];
const MUTATIONS: Mutation[] = [
  (json, w, n) => [json, flip(w, n)],
  (json, w, n) => [json, w.subarray(0, pick(n, w.length))],
  (json, w) => [json, Buffer.concat([w, Buffer.from([0, 0, 0, 0])])],
  (json, w, n) => [flip(json, n), w],
  (json, w, n) => [json.subarray(0, pick(n, json.length)), w],
  (json, w, n) => [editJson(json, EDITS[pick(n, EDITS.length)]!, n), w],
  (json, w) => [Buffer.from(JSON.stringify(JSON.parse(json.toString('utf8')))), w], // whitespace only
];

it('200 seeded mutations: identical load or a typed error, target model untouched', async () => {
  const next = mulberry32(10);
  const json0 = readFileSync(join(saved, 'model.json'));
  const weights0 = readFileSync(join(saved, 'weights.bin'));
  const outcomes = { identical: 0, refused: 0 };
  for (let i = 0; i < 200; i++) {
    const [json, weights] = MUTATIONS[pick(next, MUTATIONS.length)]!(json0, weights0, next);
    const dir = join(root, `m${i}`);
    cpSync(saved, dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), json);
    writeFileSync(join(dir, 'weights.bin'), weights);
    const into = smallModel();
    const before = snapshot(into);
    const result = await loadModel(dir, into).then(
      () => 'loaded',
      (e: unknown) => e,
    );
    if (result === 'loaded') {
      expect(snapshot(into), `mutation ${i}`).toEqual(original);
      outcomes.identical++;
    } else {
      expect(result instanceof ModelFileError || result instanceof StateDictError, `mutation ${i}: ${result}`).toBe(
        true,
      );
      expect(snapshot(into), `mutation ${i} left the model changed`).toEqual(before);
      outcomes.refused++;
    }
    into.dispose();
    const rebuilt = await loadModel(dir).catch((e: unknown) => e);
    if (rebuilt instanceof Error) {
      expect(
        [ModelFileError, StateDictError, ArchitectureError].some((k) => rebuilt instanceof k),
        `${rebuilt}`,
      ).toBe(true);
    } else {
      expect((rebuilt as Sequential).toString()).toBe(summary);
      expect(snapshot(rebuilt as Sequential)).toEqual(original);
      (rebuilt as Sequential).dispose();
    }
    rmSync(dir, { recursive: true });
  }
  expect(outcomes.refused).toBeGreaterThan(140);
  expect(outcomes.identical).toBeGreaterThan(0); // the whitespace-only rewrite
});
