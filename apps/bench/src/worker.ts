import { useBackend } from '@cnn/backend';
import { hasGradients } from '@cnn/layers';
import { type RecipeId, recipe } from '@cnn/zoo';
import * as tf from '@tensorflow/tfjs-core';
import { loadBenchData } from './data';
import { type EpochOptions, type EpochResult, epochWithLeakCheck } from './epoch';
import { type MeasureOptions, measureModel, type ModelResult } from './measure';
import { type ProjectInfo, projectInfo } from './project-info';

/** What the parent sends a worker: one backend, the models, and what to measure. */
export type WorkerJob =
  | { kind: 'steps'; backend: string; models: RecipeId[]; measure: MeasureOptions }
  | { kind: 'epoch'; backend: string; models: RecipeId[]; epoch: EpochOptions; repeat: number };

/** Messages from a worker to the parent over the IPC channel. */
export type WorkerMessage =
  | { type: 'info'; info: ProjectInfo }
  | { type: 'result'; result: ModelResult }
  | { type: 'epoch'; result: EpochResult }
  | { type: 'error'; backend: string; model: string | null; message: string };

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send) process.send(message, () => resolve());
    else {
      console.log(JSON.stringify(message));
      resolve();
    }
  });
}

/** Runs every model of the job on its backend, one after another, reporting each row. */
async function runJob(job: WorkerJob): Promise<void> {
  try {
    await useBackend(job.backend as Parameters<typeof useBackend>[0]);
    // Importing @cnn/layers registers tfjs-core's gradient functions; training needs them.
    if (!hasGradients()) throw new Error('tfjs gradients are not registered (importing @cnn/layers should do it)');
  } catch (e) {
    await send({ type: 'error', backend: job.backend, model: null, message: `cannot use backend: ${String(e)}` });
    return;
  }
  await send({ type: 'info', info: projectInfo(job.backend) });
  const data = job.kind === 'steps' ? loadBenchData() : null;
  for (const id of job.models) {
    const spec = recipe(id);
    const what = job.kind === 'epoch' ? ` epoch ${job.repeat}/${job.epoch.repeats}` : '';
    process.stderr.write(`[${tf.getBackend()}] ${id}${what} ...\n`);
    try {
      if (job.kind === 'steps') {
        await send({ type: 'result', result: await measureModel(spec, data!, job.backend, job.measure) });
      } else {
        await send({ type: 'epoch', result: await epochWithLeakCheck(spec, job.backend, job.epoch, job.repeat) });
      }
    } catch (e) {
      await send({
        type: 'error',
        backend: job.backend,
        model: id,
        message: e instanceof Error ? e.message : String(e),
      });
    }
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as WorkerJob;
await runJob(job);
process.disconnect?.();
