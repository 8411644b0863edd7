/**
 * Tutorial 002 as an app: `small-cnn` from @cnn/zoo. Prints the epoch, the images seen and
 * the batch loss every 10 batches (counted from 0), then the test loss and accuracy.
 *
 *   pnpm --filter @cnn/app-small-cnn start -- [--epochs N] [--limit N] ... (--help lists them)
 */
import { runApp } from '@cnn/runner';
import { smallCnn } from '@cnn/zoo';

process.exitCode = await runApp(smallCnn, {
  command: 'pnpm --filter @cnn/app-small-cnn start --',
  zeroBased: true,
  lines: {
    trainLoss: (l) =>
      `Train Epoch: ${l.epoch} [${l.seen}/${l.total} (${Math.round((100 * l.index) / l.batches)}%)]\tLoss: ${l.loss.toFixed(6)}`,
    // The tutorial divides the sum of batch means by the number of images; this is the mean per image.
    test: (t) =>
      `\nValidation set Loss: ${t.loss.toFixed(4)}, accuracy: ${t.correct}/${t.total} (${Math.round(t.accuracy * 100)}%)\n`,
  },
});
