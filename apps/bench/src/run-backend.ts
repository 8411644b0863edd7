import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ModelResult } from './measure';
import type { WorkerJob, WorkerMessage } from './worker';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Rows and errors from one backend's child process. */
export interface BackendOutcome {
  results: ModelResult[];
  errors: string[];
}

/**
 * Runs one backend's models in a child process (same node flags as this one, so tsx and the
 * `@cnn/source` condition carry over): a crash or a hung kernel costs that backend only.
 * Aborting `abort` kills the child (SIGTERM); rows it already sent are kept.
 */
export function runBackend(job: WorkerJob, abort?: AbortSignal): Promise<BackendOutcome> {
  const outcome: BackendOutcome = { results: [], errors: [] };
  return new Promise((resolve) => {
    const child = fork(WORKER, [JSON.stringify(job)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      ...(abort ? { signal: abort } : {}),
    });
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'result') outcome.results.push(m.result);
      else outcome.errors.push(`${m.backend}${m.model ? ` ${m.model}` : ''}: ${m.message}`);
    });
    child.on('error', (e) => outcome.errors.push(`${job.backend}: ${e.message}`));
    child.on('exit', (code, signal) => {
      const backendFailed = outcome.errors.some((e) => e.startsWith(`${job.backend}: `));
      const missing = job.models.filter(
        (id) =>
          !outcome.results.some((r) => r.model === id) &&
          !outcome.errors.some((e) => e.startsWith(`${job.backend} ${id}:`)),
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
