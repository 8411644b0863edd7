import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.config.base';

export default defineConfig([
  libraryBuild(),
  // The cnn-viz command: one ESM file with a shebang (dependencies stay external).
  libraryBuild({
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
