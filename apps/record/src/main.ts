/**
 * The best single model: the `record` recipe of @cnn/zoo, a batch-norm CNN trained for 15 epochs
 * on randomly rotated, shifted and zoomed training digits under a one-cycle schedule, made to
 * reach 99.6% test accuracy. Prints the loss every 200 steps and the test after each epoch.
 *
 *   pnpm --filter @cnn/app-record start -- [--epochs N] [--limit N] ... (--help lists them)
 */
import { runApp } from '@cnn/runner';
import { recordCnn } from '@cnn/zoo';

process.exitCode = await runApp(recordCnn, {
  command: 'pnpm --filter @cnn/app-record start --',
  about: `record: ${recordCnn.title}.\nMade to reach ${recordCnn.goal.percent}% test accuracy in ${recordCnn.goal.epochs} epochs on the embedded MNIST.`,
  lines: {
    trainLoss: (l) =>
      `step ${l.step}: loss ${l.loss.toFixed(4)}, batch accuracy ${((l.accuracy ?? 0) * 100).toFixed(1)}% (augmented digits)`,
    test: (t) =>
      `epoch ${t.epoch + 1}: test loss ${t.loss.toFixed(4)}, accuracy ${(t.accuracy * 100).toFixed(2)}% (${t.correct}/${t.total})`,
  },
});
