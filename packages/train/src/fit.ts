import * as path from 'node:path';
import { disposeBatch, epochBatches, iterate, lengthOf } from './batches';
import { loadCheckpoint, saveCheckpoint, type TrainingPosition } from './checkpoint';
import { EarlyStopping } from './early-stopping';
import { evaluate } from './evaluate';
import { ensureGradients } from './gradients';
import { formatEpoch, LabelGuard, resumeExtraOf, validateOptions } from './fit-checks';
import type { BatchEndInfo, EpochRecord, FitOptions, History, ValidationRecord } from './fit-types';
import { crossEntropy } from './losses';
import { MetricsLog } from './metrics-log';
import { Progress } from './progress';
import { RunningSums } from './running-sums';
import { trainStep } from './train-step';
import type { TrainableModel } from './types';

interface ResumeExtra {
  history: History;
  sums: { loss: number; correct: number; seen: number };
  earlyStopping: { best: number | null; bad: number } | null;
}

/**
 * Trains `model` for `options.epochs` epochs and returns the history. See `FitOptions` for
 * validation, schedulers, clipping, early stopping, callbacks, logging, checkpoints and
 * resuming. With `resumeFrom`, the run continues from the saved position and, given a
 * deterministic batch source, ends with the same weights as an uninterrupted run.
 */
export async function fit(model: TrainableModel, options: FitOptions): Promise<History> {
  validateOptions(options);
  await ensureGradients();
  const lossFn = options.loss ?? crossEntropy;
  const { optimizer, scheduler } = options;
  const perBatchScheduler =
    (options.schedulerStep ?? (scheduler?.kind === 'one-cycle' ? 'batch' : 'epoch')) === 'batch';
  const stopper =
    options.earlyStopping instanceof EarlyStopping
      ? options.earlyStopping
      : options.earlyStopping
        ? new EarlyStopping(options.earlyStopping)
        : undefined;
  const log = options.logFile ? new MetricsLog(options.logFile) : undefined;
  const logEvery = options.logEvery ?? 10;
  const progress = new Progress(options.progress ?? 'auto', options.progressSink, options.progressEvery ?? 100);
  const ckptFile = options.checkpoint ? path.join(options.checkpoint.dir, 'last.ckpt') : undefined;
  const parts = scheduler ? { model, optimizer, scheduler } : { model, optimizer };
  const trackAccuracy = options.trackAccuracy ?? true;
  const labelGuard = new LabelGuard(model);

  let history: History = { epochs: [], validations: [], steps: 0, stopReason: 'completed' };
  let position: TrainingPosition = { epoch: 0, batch: 0, step: 0 };
  const sums = new RunningSums(trackAccuracy);
  if (options.resumeFrom) {
    const file = options.resumeFrom.endsWith('.ckpt') ? options.resumeFrom : path.join(options.resumeFrom, 'last.ckpt');
    const restored = loadCheckpoint(file, parts);
    position = restored.position;
    const extra = resumeExtraOf(file, restored.extra) as ResumeExtra;
    history = extra.history;
    sums.load(extra.sums);
    if (stopper && extra.earlyStopping) stopper.loadStateDict(extra.earlyStopping);
    // Lines logged after this checkpoint are logged again by the resumed run: drop them first.
    const dropped = log?.rewindTo(position) ?? 0;
    log?.write({ type: 'resume', from: file, ...position, dropped });
  } else {
    log?.write({ type: 'start', epochs: options.epochs, lr: optimizer.lr, optimizer: optimizer.kind });
  }

  const run = { stopReason: 'completed' as History['stopReason'] };
  const reason = (): History['stopReason'] => run.stopReason;
  const save = async (pos: TrainingPosition) => {
    if (!ckptFile) return;
    const extra: ResumeExtra = { history, sums: sums.read(), earlyStopping: stopper?.stateDict() ?? null };
    await saveCheckpoint(ckptFile, parts, pos, extra);
    log?.write({ type: 'checkpoint', file: ckptFile, ...pos });
  };
  const runValidation = async (epoch: number, step: number): Promise<ValidationRecord | undefined> => {
    if (!options.validate) return undefined;
    const r = await evaluate(model, options.validate.data, { loss: lossFn });
    const rec: ValidationRecord = { epoch, step, loss: r.loss, accuracy: r.accuracy };
    history.validations.push(rec);
    log?.write({ type: 'validation', ...rec });
    await options.onValidation?.(rec);
    if (stopper && stopper.monitor !== 'loss') {
      if (stopper.update(stopper.monitor === 'valLoss' ? r.loss : r.accuracy)) run.stopReason = 'early-stopping';
    }
    return rec;
  };

  let lastEpochLength: number | undefined;
  model.train(true);
  try {
    for (let epoch = position.epoch; epoch < options.epochs && reason() === 'completed'; epoch++) {
      const skip = epoch === position.epoch ? position.batch : 0;
      if (skip === 0) sums.reset();
      const { batches, owned } = epochBatches(options.train, epoch);
      const total = lengthOf(options.train) ?? lengthOf(batches) ?? options.stepsPerEpoch ?? lastEpochLength;
      progress.startEpoch();
      let batchNo = 0;
      let lastVal: ValidationRecord | undefined;
      for await (const data of iterate(batches)) {
        batchNo += 1;
        if (batchNo <= skip) {
          if (owned) disposeBatch(data);
          continue;
        }
        const step = history.steps + 1;
        const lr = optimizer.lr;
        try {
          labelGuard.check(data, epoch + 1, batchNo);
        } catch (err) {
          if (owned) disposeBatch(data);
          throw err;
        }
        const { loss, output, gradNorm } = trainStep(model, optimizer, lossFn, data, options.clipGradNorm);
        try {
          history.steps = step;
          sums.add(loss, output, data.y);
          if (perBatchScheduler) scheduler?.step();
          const info: BatchEndInfo = {
            epoch,
            batch: batchNo,
            step,
            size: data.x.shape[0]!,
            lr,
            data,
            output,
            lossTensor: loss,
            loss: () => loss.dataSync()[0]!,
            accuracy: () => RunningSums.batchAccuracy(output, data.y),
            runningLoss: () => sums.read().loss / sums.seen,
            runningAccuracy: () => sums.read().correct / sums.seen,
            stop: () => {
              run.stopReason = 'callback';
            },
          };
          await options.onBatchEnd?.(info);
          if (log && step % logEvery === 0) {
            const rec: Record<string, unknown> = { type: 'batch', epoch, batch: batchNo, step, lr, loss: info.loss() };
            if (gradNorm) rec.gradNorm = gradNorm.dataSync()[0];
            log.write(rec);
          }
          if (progress.wants(batchNo, total)) {
            const s = sums.read();
            progress.update({
              epoch,
              epochs: options.epochs,
              batch: batchNo,
              total,
              loss: s.loss / sums.seen,
              accuracy: trackAccuracy ? s.correct / sums.seen : undefined,
            });
          }
        } finally {
          loss.dispose();
          output.dispose();
          gradNorm?.dispose();
          if (owned) disposeBatch(data);
        }
        const every = options.validate?.every;
        if (every && step % every === 0) lastVal = await runValidation(epoch, step);
        if (options.checkpoint?.every && step % options.checkpoint.every === 0)
          await save({ epoch, batch: batchNo, step });
        if (reason() !== 'completed') break;
      }
      if (reason() === 'callback') break;
      lastEpochLength = batchNo;
      if (!options.validate?.every) lastVal = await runValidation(epoch, history.steps);
      const s = sums.read();
      const record: EpochRecord = {
        epoch,
        steps: history.steps,
        loss: s.loss / s.seen,
        accuracy: trackAccuracy ? s.correct / s.seen : Number.NaN,
        lr: optimizer.lr,
      };
      if (lastVal) Object.assign(record, { valLoss: lastVal.loss, valAccuracy: lastVal.accuracy });
      history.epochs.push(record);
      if (!perBatchScheduler) scheduler?.step();
      if (stopper?.monitor === 'loss' && stopper.update(record.loss)) run.stopReason = 'early-stopping';
      log?.write({ type: 'epoch', ...record });
      progress.endEpoch(formatEpoch(record, options.epochs));
      await options.onEpochEnd?.({
        ...record,
        stop: () => {
          run.stopReason = 'callback';
        },
      });
      sums.reset();
      await save({ epoch: epoch + 1, batch: 0, step: history.steps });
    }
  } finally {
    sums.dispose();
  }
  history.stopReason = run.stopReason;
  log?.write({ type: 'end', steps: history.steps, stopReason: run.stopReason });
  return history;
}
