import { availableBackends, BACKEND_NAMES, type BackendName, useBackend } from '@cnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';

/** The backends this project builds itself (tfjs-node ones are not tested here). */
export const PROJECT_BACKENDS = BACKEND_NAMES.filter((b) => b === 'cpu' || b === 'wasm' || b === 'native');

const available = new Set(await availableBackends());

/**
 * Declares `suite` once per project backend, as `describe('<name> backend')` with
 * that backend active. An absent backend shows up as a skipped
 * "<name> backend (not available here)" block in the test output.
 */
export function describeEachBackend(title: string, suite: (backend: BackendName) => void): void {
  for (const backend of PROJECT_BACKENDS) {
    if (!available.has(backend)) {
      describe.skip(`${title} [${backend} backend (not available here)]`, () => {
        it('is skipped', () => {});
      });
      continue;
    }
    describe(`${title} [${backend} backend]`, () => {
      beforeAll(async () => {
        await useBackend(backend);
        if (tf.getBackend() !== backend) throw new Error(`expected backend ${backend}, active is ${tf.getBackend()}`);
      });
      suite(backend);
    });
  }
}
