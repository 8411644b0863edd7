import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EpochResult } from './epoch';
import type { ModelResult } from './measure';
import type { ProjectInfo } from './project-info';
import type { WorkerJob, WorkerMessage } from './worker';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Rows, errors and the engine facts from one backend's child process. */
export interface BackendOutcome {
  info: ProjectInfo | null;
  results: ModelResult[];
  epochs: EpochResult[];
  errors: string[];
}

/**
 * Runs one backend's job in a child process (same node flags as this one, so tsx and the
 * `@cnn/source` condition carry over): a crash or a hung kernel costs that backend only.
 * Aborting `abort` kills the child (SIGTERM); rows it already sent are kept.
 */
export function runBackend(job: WorkerJob, abort?: AbortSignal): Promise<BackendOutcome> {
  const outcome: BackendOutcome = { info: null, results: [], epochs: [], errors: [] };
  return new Promise((resolve) => {
    const child = fork(WORKER, [JSON.stringify(job)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      ...(abort ? { signal: abort } : {}),
    });
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'info') outcome.info = m.info;
      else if (m.type === 'result') outcome.results.push(m.result);
      else if (m.type === 'epoch') outcome.epochs.push(m.result);
      else outcome.errors.push(`${m.backend}${m.model ? ` ${m.model}` : ''}: ${m.message}`);
    });
    child.on('error', (e) => outcome.errors.push(`${job.backend}: ${e.message}`));
    child.on('exit', (code, signal) => {
      const backendFailed = outcome.errors.some((e) => e.startsWith(`${job.backend}: `));
      const done = (id: string) =>
        outcome.results.some((r) => r.model === id) || outcome.epochs.some((r) => r.model === id);
      const missing = job.models.filter(
        (id) => !done(id) && !outcome.errors.some((e) => e.startsWith(`${job.backend} ${id}:`)),
      );
      if (missing.length && !backendFailed) {
        outcome.errors.push(
          `${job.backend}: worker exited (${signal ?? `code ${code}`}) before finishing ${missing.join(', ')}`,
        );
      }
      resolve(outcome);
    });
  });
}
