import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.config.base';

export default defineConfig([
  // The library.
  libraryBuild({ entry: ['src/index.ts'] }),
  // The inference worker (loaded by URL next to index.js) and the cnn-serve command: ESM only.
  libraryBuild({ entry: ['src/worker.ts'], format: ['esm'], dts: false, clean: false }),
  libraryBuild({
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
