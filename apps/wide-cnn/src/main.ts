/**
 * Tutorial 001 as an app: `wide-cnn` from @cnn/zoo. Prints the batch loss and accuracy every
 * 1000 steps (its counter starts at 0, across epochs), ground truth against prediction for 10
 * random digits of the first test batch, then the test accuracy in whole percent.
 *
 *   pnpm --filter @cnn/app-wide-cnn start -- [--epochs N] [--limit N] ... (--help lists them)
 */
import { runApp } from '@cnn/runner';
import { wideCnn } from '@cnn/zoo';

process.exitCode = await runApp(wideCnn, {
  command: 'pnpm --filter @cnn/app-wide-cnn start --',
  zeroBased: true,
  lines: {
    trainLoss: (l) =>
      `Train Step: ${l.index}\tLoss: ${l.loss.toFixed(10)}\tAccuracy: ${((l.accuracy ?? 0) * 100).toFixed(10)}`,
    test: (t) => `Accuracy of the network on the ${t.total} test images: ${Math.floor(t.accuracy * 100)} %`,
  },
});
