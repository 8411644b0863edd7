/**
 * Tutorial 000 as an app: `basic-cnn` from @cnn/zoo, trained and printed as the tutorial does
 * (the batch loss every 1000 steps of an epoch, the test accuracy after each epoch).
 *
 *   pnpm --filter @cnn/app-basic-cnn start -- [--epochs N] [--limit N] ... (--help lists them)
 */
import { runApp } from '@cnn/runner';
import { basicCnn } from '@cnn/zoo';

process.exitCode = await runApp(basicCnn, {
  command: 'pnpm --filter @cnn/app-basic-cnn start --',
  lines: {
    // The tutorial labels the epoch number "Train Step".
    trainLoss: (l) => `Train Step: ${l.epoch}\tLoss: ${l.loss.toFixed(3)}`,
    test: (t) => `\nTest set: Accuracy: ${(t.accuracy * 100).toFixed(2)}%`,
  },
});
