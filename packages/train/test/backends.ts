import { availableBackends, type BackendName, useBackend } from '@cnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { ensureGradients } from '../src';
import { beforeAll, describe, it } from 'vitest';

/** Backends every fixture suite runs on; a missing one is reported as skipped, never silently. */
export const TESTED_BACKENDS = ['cpu', 'wasm', 'native'] as const;

const available = new Set<string>(await availableBackends());

/**
 * Registers `body` once per backend in `TESTED_BACKENDS`, inside a describe titled
 * `<title> [<backend>]`. Absent backends get a skipped describe saying "(not available here)".
 */
export function describeEachBackend(title: string, body: (backend: string) => void): void {
  for (const name of TESTED_BACKENDS) {
    if (!available.has(name)) {
      describe.skip(`${title} [${name}] (not available here)`, () => {
        it(`needs the ${name} backend`, () => {});
      });
      continue;
    }
    describe(`${title} [${name}]`, () => {
      beforeAll(async () => {
        await useBackend(name as BackendName);
        await ensureGradients();
        if (tf.getBackend() !== name) throw new Error(`backend ${name} did not activate (active: ${tf.getBackend()})`);
      });
      body(name);
    });
  }
}

/** Path of a shared fixture: /work/shared/fixtures relative to the repo. */
export const FIXTURES = new URL('../../../../shared/fixtures/', import.meta.url);

export async function readFixture<T>(name: string): Promise<T> {
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(new URL(name, FIXTURES), 'utf8')) as T;
}

/** Max |a-b| - (atol + rtol*|b|) <= 0 elementwise; returns the worst excess for messages. */
export function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < actual.length; i++) {
    const excess = Math.abs(actual[i]! - expected[i]!) - (atol + rtol * Math.abs(expected[i]!));
    if (!(excess <= worst)) worst = Number.isNaN(excess) ? Number.POSITIVE_INFINITY : Math.max(worst, excess);
  }
  return worst;
}
