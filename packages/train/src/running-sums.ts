import * as tf from '@tensorflow/tfjs-core';

/**
 * Sums of loss (weighted by batch size) and correct predictions over an epoch, kept on the
 * device so a training step never waits for a read; `read()` syncs once when a value is shown.
 */
export class RunningSums {
  private loss: tf.Tensor = tf.keep(tf.scalar(0));
  private correct: tf.Tensor = tf.keep(tf.scalar(0));
  seen = 0;

  constructor(private readonly trackAccuracy: boolean) {}

  add(batchLoss: tf.Scalar, output: tf.Tensor, labels: tf.Tensor): void {
    const n = output.shape[0]!;
    const loss = tf.tidy(() => tf.add(this.loss, tf.mul(batchLoss, n)));
    this.loss.dispose();
    this.loss = tf.keep(loss);
    if (this.trackAccuracy) {
      const correct = tf.tidy(() => tf.add(this.correct, countCorrect(output, labels)));
      this.correct.dispose();
      this.correct = tf.keep(correct);
    }
    this.seen += n;
  }

  read(): { loss: number; correct: number; seen: number } {
    return { loss: this.loss.dataSync()[0]!, correct: this.correct.dataSync()[0]!, seen: this.seen };
  }

  load(s: { loss: number; correct: number; seen: number }): void {
    this.dispose();
    this.loss = tf.keep(tf.scalar(s.loss));
    this.correct = tf.keep(tf.scalar(s.correct));
    this.seen = s.seen;
  }

  reset(): void {
    this.load({ loss: 0, correct: 0, seen: 0 });
  }

  dispose(): void {
    this.loss.dispose();
    this.correct.dispose();
  }

  /** Fraction of a batch predicted correctly. */
  static batchAccuracy(output: tf.Tensor, labels: tf.Tensor): number {
    const c = tf.tidy(() => countCorrect(output, labels));
    const value = c.dataSync()[0]! / output.shape[0]!;
    c.dispose();
    return value;
  }
}

function countCorrect(output: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  const predicted = tf.argMax(output, 1);
  const actual = labels.rank === 2 ? tf.argMax(labels, 1) : tf.cast(labels, 'int32');
  return tf.sum(tf.cast(tf.equal(predicted, actual), 'float32'));
}
