/**
 * The main job (`pnpm start` at the repository root): the `fast` recipe of @cnn/zoo, a narrow
 * batch-norm CNN trained for one epoch under a one-cycle schedule, to 99% test accuracy in the
 * least time on two CPU cores. `--help` lists the flags and the other apps.
 */
import { runApp } from '@cnn/runner';
import { fastCnn } from '@cnn/zoo';

const apps = `The other apps (pnpm --filter @cnn/app-<name> start -- --help for their flags):
  basic-cnn       tutorial 000: conv 32/64 + fc 1024, SGD lr 3e-4, 15 epochs (89.41% reported)
  wide-cnn        tutorial 001: conv 150/64 + fc 1024/500, SGD momentum 0.95, 3 epochs (99%)
  small-cnn       tutorial 002: conv 10/20 + fc 320, one epoch (97.14%)
  sequential-cnn  tutorial 003: Sequential conv 16/32, Adam, batch 4, 10 epochs (99.05%)
  batchnorm-cnn   tutorial 004: 4 conv + batch norm, Adam, 10 epochs (~99%)
  record          the best single model: 32/64/128 batch-norm CNN on augmented digits, one-cycle SGD, 15 epochs (99.6%)
  mnist-stats     statistics of an MNIST-style set and an ASCII preview
  bench           the engine benchmark against PyTorch (pnpm bench)`;

const epochs = `${fastCnn.goal.epochs} epoch${fastCnn.goal.epochs === 1 ? '' : 's'}`;

process.exitCode = await runApp(fastCnn, {
  command: 'pnpm start --',
  about: `fast: ${fastCnn.title}.\nTrains to ${fastCnn.goal.percent}% test accuracy in ${epochs} on the embedded MNIST.\n\n${apps}`,
  lines: {
    trainLoss: (l) =>
      `step ${l.step}: loss ${l.loss.toFixed(4)}, batch accuracy ${((l.accuracy ?? 0) * 100).toFixed(1)}%`,
    test: (t) =>
      `epoch ${t.epoch + 1}: test loss ${t.loss.toFixed(4)}, accuracy ${(t.accuracy * 100).toFixed(2)}% (${t.correct}/${t.total})`,
  },
});
