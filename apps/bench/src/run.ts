import { loadavg } from 'node:os';
import type { RecipeId } from '@cnn/zoo';
import { formatEngineCounters } from './engine-stats';
import type { EpochOptions, EpochResult } from './epoch';
import type { MeasureOptions, ModelResult } from './measure';
import type { ProjectInfo } from './project-info';
import type { TorchReference } from './reference';
import { type BackendOutcome, runBackend } from './run-backend';
import { type IdxFiles, runTorch, type TorchJob, type TorchPython, type TorchRun } from './torch';

/** What a run has gathered so far: kept as it grows, so an interrupted run still has its rows. */
export interface RunState {
  rows: ModelResult[];
  epochs: EpochResult[];
  errors: string[];
  /** PyTorch's reference report, or null when it did not run. */
  reference: TorchReference | null;
  /** Each backend's engine facts, as its first worker reported them. */
  project: ProjectInfo[];
}

export function emptyState(): RunState {
  return { rows: [], epochs: [], errors: [], reference: null, project: [] };
}

/** What to run. */
export interface RunPlan {
  models: readonly RecipeId[];
  backends: readonly string[];
  python: TorchPython | null;
  files: IdxFiles;
  torchThreads: number | undefined;
}

const load1 = () => Math.round(loadavg()[0]! * 100) / 100;

/** A progress line per finished row, so that a long run shows where it is. */
function say(rows: readonly (ModelResult | EpochResult)[]): void {
  for (const r of rows) {
    const load = `load ${r.loadBefore ?? '?'}→${r.loadAfter ?? '?'}`;
    const what =
      'trainImgPerSecAll' in r
        ? `train ${Math.round(r.trainImgPerSec)} img/s, inference ${Math.round(r.inferImgPerSec)} img/s`
        : `epoch ${r.repeat}: ${r.totalSeconds.toFixed(1)} s (train ${r.trainSeconds.toFixed(1)} s), test ${(r.testAccuracy * 100).toFixed(2)}%`;
    console.error(`bench: ${r.model} ${r.backend}: ${what}; ${load}`);
  }
}

/** Runs `fn` and stamps the 1-minute load average before and after on the rows it returns. */
async function withLoad<T extends ModelResult | EpochResult>(fn: () => Promise<T[]>): Promise<T[]> {
  const before = load1();
  const rows = await fn();
  const after = load1();
  const stamped = rows.map((r) => ({ ...r, loadBefore: before, loadAfter: after }));
  say(stamped);
  return stamped;
}

async function torchRows(state: RunState, plan: RunPlan, job: TorchJob, model: string, signal: AbortSignal) {
  if (!plan.python || signal.aborted) return null;
  try {
    const run: TorchRun = await runTorch(plan.python, job, plan.files, plan.torchThreads, signal);
    state.reference ??= run.reference;
    return run;
  } catch (e) {
    if (!signal.aborted) state.errors.push(`pytorch ${model}: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

/** Keeps a backend's engine facts and errors, and prints its native rows' fallback counts as they come. */
function keep(state: RunState, outcome: BackendOutcome, signal: AbortSignal): void {
  for (const line of formatEngineCounters([...outcome.results, ...outcome.epochs])) console.error(`bench: ${line}`);
  if (outcome.info && !state.project.some((p) => p.backend === outcome.info!.backend)) state.project.push(outcome.info);
  if (!signal.aborted) state.errors.push(...outcome.errors);
}

/**
 * Step mode. Model by model, PyTorch then each backend, so that the rows compared with each
 * other ran close together in time (other load on the machine drifts); every run is its own
 * process. Stops before the next run once `signal` is aborted (the run in flight is killed).
 */
export async function runSteps(state: RunState, plan: RunPlan, measure: MeasureOptions, signal: AbortSignal) {
  for (const model of plan.models) {
    state.rows.push(
      ...(await withLoad(async () => {
        const run = await torchRows(state, plan, { kind: 'steps', models: [model], measure }, model, signal);
        return run?.results ?? [];
      })),
    );
    for (const backend of plan.backends) {
      if (signal.aborted) return;
      let outcome: BackendOutcome | undefined;
      const rows = await withLoad(async () => {
        outcome = await runBackend({ kind: 'steps', backend, models: [model], measure }, signal);
        return outcome.results;
      });
      state.rows.push(...rows);
      keep(state, outcome!, signal);
    }
  }
}

/**
 * Epoch mode. For each model, repeat by repeat: PyTorch's epoch, then each backend's, each in a
 * fresh process, so that the two sides of a ratio alternate and see the same machine load.
 */
export async function runEpochs(state: RunState, plan: RunPlan, epoch: EpochOptions, signal: AbortSignal) {
  for (const model of plan.models) {
    for (let repeat = 1; repeat <= epoch.repeats; repeat++) {
      state.epochs.push(
        ...(await withLoad(async () => {
          const run = await torchRows(state, plan, { kind: 'epoch', models: [model], epoch }, model, signal);
          return (run?.epochs ?? []).map((r) => ({ ...r, repeat }));
        })),
      );
      for (const backend of plan.backends) {
        if (signal.aborted) return;
        let outcome: BackendOutcome | undefined;
        const rows = await withLoad(async () => {
          outcome = await runBackend({ kind: 'epoch', backend, models: [model], epoch, repeat }, signal);
          return outcome.epochs;
        });
        state.epochs.push(...rows);
        keep(state, outcome!, signal);
      }
    }
  }
}

/** PyTorch's reference report alone (for runs that skip its rows, e.g. --models with no torch job yet). */
export async function torchReference(plan: RunPlan, signal: AbortSignal): Promise<TorchReference | null> {
  if (!plan.python) return null;
  const run = await runTorch(plan.python, { kind: 'reference' }, plan.files, plan.torchThreads, signal);
  return run.reference;
}
