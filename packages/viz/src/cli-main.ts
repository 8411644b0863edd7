/** The `cnn-viz` command (see cli.ts for the usage). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { VizError } from './errors';
import { sparkline, table } from './terminal';

// tfjs, the backends, vega and resvg load only once the arguments are known to be good, so
// `--help` and a mistyped flag answer at once.

const usage = `usage: cnn-viz <run-dir> [--out <dir>] [--limit N] [--sample N] [--scale S]
       cnn-viz --bench <report.json> [--out <dir>]
  <run-dir>  a run directory: metrics.jsonl, optional config.json and model/ (see the @cnn/viz README)
  --out      where to write the images and report.html (default <run-dir>/viz, or the report's folder)
  --limit    evaluate on the first N test images only (default all)
  --sample   test image whose feature maps are drawn (default 0)
  --scale    PNG pixels per SVG unit (default 2)
  --bench    draw the chart of an apps/bench JSON report instead of a run
  -h, --help this text`;

/** Runs the command with `argv` (without node and the script); returns the exit code. */
/** Where the command writes: the console by default, a collector in tests. */
export interface CliOutput {
  log(text: string): void;
  error(text: string): void;
}

/**
 * The cnn-viz command without the process around it: runs it with `argv` (without node and the
 * script) and returns the exit code (0 done, 1 unreadable input, 2 bad flags).
 */
export async function runCli(
  argv: string[],
  out: CliOutput = console,
  tty = Boolean(process.stdout.isTTY),
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    out.error(`cnn-viz: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.log(usage);
    return 0;
  }
  const whole = (name: string, text: string | undefined, min: number) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected a whole number >= ${min}, found ${text}`);
    return n;
  };
  let limit: number | undefined;
  let sample: number | undefined;
  let scale: number | undefined;
  try {
    limit = whole('limit', values.limit, 1);
    sample = whole('sample', values.sample, 0);
    if (values.scale !== undefined) {
      scale = Number(values.scale);
      if (!(scale > 0 && scale <= 8)) throw new Error(`--scale: expected a number in (0, 8], found ${values.scale}`);
    }
    if (!values.bench && positionals.length !== 1) throw new Error('expected one run directory');
    if (values.bench && positionals.length) throw new Error('--bench takes no run directory');
  } catch (err) {
    out.error(`cnn-viz: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  const png = scale === undefined ? {} : { scale };
  try {
    if (values.bench) {
      const file = values.bench;
      let report: unknown;
      try {
        report = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (err) {
        throw new VizError('unreadable', `cannot read the bench report: ${(err as Error).message}`, file);
      }
      const outDir = values.out ?? path.dirname(file);
      fs.mkdirSync(outDir, { recursive: true });
      const { benchRows, renderBenchChart } = await import('./bench');
      const chart = await renderBenchChart(benchRows(report, file), png);
      const base = path.join(outDir, path.basename(file, '.json'));
      fs.writeFileSync(`${base}.svg`, chart.svg);
      fs.writeFileSync(`${base}.png`, chart.png);
      out.log(`cnn-viz: wrote ${base}.svg and ${base}.png`);
      return 0;
    }
    const [{ useBackend }, tf, { renderRun }] = await Promise.all([
      import('@cnn/backend'),
      import('@tensorflow/tfjs-core'),
      import('./run-dir'),
    ]);
    tf.enableProdMode();
    await useBackend('auto', { quiet: true });
    const run = await renderRun(positionals[0]!, {
      ...(values.out ? { outDir: values.out } : {}),
      ...(limit ? { limit } : {}),
      ...(sample !== undefined ? { sample } : {}),
      png,
      columns: process.stdout.columns ?? 80,
    });
    if (tty) {
      if (run.preview.length)
        out.log(['The surest mistakes (true → predicted, confidence):', ...run.preview].join('\n'));
      const losses = run.log.steps.map((s) => s.loss);
      if (losses.length) out.log(`loss  ${sparkline(losses, Math.min(60, (process.stdout.columns ?? 80) - 8))}`);
      const rows: string[][] = [];
      if (run.testAccuracy !== undefined) rows.push(['test accuracy', `${(run.testAccuracy * 100).toFixed(2)}%`]);
      const last = run.log.epochs.at(-1);
      if (last) rows.push(['last epoch loss', last.loss.toFixed(4)]);
      out.log(table(rows).join('\n'));
    }
    out.log(`cnn-viz: wrote ${run.files.length} files to ${run.outDir} (open report.html)`);
    return 0;
  } catch (err) {
    if (err instanceof VizError) {
      out.error(`cnn-viz: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      limit: { type: 'string' },
      sample: { type: 'string' },
      scale: { type: 'string' },
      bench: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
