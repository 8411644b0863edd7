import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.config.base';

export default defineConfig([
  // The library, and the terminal renderers alone (`@cnn/viz/terminal`: no tfjs, vega or resvg).
  libraryBuild({ entry: ['src/index.ts', 'src/terminal.ts'] }),
  // The cnn-viz command: one ESM file with a shebang (dependencies stay external).
  libraryBuild({
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
