/**
 * Tutorial 003 as an app: `sequential-cnn` from @cnn/zoo. Prints the numbers of training and
 * test batches first and the test accuracy at the end.
 *
 *   pnpm --filter @cnn/app-sequential-cnn start -- [--epochs N] [--limit N] ... (--help lists them)
 */
import { runApp } from '@cnn/runner';
import { sequentialCnn } from '@cnn/zoo';

process.exitCode = await runApp(sequentialCnn, {
  command: 'pnpm --filter @cnn/app-sequential-cnn start --',
  lines: {
    batchCounts: (train, test) => [
      `==>>> total training batch number: ${train}`,
      `==>>> total testing batch number: ${test}`,
    ],
    test: (t) => `ACC: ${(100 * t.correct) / t.total}%`,
  },
});
