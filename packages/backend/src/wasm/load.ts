import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type WasmModule = typeof import('@tensorflow/tfjs-backend-wasm');

let loading: Promise<WasmModule> | undefined;

/** The folder holding the backend's .wasm binaries inside node_modules (with a trailing slash). */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return `${join(dirname(pkg), 'dist')}/`;
}

/**
 * Imports @tensorflow/tfjs-backend-wasm (which registers the 'wasm' backend) once and points it
 * at its .wasm files in node_modules, so nothing is downloaded. Importing lazily keeps the
 * 'wasm' backend out of tfjs's automatic choice until someone asks for it.
 */
export function loadWasmModule(): Promise<WasmModule> {
  loading ??= import('@tensorflow/tfjs-backend-wasm').then((mod) => {
    mod.setWasmPaths(wasmBinaryDir());
    return mod;
  });
  return loading;
}
