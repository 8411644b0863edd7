import { loadavg } from 'node:os';
import { availableBackends, BACKEND_NAMES } from '@cnn/backend';
import { BenchArgsError, type BenchOptions, parseArgs, USAGE } from './args';
import { idxFiles, loadBenchData } from './data';
import { machineInfo } from './machine';
import type { MeasureOptions, ModelResult } from './measure';
import { defaultOutPath, recordResults, resolveOut, writeReport } from './report';
import { runBackend } from './run-backend';
import { checkTargets, formatTable, formatTargets, withRatios } from './table';
import { findTorchPython, runTorch, type TorchPython, type TorchRun } from './torch';

async function main(argv: string[]): Promise<number> {
  let opts: BenchOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof BenchArgsError) {
      console.error(`bench: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }

  const unknown = (opts.backends ?? []).filter((b) => !(BACKEND_NAMES as readonly string[]).includes(b));
  if (unknown.length) {
    console.error(`bench: unknown backend ${unknown.join(', ')}; expected one of ${BACKEND_NAMES.join(', ')}`);
    return 2;
  }
  const available: string[] = await availableBackends();
  const wanted = opts.backends ?? available.filter((b) => b !== 'cpu');
  const backends = wanted.filter((b) => available.includes(b));
  for (const b of wanted.filter((b) => !available.includes(b))) {
    console.error(`bench: backend ${b} is not available here (available: ${available.join(', ')}); skipped`);
  }
  if (!opts.backends && backends.length === 0) {
    console.error('bench: no backend besides cpu is available; pass --backends cpu to time it anyway');
  }

  const machine = machineInfo();
  const measure: MeasureOptions = {
    steps: opts.steps,
    warmup: opts.warmup,
    inferImages: opts.inferImages,
    inferBatch: opts.inferBatch,
    repeats: opts.repeats,
    seed: opts.seed,
  };
  console.error(
    `bench: ${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, load ${machine.loadAverage.join(' ')}; ` +
      `models ${opts.models.join(',')}; best of ${opts.repeats} × ${opts.steps} steps (+${opts.warmup} warm-up); ` +
      `inference ${opts.inferImages} images at batch ${opts.inferBatch}`,
  );
  console.error(
    `bench: libblas.so.3 -> ${machine.blas ?? 'not found'} [${machine.blasAlternative ?? 'no alternatives'}]`,
  );
  if ((machine.loadAverage[0] ?? 0) > machine.cores / 2) {
    console.error(
      `bench: warning: load average ${machine.loadAverage[0]} on ${machine.cores} cores; other work will skew the figures`,
    );
  }
  if (Object.keys(machine.env).length) console.error(`bench: BLAS/OpenMP env ${JSON.stringify(machine.env)}`);

  const rows: ModelResult[] = [];
  const errors: string[] = [];
  let torch: TorchRun | null = null;
  let python: TorchPython | null = null;
  if (opts.torch) {
    try {
      python = findTorchPython();
    } catch (e) {
      console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
      return 2;
    }
    if (python) console.error(`bench: PyTorch ${python.torchVersion} from ${python.executable} (${python.source})`);
    else console.error('bench: no Python with torch found (set CNN_TORCH_PYTHON); PyTorch rows skipped');
  }
  const files = idxFiles(loadBenchData());
  // Model by model, PyTorch then each backend, so that the rows compared with each other ran
  // close together in time (other load on the machine drifts); every run is its own process.
  for (const model of opts.models) {
    if (python) {
      const load = loadavg()[0]!;
      try {
        const run = await runTorch(python, files, [model], measure, opts.torchThreads);
        torch ??= run;
        rows.push(...run.results.map((r) => ({ ...r, loadAverage: load })));
      } catch (e) {
        errors.push(`pytorch ${model}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    for (const backend of backends) {
      const load = loadavg()[0]!;
      const outcome = await runBackend({ ...measure, backend, models: [model] });
      rows.push(...outcome.results.map((r) => ({ ...r, loadAverage: load })));
      errors.push(...outcome.errors);
    }
  }
  if (torch) torch.results = rows.filter((r) => r.backend === 'pytorch');

  const table = withRatios(rows);
  const targets = checkTargets(table);
  const tableText = formatTable(table);
  console.log(tableText);
  const measured = targets.filter((t) => t.met !== null);
  if (measured.length) console.log(formatTargets(measured));
  for (const e of errors) console.error(`bench: error: ${e}`);

  const date = new Date();
  const out = opts.out ? resolveOut(opts.out) : defaultOutPath(date);
  const report = {
    date: date.toISOString(),
    command: argv,
    options: opts,
    machine,
    torch,
    rows: table,
    targets,
    errors,
  };
  writeReport(out, report);
  console.error(`bench: wrote ${out}`);
  if (opts.record) console.error(`bench: updated ${recordResults(report, tableText, formatTargets(targets))}`);
  return errors.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
