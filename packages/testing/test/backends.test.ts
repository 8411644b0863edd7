import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeEachBackend,
  nativeRequired,
  PROJECT_BACKENDS,
  type ProjectBackend,
  TestingArgumentError,
  whyUnavailable,
} from '../src/index';

const ran: ProjectBackend[] = [];

describeEachBackend('describeEachBackend', (backend) => {
  it('activates the block’s backend before its tests', () => {
    expect(tf.getBackend()).toBe(backend);
    ran.push(backend);
  });
});

describe('backend availability', () => {
  const saved = process.env.CNN_REQUIRE_NATIVE;
  afterEach(() => {
    if (saved === undefined) delete process.env.CNN_REQUIRE_NATIVE;
    else process.env.CNN_REQUIRE_NATIVE = saved;
  });

  it('ran a block on every available backend, in order', async () => {
    const available: ProjectBackend[] = [];
    for (const b of PROJECT_BACKENDS) if ((await whyUnavailable(b)) === undefined) available.push(b);
    expect(available).toContain('cpu');
    expect(ran).toEqual(available);
  });

  it('reads CNN_REQUIRE_NATIVE=1 (and nothing else) as "native is required"', () => {
    process.env.CNN_REQUIRE_NATIVE = '1';
    expect(nativeRequired()).toBe(true);
    process.env.CNN_REQUIRE_NATIVE = 'yes';
    expect(nativeRequired()).toBe(false);
  });

  it('rejects a backend it does not know', () => {
    expect(() => describeEachBackend('x', () => {}, { backends: ['gpu' as ProjectBackend] })).toThrow(
      TestingArgumentError,
    );
  });
});
