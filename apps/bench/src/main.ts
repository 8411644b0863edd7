/**
 * The engine benchmark: the zoo's tutorial models on each backend beside PyTorch, in timed step
 * windows or (--epoch) one full epoch each.
 *
 *   pnpm bench [--models 000,small-cnn] [--backend native,wasm] [--seconds S] [--epoch] … (see --help)
 */
import { availableBackends } from '@cnn/backend';
import { BenchArgsError, type BenchOptions, parseArgs, USAGE } from './args';
import { cpuTicks } from './cpu-share';
import { idxFiles, loadBenchData } from './data';
import { machineInfo } from './machine';
import { finish } from './output';
import { blasWarning, classifyBlas } from './reference';
import { emptyState, type RunPlan, runEpochs, runSteps, torchReference } from './run';
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
  const cpuAtStart = cpuTicks();
  const what = opts.epoch
    ? `one epoch per model${opts.limit ? ` (first ${opts.limit} images)` : ''}, median of ${opts.repeats}`
    : `median of ${opts.repeats} windows of ≥ ${opts.seconds} s and ≥ ${opts.steps} steps (after ≥ ${opts.warmup} steps and ≥ ${opts.warmupSeconds} s of warm-up); ` +
      `inference ${opts.inferImages} images at batch ${opts.inferBatch}`;
  console.error(
    `bench: ${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, load ${machine.loadAverage.join(' ')}; ` +
      `models ${opts.models.join(',')}; backends ${backends.join(',') || 'none'}; ${what}`,
  );

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

  const state = emptyState();
  const plan: RunPlan = {
    models: opts.models,
    backends,
    python,
    files: idxFiles(loadBenchData()),
    torchThreads: opts.torchThreads,
  };
  // The reference first, so that a slow BLAS is flagged before minutes of measuring.
  try {
    state.reference = await torchReference(plan, abort.signal);
  } catch (e) {
    if (!abort.signal.aborted) state.errors.push(`pytorch reference: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (state.reference) {
    const warning = blasWarning(classifyBlas(machine.blas, state.reference.openblas));
    console.error(
      `bench: PyTorch ${state.reference.threads} threads, BLAS ${state.reference.openblas?.config ?? machine.blas ?? 'unknown'}`,
    );
    if (warning) console.error(`bench: WARNING: ${warning}`);
  }
  if (opts.epoch) {
    await runEpochs(state, plan, { repeats: opts.repeats, limit: opts.limit, seed: opts.seed }, abort.signal);
  } else {
    const { steps, seconds, warmup, warmupSeconds, inferImages, inferBatch, repeats, seed } = opts;
    const measure = { steps, seconds, warmup, warmupSeconds, inferImages, inferBatch, repeats, seed };
    await runSteps(state, plan, measure, abort.signal);
  }
  process.removeListener('SIGINT', onSigint);
  const interrupted = abort.signal.aborted;
  await finish(argv, opts, machine, state, interrupted, cpuAtStart);
  if (interrupted) return 130;
  return state.errors.length ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
