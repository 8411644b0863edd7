import '@tensorflow/tfjs-backend-cpu';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/atomic-write';
import { exportLayersModel, Flatten, Linear, ReLU, Sequential, saveModel } from '../src/index';

const root = mkdtempSync(join(tmpdir(), 'cnn-layers-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tinyModel(): Sequential {
  return new Sequential(new Flatten(), new Linear(4, 3), new ReLU());
}

it('writes the whole file and leaves no temporary file', async () => {
  const file = join(root, 'ok.txt');
  writeFileSync(file, 'old');
  await writeFileAtomic(file, 'new contents');
  expect(readFileSync(file, 'utf8')).toBe('new contents');
  expect(readdirSync(root).filter((f) => f.startsWith('ok.txt'))).toEqual(['ok.txt']);
});

it('removes its temporary file when the rename fails', async () => {
  const dir = join(root, 'rename-fails');
  mkdirSync(join(dir, 'target'), { recursive: true });
  await expect(writeFileAtomic(join(dir, 'target'), 'x')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
  expect(readdirSync(dir)).toEqual(['target']);
});

// weights.bin is written first; when it cannot be replaced (here a directory is in
// the way), neither a temporary file nor a model.json describing missing weights remains.
for (const [name, save] of [
  ['saveModel', (m: Sequential, dir: string) => saveModel(m, dir)],
  ['exportLayersModel', (m: Sequential, dir: string) => exportLayersModel(m, dir, [2, 2])],
] as const) {
  it(`${name} leaves no temporary file and no model.json when writing the weights fails`, async () => {
    const model = tinyModel();
    const dir = join(root, `${name}-blocked`);
    mkdirSync(join(dir, 'weights.bin', 'inside'), { recursive: true });
    await expect(save(model, dir)).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['weights.bin']);
    model.dispose();
  });

  it(`${name} creates nothing when the parent of the target is a file`, async () => {
    const model = tinyModel();
    const file = join(root, `${name}-parent-is-file`);
    writeFileSync(file, 'not a directory');
    await expect(save(model, join(file, 'net'))).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
    expect(readdirSync(root).filter((f) => f.startsWith(`${name}-parent-is-file`))).toEqual([`${name}-parent-is-file`]);
    model.dispose();
  });
}
