import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from './errors';

const SPECIFIER = '@tensorflow/tfjs-core/dist/register_all_gradients.js';

/**
 * Node ESM hooks that let plain Node load tfjs-core's ES-module build, which uses
 * extension-less relative imports inside a package not marked `"type": "module"`.
 */
const HOOKS = `
const DIST = '/@tensorflow/tfjs-core/dist/';
export async function resolve(specifier, context, next) {
  if ((context.parentURL || '').includes(DIST) && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    for (const suffix of ['.js', '/index.js']) {
      try { return await next(specifier + suffix, context); } catch {}
    }
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.includes(DIST) && url.endsWith('.js') && !url.includes('/tf-core.')) {
    return next(url, { ...context, format: 'module' });
  }
  return next(url, context);
}`;

let loading: Promise<void> | undefined;

/** True once tfjs-core's gradient functions are registered (by us or by `@tensorflow/tfjs`). */
export function hasGradients(): boolean {
  return tf.getGradient('Mean') !== undefined && tf.getGradient('Conv2D') !== undefined;
}

/**
 * Registers every tfjs-core gradient. `@tensorflow/tfjs-core` alone ships none in its Node
 * bundle (the `@tensorflow/tfjs` union package adds them); they live in its ES-module build,
 * which is loaded here once (about 2 s in plain Node, through small resolve/load hooks).
 * `fit` calls this; call it yourself before using `trainStep` or `tf.grad` directly.
 */
export function ensureGradients(): Promise<void> {
  if (hasGradients()) return Promise.resolve();
  loading ??= load();
  return loading;
}

async function load(): Promise<void> {
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
  const require = createRequire(import.meta.url);
  await import(pathToFileURL(require.resolve(SPECIFIER)).href);
  if (!hasGradients()) {
    throw new TrainingError(`could not register tfjs gradients from ${SPECIFIER}; import it before training`);
  }
}
