import * as tf from '@tensorflow/tfjs-core';
import { batches, labelCounts, type MnistDataset, normalize, pixelMeanStd } from '@cnn/datasets';
import { asciiImage, bar, groupDigits, sideBySide, table, trimCommonMargin } from '@cnn/viz/terminal';

/** Options of {@link report}. */
export interface ReportOptions {
  /** How many training images to draw. */
  preview: number;
  /** Terminal width for the preview layout. */
  columns: number;
  /** Milliseconds spent loading, shown in the header. */
  loadMs: number;
  /** Wraps headings (e.g. in ANSI bold); identity by default. */
  heading?: (text: string) => string;
}

/** The whole statistics report as lines of text. */
export function report(data: MnistDataset, options: ReportOptions): string[] {
  const h = options.heading ?? ((t: string) => t);
  const { train, test, classNames } = data;
  // Show class names only when they say more than the label number.
  const named = classNames.some((name, i) => name !== String(i));
  const describe = (label: number) => (named ? `${label} ${classNames[label]}` : `${label}`);
  const out: string[] = [];
  out.push(
    h('Dataset'),
    `  ${data.dir}`,
    `  ${classNames.length} classes, loaded and checked in ${options.loadMs.toFixed(0)} ms`,
    '',
  );

  const trainStats = pixelMeanStd(train.images);
  const testStats = pixelMeanStd(test.images);
  out.push(h('Splits (pixel mean/std on the [0, 1] scale)'));
  const splitRows = [
    ['split', 'images', 'size', 'pixel mean', 'pixel std'],
    ...[
      [train, trainStats],
      [test, testStats],
    ].map(([s, st]) => {
      const set = s as typeof train;
      const stats = st as typeof trainStats;
      return [
        set.split,
        groupDigits(set.count),
        `${set.height}×${set.width}`,
        stats.mean.toFixed(4),
        stats.std.toFixed(4),
      ];
    }),
  ];
  out.push(...table(splitRows, new Set([1])).map((l) => `  ${l}`), '');

  const trainCounts = labelCounts(train.labels, classNames.length);
  const testCounts = labelCounts(test.labels, classNames.length);
  const maxTrain = Math.max(...trainCounts);
  const maxTest = Math.max(...testCounts);
  out.push(h('Images per class'));
  const classRows = [
    [named ? 'class' : 'label', 'train', '', 'test', ''],
    ...classNames.map((_, i) => [
      describe(i),
      groupDigits(trainCounts[i]!),
      bar(trainCounts[i]!, maxTrain, 20),
      groupDigits(testCounts[i]!),
      bar(testCounts[i]!, maxTest, 12),
    ]),
  ];
  out.push(...table(classRows, new Set(named ? [1, 3] : [0, 1, 3])).map((l) => `  ${l}`), '');

  out.push(h('One normalised batch, as the training apps will see it'));
  const it = batches(train, { batchSize: 64, seed: 0, transform: normalize(0.1307, 0.3081) });
  const first = it.epoch(0).next();
  if (!first.done) {
    const { x, y } = first.value;
    const [mean, variance] = tf.tidy(() => {
      const moments = tf.moments(x);
      return [moments.mean.dataSync()[0]!, moments.variance.dataSync()[0]!];
    });
    out.push(
      `  x ${x.dtype} [${x.shape.join(', ')}], mean ${mean.toFixed(3)}, std ${Math.sqrt(variance).toFixed(3)}` +
        ` (normalise 0.1307, 0.3081); y ${y.dtype} [${y.shape.join(', ')}]; ${it.batchesPerEpoch} batches per epoch`,
      '',
    );
    tf.dispose([x, y]);
  }

  const count = Math.min(options.preview, train.count);
  if (count > 0) {
    out.push(h(`The first ${count} training images`));
    const pixels = train.height * train.width;
    const images = trimCommonMargin(
      Array.from({ length: count }, (_, i) =>
        asciiImage(train.images.subarray(i * pixels, (i + 1) * pixels), train.height, train.width),
      ),
    );
    const blocks = images.map((lines, i) => ({ title: `#${i}: ${describe(train.labels[i]!)}`, lines }));
    out.push(...sideBySide(blocks, options.columns - 2).map((l) => (l ? `  ${l}` : l)));
  }
  return out;
}
