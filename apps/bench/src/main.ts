import { availableBackends, BACKEND_NAMES } from '@cnn/backend';
import { BenchArgsError, type BenchOptions, parseArgs, USAGE } from './args';
import { idxFiles, loadBenchData } from './data';
import { machineInfo } from './machine';
import type { MeasureOptions, ModelResult } from './measure';
import { defaultOutPath, recordResults, resolveOut, writeReport } from './report';
import { runBackend } from './run-backend';
import { checkTargets, formatTable, formatTargets, withRatios } from './table';
import { findTorchPython, runTorch, type TorchRun } from './torch';

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
    seed: opts.seed,
  };
  console.error(
    `bench: ${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, load ${machine.loadAverage.join(' ')}; ` +
      `models ${opts.models.join(',')}; ${opts.steps} steps (+${opts.warmup} warm-up); ` +
      `inference ${opts.inferImages} images at batch ${opts.inferBatch}`,
  );
  console.error(`bench: libblas.so.3 -> ${machine.blas ?? 'not found'} [${machine.blasAlternative ?? 'no alternatives'}]`);
  if (Object.keys(machine.env).length) console.error(`bench: BLAS/OpenMP env ${JSON.stringify(machine.env)}`);

  const rows: ModelResult[] = [];
  const errors: string[] = [];
  let torch: TorchRun | null = null;
  if (opts.torch) {
    const python = findTorchPython();
    if (!python) {
      console.error('bench: no Python with torch found (set CNN_TORCH_PYTHON); PyTorch rows skipped');
    } else {
      console.error(`bench: PyTorch ${python.torchVersion} from ${python.executable} (${python.source})`);
      try {
        torch = await runTorch(python, idxFiles(loadBenchData()), opts.models, measure);
        rows.push(...torch.results);
      } catch (e) {
        errors.push(`pytorch: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  for (const backend of backends) {
    const outcome = await runBackend({ ...measure, backend, models: opts.models });
    rows.push(...outcome.results);
    errors.push(...outcome.errors);
  }

  const table = withRatios(rows);
  const targets = checkTargets(table);
  const tableText = formatTable(table);
  console.log(tableText);
  const measured = targets.filter((t) => t.met !== null);
  if (measured.length) console.log(formatTargets(measured));
  for (const e of errors) console.error(`bench: error: ${e}`);

  const date = new Date();
  const out = opts.out ? resolveOut(opts.out) : defaultOutPath(date);
  const report = { date: date.toISOString(), command: argv, options: opts, machine, torch, rows: table, targets, errors };
  writeReport(out, report);
  console.error(`bench: wrote ${out}`);
  if (opts.record) console.error(`bench: updated ${recordResults(report, tableText, formatTargets(targets))}`);
  return errors.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
