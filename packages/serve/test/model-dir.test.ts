import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelDirError, readModelInfo, startServer } from '../src/index';
import { trainedModelDir } from './model-fixture';

const scratch = mkdtempSync(path.join(tmpdir(), 'cnn-serve-dirs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('model directories', () => {
  it('reads a run directory: class names and normalisation from config.json, the summary', async () => {
    const run = path.join(scratch, 'run');
    cpSync(await trainedModelDir(), path.join(run, 'model'), { recursive: true });
    const classNames = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    writeFileSync(path.join(run, 'config.json'), JSON.stringify({ classNames, normalize: { mean: 0.5, std: 0.25 } }));
    writeFileSync(
      path.join(run, 'summary.json'),
      JSON.stringify({ app: 'small-cnn', recipe: '002', testAccuracy: 0.9 }),
    );
    const info = readModelInfo(run);
    expect(info.modelDir).toBe(path.join(run, 'model'));
    expect(info.classNames).toEqual(classNames);
    expect(info.normalize).toEqual({ mean: 0.5, std: 0.25 });
    expect(info.summary?.testAccuracy).toBe(0.9);
  });

  it('serves a run directory: /model has its accuracy and recipe, answers use its class names', async () => {
    const run = path.join(scratch, 'run');
    writeFileSync(
      path.join(run, 'summary.json'),
      JSON.stringify({
        app: 'small-cnn',
        recipe: '002',
        title: 'conv 10/20',
        testAccuracy: 0.9,
        dataDir: '/data/mnist-idx',
      }),
    );
    const server = await startServer({ model: run, port: 0, inference: 'main' });
    try {
      const text = await (await fetch(`${server.url}/model`)).text();
      const model = JSON.parse(text);
      expect(model.testAccuracy).toBe(0.9);
      expect(model.recipe).toEqual({ id: '002', app: 'small-cnn', title: 'conv 10/20' });
      expect(model.normalize).toEqual({ mean: 0.5, std: 0.25 });
      expect(text).not.toContain('/data/mnist-idx');
      const res = await fetch(`${server.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pixels: new Array(784).fill(0) }),
      });
      const answer = await res.json();
      expect(answer.classNames[0]).toBe('zero');
      expect(answer.className).toBe(answer.classNames[answer.label]);
    } finally {
      await server.close();
    }
  });

  it('refuses a directory without a model and a config with a bad normalisation', () => {
    expect(() => readModelInfo(scratch)).toThrow(ModelDirError);
    expect(() => readModelInfo(path.join(scratch, 'absent'))).toThrow(/no such directory/);
    const bad = path.join(scratch, 'bad');
    cpSync(path.join(scratch, 'run'), bad, { recursive: true });
    writeFileSync(path.join(bad, 'config.json'), JSON.stringify({ normalize: { mean: 0, std: 0 } }));
    expect(() => readModelInfo(bad)).toThrow(/"normalize" should be \{ mean, std \} with std > 0/);
  });

  for (const inference of ['worker', 'main'] as const) {
    it(`does not start (${inference} thread) when model.json names a weights file outside its directory`, async () => {
      const dir = path.join(scratch, `evil-${inference}`);
      cpSync(await trainedModelDir(), dir, { recursive: true });
      const file = path.join(dir, 'model.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      json.weightsManifest[0].paths = ['../../outside.bin'];
      writeFileSync(file, JSON.stringify(json));
      const started = startServer({ model: dir, port: 0, inference });
      await expect(started).rejects.toMatchObject({ name: 'ModelFileError' });
      await expect(started).rejects.toThrow(/model\.json/);
    });
  }
});
