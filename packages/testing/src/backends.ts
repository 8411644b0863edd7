import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { TestingArgumentError } from './errors';

/** The backends this project builds itself, in the order suites run on them (tfjs-node is not tested). */
export const PROJECT_BACKENDS = ['cpu', 'wasm', 'native'] as const;

/** One of {@link PROJECT_BACKENDS}. */
export type ProjectBackend = (typeof PROJECT_BACKENDS)[number];

/** Options of {@link describeEachBackend}. */
export interface EachBackendOptions {
  /** A subset of {@link PROJECT_BACKENDS} (default: all three). */
  backends?: readonly ProjectBackend[];
}

let available: Promise<Set<string>> | undefined;

/**
 * Why `backend` cannot run here, or `undefined` when it can. The first call loads `@cnn/backend`
 * and probes every backend (which registers them with tfjs), so merely importing this package
 * has no such side effect.
 */
export async function whyUnavailable(backend: ProjectBackend): Promise<string | undefined> {
  const { availableBackends, nativeStatus } = await import('@cnn/backend');
  available ??= availableBackends().then((names) => new Set<string>(names));
  if ((await available).has(backend)) return undefined;
  if (backend === 'native') {
    const status = nativeStatus();
    return status.available ? 'the native backend did not start' : status.reason;
  }
  return `the ${backend} backend did not start`;
}

/** True when `CNN_REQUIRE_NATIVE=1`: CI builds the addon, so a missing native backend is a failure there. */
export function nativeRequired(): boolean {
  return process.env.CNN_REQUIRE_NATIVE === '1';
}

/**
 * Declares `suite` once per backend, as `describe('<title> [<backend>]')` with that backend
 * active (set in `beforeAll`, checked with `tf.getBackend()`).
 *
 * An absent backend shows as a skipped test `needs the <backend> backend (not available here:
 * <why>)` in its block, never silently. With `CNN_REQUIRE_NATIVE=1` an absent native backend
 * is instead a failing test, as `native-status.test.ts` in `@cnn/backend` also checks.
 *
 * Example: `describeEachBackend('Conv2d matches PyTorch', (backend) => { it('...', () => {}); });`
 */
export function describeEachBackend(
  title: string,
  suite: (backend: ProjectBackend) => void,
  options: EachBackendOptions = {},
): void {
  const backends = options.backends ?? PROJECT_BACKENDS;
  for (const backend of backends) {
    if (!(PROJECT_BACKENDS as readonly string[]).includes(backend)) {
      throw new TestingArgumentError(
        `describeEachBackend: unknown backend "${backend}" (expected one of ${PROJECT_BACKENDS.join(', ')})`,
      );
    }
    // vitest awaits an async suite factory while collecting, so availability is probed lazily here.
    describe(`${title} [${backend}]`, async () => {
      const why = await whyUnavailable(backend);
      if (why !== undefined && backend === 'native' && nativeRequired()) {
        it('needs the native backend (CNN_REQUIRE_NATIVE=1)', () => {
          throw new Error(`CNN_REQUIRE_NATIVE=1 but the native backend is not available: ${why}`);
        });
        return;
      }
      if (why !== undefined) {
        it.skip(`needs the ${backend} backend (not available here: ${why})`, () => {});
        return;
      }
      beforeAll(async () => {
        const { useBackend } = await import('@cnn/backend');
        await useBackend(backend);
        if (tf.getBackend() !== backend) {
          throw new Error(`backend ${backend} did not become active (active: ${tf.getBackend()})`);
        }
      });
      suite(backend);
    });
  }
}
