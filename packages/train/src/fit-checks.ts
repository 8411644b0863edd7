import { TrainingError } from './errors';
import type { EpochRecord, FitOptions } from './fit-types';

/** The one-line epoch summary printed by the progress output. */
export function formatEpoch(r: EpochRecord, epochs: number): string {
  let s = `epoch ${r.epoch + 1}/${epochs} loss ${r.loss.toFixed(4)}`;
  if (!Number.isNaN(r.accuracy)) s += ` acc ${(r.accuracy * 100).toFixed(2)}%`;
  if (r.valLoss !== undefined)
    s += ` val_loss ${r.valLoss.toFixed(4)} val_acc ${((r.valAccuracy ?? 0) * 100).toFixed(2)}%`;
  return s;
}

/** Throws `TrainingError` naming the first bad `fit` option. */
export function validateOptions(o: FitOptions): void {
  if (!o?.optimizer) throw new TrainingError('fit: options.optimizer is required');
  if (!(Number.isInteger(o.epochs) && o.epochs > 0))
    throw new TrainingError(`fit: epochs must be a positive integer, got ${o.epochs}`);
  if (o.train === undefined) throw new TrainingError('fit: options.train (the training batches) is required');
  for (const [name, v] of [
    ['validate.every', o.validate?.every],
    ['checkpoint.every', o.checkpoint?.every],
    ['logEvery', o.logEvery],
    ['progressEvery', o.progressEvery],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v > 0))
      throw new TrainingError(`fit: ${name} must be a positive integer, got ${v}`);
  }
  if (o.clipGradNorm !== undefined && !(o.clipGradNorm > 0)) {
    throw new TrainingError(`fit: clipGradNorm must be > 0, got ${o.clipGradNorm}`);
  }
}
