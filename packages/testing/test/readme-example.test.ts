import { describeEachBackend, expectClose, fixtureCases, type Nested, tensorOf } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';

interface LinearCase {
  x: Nested; // [batch, in]
  kernel: Nested; // [in, out]
  bias: number[];
  y: Nested;
  upstream: Nested;
  dx: Nested;
  dkernel: Nested;
  dbias: number[];
}

// Throws a FixtureError if a file holds a field not listed here.
const cases = fixtureCases<LinearCase>('linear', {
  required: ['x', 'kernel', 'bias', 'y', 'upstream', 'dx', 'dkernel', 'dbias'],
});

describeEachBackend('dense forward matches PyTorch', (backend) => {
  it.each(cases)(`$title on ${backend}`, ({ data: c }) => {
    tf.tidy(() => {
      const y = tf.add(tf.matMul(tensorOf(c.x), tensorOf(c.kernel)), tensorOf(c.bias));
      expectClose(y, c.y, { rtol: 1e-4, atol: 1e-5, what: 'y' });
    });
  });
});
