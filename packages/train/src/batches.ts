import { TrainingError } from './errors';
import type { Batch, BatchIterable, BatchSource } from './types';

/**
 * The batches of one epoch and whether they belong to us (to dispose after use). An array is
 * the caller's and is walked again each epoch; anything else yields fresh tensors we dispose:
 * a function of the epoch, an object with an `epoch(e)` method (such as @cnn/datasets'
 * `BatchIterator`, called with the epoch so a resumed run sees the same order), or an iterable.
 */
export function epochBatches(source: BatchSource, epoch: number): { batches: BatchIterable; owned: boolean } {
  if (typeof source === 'function') return { batches: source(epoch), owned: true };
  if (Array.isArray(source)) return { batches: source, owned: false };
  const byEpoch = (source as { epoch?: unknown }).epoch;
  if (typeof byEpoch === 'function') return { batches: byEpoch.call(source, epoch) as BatchIterable, owned: true };
  if (typeof source === 'object' && source !== null && (Symbol.iterator in source || Symbol.asyncIterator in source)) {
    return { batches: source, owned: true };
  }
  throw new TrainingError(
    'batches must be an array, an iterable, an async iterable, or a function (epoch) => iterable',
  );
}

/** Walks sync or async iterables alike. */
export async function* iterate(batches: BatchIterable): AsyncGenerator<Batch> {
  if (Symbol.asyncIterator in batches) {
    for await (const b of batches as AsyncIterable<Batch>) yield checkBatch(b);
  } else {
    for (const b of batches as Iterable<Batch>) yield checkBatch(b);
  }
}

function checkBatch(b: Batch): Batch {
  if (!b || typeof b !== 'object' || !b.x || !b.y) {
    throw new TrainingError('each batch must be an object { x: Tensor, y: Tensor }');
  }
  if (b.x.shape[0] !== b.y.shape[0]) {
    throw new TrainingError(`batch x has ${b.x.shape[0]} examples but y has ${b.y.shape[0]}`);
  }
  return b;
}

/** Batches per epoch when known (`length`, or `batchesPerEpoch` as on a BatchIterator). */
export function lengthOf(batches: unknown): number | undefined {
  const b = batches as { length?: unknown; batchesPerEpoch?: unknown };
  if (typeof b !== 'object' || b === null) return undefined;
  if (typeof b.length === 'number') return b.length;
  return typeof b.batchesPerEpoch === 'number' ? b.batchesPerEpoch : undefined;
}

export function disposeBatch(b: Batch): void {
  b.x.dispose();
  b.y.dispose();
}
