// Issue 10: saved models never load silently wrong. Each edit the issue reproduced is refused with
// a ModelFileError (the target model untouched); format version 1 files still load.
import '@tensorflow/tfjs-backend-cpu';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caught } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallModel, snapshot } from './model-file-helpers';
import { jsonDigest } from '../src/model-file';
import {
  Linear,
  loadModel,
  ModelFileError,
  type SavedModelJson,
  Sequential,
  StateDictError,
  saveModel,
  validateModelJson,
} from '../src/index';

const root = mkdtempSync(join(tmpdir(), 'cnn-layers-model-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const saved = join(root, 'saved');
let original: Record<string, number[]>;
let jsonText: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = smallModel();
  tf.tidy(() => model.apply(tf.randomNormal([2, 4, 4, 1], 0, 1, 'float32', 3))); // move BN statistics
  await saveModel(model, saved, { metadata: { epoch: 1 } });
  original = snapshot(model);
  jsonText = readFileSync(join(saved, 'model.json'), 'utf8');
  model.dispose();
});

/** A copy of the saved model with model.json edited by `edit` (optionally its digest recomputed). */
function edited(name: string, edit: (json: SavedModelJson) => void, rehash = false): string {
  const dir = join(root, name);
  cpSync(saved, dir, { recursive: true });
  const json = JSON.parse(jsonText) as SavedModelJson;
  edit(json);
  if (rehash && json.integrity) json.integrity.json = jsonDigest(json);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  return dir;
}

/** loadModel(dir, into) must reject with `kind` and leave `into` exactly as it was. */
async function refused(dir: string, kind: typeof ModelFileError | typeof StateDictError = ModelFileError) {
  const into = smallModel();
  const before = snapshot(into);
  const err = await loadModel(dir, into).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(kind);
  expect(snapshot(into)).toEqual(before);
  into.dispose();
  return err as ModelFileError;
}

describe('saved model files', () => {
  it('format version 2 with SHA-256 of model.json and weights.bin round-trips', async () => {
    const json = JSON.parse(jsonText) as SavedModelJson;
    expect(json.formatVersion).toBe(2);
    expect(json.integrity?.files['weights.bin']).toMatch(/^[0-9a-f]{64}$/);
    const loaded = (await loadModel(saved)) as Sequential;
    expect(snapshot(loaded)).toEqual(original);
    loaded.dispose();
  });

  it('a weight dtype changed float32 -> int32 is refused (checksum, and the dtype check without it)', async () => {
    const change = (j: SavedModelJson) => {
      j.weightsManifest[0]!.weights[0]!.dtype = 'int32';
    };
    expect((await refused(edited('dtype', change))).field).toBe('integrity.json');
    const e = await refused(edited('dtype-rehashed', change, true));
    expect(e.message).toMatch(/weight "0.weight" is int32 but the model's is float32/);
  });

  it('an added quantization field is refused as unsupported', async () => {
    const e = await refused(
      edited(
        'quantization',
        (j) => {
          (j.weightsManifest[0]!.weights[1] as unknown as Record<string, unknown>).quantization = { dtype: 'uint8' };
        },
        true,
      ),
    );
    expect(e.field).toBe('weightsManifest[0].weights[1].quantization');
  });

  it('two same-shape manifest entries swapped are refused', async () => {
    const e = await refused(
      edited('swapped', (j) => {
        const w = j.weightsManifest[0]!.weights;
        const a = w.findIndex((x) => x.name === '1.weight');
        const b = w.findIndex((x) => x.name === '1.bias');
        [w[a], w[b]] = [w[b]!, w[a]!];
      }),
    );
    expect(e.message).toMatch(/model\.json was changed after it was saved/);
  });

  it('one flipped bit in weights.bin is refused', async () => {
    const dir = join(root, 'flipped');
    cpSync(saved, dir, { recursive: true });
    const bytes = readFileSync(join(dir, 'weights.bin'));
    bytes[17]! ^= 0x04;
    writeFileSync(join(dir, 'weights.bin'), bytes);
    expect((await refused(dir)).field).toBe('checksum');
  });

  it("a path leaving the directory ('../other/weights.bin') is refused before anything is read", async () => {
    const e = await refused(
      edited('escape', (j) => {
        j.weightsManifest[0]!.paths = ['../other/weights.bin'];
      }),
    );
    expect(e.field).toBe('weightsManifest[0].paths[0]');
    expect(e.message).toMatch(/only a file name inside the model directory/);
  });

  it('no weightsManifest, string shapes or an unknown format version are typed errors', async () => {
    for (const [name, edit] of [
      ['no-manifest', (j: SavedModelJson) => delete (j as Partial<SavedModelJson>).weightsManifest],
      ['string-shape', (j: SavedModelJson) => ((j.weightsManifest[0]!.weights[0] as { shape: unknown }).shape = ['3'])],
      ['version-9', (j: SavedModelJson) => ((j as { formatVersion: number }).formatVersion = 9)],
    ] as const) {
      const e = await refused(edited(name, edit, true));
      expect(e.message).toMatch(/field "(weightsManifest|weightsManifest\[0\]\.weights\[0\]\.shape|formatVersion)"/);
    }
    expect(caught(ModelFileError, () => validateModelJson([], 'x.json')).field).toBe('(root)');
  });

  it('format version 1 (written before checksums) still loads, unverified', async () => {
    const dir = edited('v1', (j) => {
      j.formatVersion = 1;
      delete j.integrity;
    });
    const loaded = (await loadModel(dir)) as Sequential;
    expect(snapshot(loaded)).toEqual(original);
    loaded.dispose();
  });

  it('a load that fails half-way (shape of a later tensor) leaves the model exactly as before', async () => {
    const dir = join(root, 'two-linear');
    const a = new Sequential(new Linear(2, 2), new Linear(2, 3));
    await saveModel(a, dir);
    const b = new Sequential(new Linear(2, 2), new Linear(2, 4));
    const before = snapshot(b);
    await expect(loadModel(dir, b)).rejects.toThrow(StateDictError);
    expect(snapshot(b)).toEqual(before);
    tf.dispose([a, b].flatMap((m) => Object.values(m.stateDict())));
  });

  it('a save keeps other files of the directory, and removes what a killed save left', async () => {
    const dir = join(root, 'run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'metrics.jsonl'), '{}\n');
    writeFileSync(join(dir, 'weights.bin.tmp-999999-deadbeef'), 'stale');
    mkdirSync(`${dir}.saving-999999-deadbeef`);
    const model = smallModel();
    await saveModel(model, dir);
    expect(readdirSync(dir).sort()).toEqual(['metrics.jsonl', 'model.json', 'weights.bin']);
    expect(existsSync(`${dir}.saving-999999-deadbeef`)).toBe(false);
    await saveModel(model, join(root, 'fresh'));
    expect(readdirSync(root).filter((n) => n.startsWith('fresh'))).toEqual(['fresh']);
    model.dispose();
  });
});
