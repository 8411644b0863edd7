import { loadavg } from 'node:os';
import type { RecipeId } from '@cnn/zoo';
import type { MeasureOptions, ModelResult } from './measure';
import { runBackend } from './run-backend';
import { runTorch, type TorchPython, type TorchRun } from './torch';

/** What a run has gathered so far: kept as it grows, so an interrupted run still has its rows. */
export interface RunState {
  rows: ModelResult[];
  errors: string[];
  /** The PyTorch script's report (its rows are in `rows` too), or null when it did not run. */
  torch: TorchRun | null;
}

/** What to run. */
export interface RunPlan {
  models: readonly RecipeId[];
  backends: readonly string[];
  python: TorchPython | null;
  files: { trainImages: string; trainLabels: string; testImages: string };
  measure: MeasureOptions;
  torchThreads: number;
}

/**
 * Model by model, PyTorch then each backend, so that the rows compared with each other ran
 * close together in time (other load on the machine drifts); every run is its own process.
 * Stops before the next run once `signal` is aborted; the run in flight is killed and
 * its model dropped (no error recorded for it).
 */
export async function runModels(state: RunState, plan: RunPlan, signal: AbortSignal): Promise<void> {
  for (const model of plan.models) {
    if (plan.python) {
      if (signal.aborted) return;
      const load = loadavg()[0]!;
      try {
        const run = await runTorch(plan.python, plan.files, [model], plan.measure, plan.torchThreads, signal);
        state.torch ??= run;
        state.rows.push(...run.results.map((r) => ({ ...r, loadAverage: load })));
      } catch (e) {
        if (!signal.aborted) state.errors.push(`pytorch ${model}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    for (const backend of plan.backends) {
      if (signal.aborted) return;
      const load = loadavg()[0]!;
      const outcome = await runBackend({ ...plan.measure, backend, models: [model] }, signal);
      state.rows.push(...outcome.results.map((r) => ({ ...r, loadAverage: load })));
      if (!signal.aborted) state.errors.push(...outcome.errors);
    }
  }
  if (state.torch) state.torch.results = state.rows.filter((r) => r.backend === 'pytorch');
}
