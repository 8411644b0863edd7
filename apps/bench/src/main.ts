/**
 * The engine benchmark: the zoo's tutorial models on each backend beside PyTorch.
 *
 *   pnpm bench [--models 000,small-cnn] [--backend native,wasm] [--steps N] … (see --help)
 */
import { availableBackends } from '@cnn/backend';
import { BenchArgsError, type BenchOptions, parseArgs, USAGE } from './args';
import { idxFiles, loadBenchData } from './data';
import { machineInfo } from './machine';
import type { MeasureOptions } from './measure';
import { defaultOutPath, recordResults, resolveOut, writeReport } from './report';
import { type RunState, runModels } from './run';
import { checkTargets, formatTable, formatTargets, withRatios } from './table';
import { findTorchPython, type TorchPython } from './torch';

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

  const available: string[] = await availableBackends();
  const wanted = opts.backends ?? available.filter((b) => b !== 'cpu');
  const backends = wanted.filter((b) => available.includes(b));
  for (const b of wanted.filter((b) => !available.includes(b))) {
    console.error(`bench: backend ${b} is not available here (available: ${available.join(', ')}); skipped`);
  }
  if (!opts.backends && backends.length === 0) {
    console.error('bench: no backend besides cpu is available; pass --backend cpu to time it anyway');
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

  // Ctrl-C: stop the running child, keep the rows measured so far, print and write them.
  // A second Ctrl-C quits at once.
  const abort = new AbortController();
  const onSigint = () => {
    console.error('\nbench: interrupted; keeping the rows already measured (Ctrl-C again to quit now)');
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);

  const state: RunState = { rows: [], errors: [], torch: null };
  const files = idxFiles(loadBenchData());
  await runModels(
    state,
    { models: opts.models, backends, python, files, measure, torchThreads: opts.torchThreads },
    abort.signal,
  );
  process.removeListener('SIGINT', onSigint);
  const interrupted = abort.signal.aborted;

  const table = withRatios(state.rows);
  const targets = checkTargets(table);
  const tableText = formatTable(table);
  console.log(tableText);
  const measured = targets.filter((t) => t.met !== null);
  if (measured.length) console.log(formatTargets(measured));
  for (const e of state.errors) console.error(`bench: error: ${e}`);

  const date = new Date();
  const out = opts.out ? resolveOut(opts.out) : defaultOutPath(date);
  const report = {
    date: date.toISOString(),
    command: argv,
    options: opts,
    interrupted,
    machine,
    torch: state.torch,
    rows: table,
    targets,
    errors: state.errors,
  };
  writeReport(out, report);
  console.error(`bench: wrote ${out}${interrupted ? ` (interrupted: ${table.length} rows)` : ''}`);
  if (opts.record && !interrupted) {
    console.error(`bench: updated ${recordResults(report, tableText, formatTargets(targets))}`);
  } else if (opts.record) console.error('bench: interrupted, so RESULTS.md is left as it was');
  if (interrupted) return 130;
  return state.errors.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
