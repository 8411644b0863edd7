/**
 * Tutorial 004 as an app: `batchnorm-cnn` from @cnn/zoo. Draws the first 40 training digits,
 * tests every 50 steps (for the accuracy curve), prints the step, batch loss and that test
 * accuracy every 600 steps, and ends with the loss and accuracy curves of the report.
 *
 *   pnpm --filter @cnn/app-batchnorm-cnn start -- [--epochs N] [--limit N] ... (--help lists them)
 */
import { runApp } from '@cnn/runner';
import { batchnormCnn } from '@cnn/zoo';

process.exitCode = await runApp(batchnormCnn, {
  command: 'pnpm --filter @cnn/app-batchnorm-cnn start --',
  lines: {
    trainLoss: (l) =>
      `Iteration: ${l.step} Loss: ${l.loss.toFixed(4)} Accuracy: ${l.testAccuracy === undefined ? '-' : (l.testAccuracy * 100).toFixed(2)} %`,
  },
});
