import * as fs from 'node:fs';
import type { EpochRecord, ValidationRecord } from '@cnn/train';
import { VizError } from './errors';

/** A `batch` line of the log: the loss of one training step. */
export interface StepPoint {
  step: number;
  epoch: number;
  /** NaN when the run logged a non-finite loss (JSON writes NaN as null). */
  loss: number;
  lr: number;
}

/** An `epoch` line: `@cnn/train`'s per-epoch means, with the validation result when there was one. */
export type EpochPoint = EpochRecord;

/** A `validation` line, as `@cnn/train` writes it. */
export type ValidationPoint = ValidationRecord;

/** What a `@cnn/train` metrics log says about a run, read leniently. */
export interface RunLog {
  /** The `start` line (epochs, lr, optimizer) when present. */
  start?: Record<string, unknown>;
  steps: StepPoint[];
  epochs: EpochPoint[];
  validations: ValidationPoint[];
  /** The `end` line; absent when the run was killed. */
  end?: { steps: number; stopReason: string };
  /** Lines that were not JSON objects (e.g. the torn last line of a killed run). */
  skippedLines: number;
}

/**
 * Parses the JSON Lines written by `@cnn/train` (`fit` with `logFile`): `start`, `batch`,
 * `validation`, `epoch`, `checkpoint`, `resume` and `end` records. Unknown record types and
 * fields are ignored, torn or non-JSON lines are counted in `skippedLines`, and a `null` or
 * missing number becomes NaN. Throws `VizError` `empty-log` when there is nothing to plot.
 */
export function parseRunLog(text: string, file?: string): RunLog {
  const log: RunLog = { steps: [], epochs: [], validations: [], skippedLines: 0 };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      log.skippedLines += 1;
      continue;
    }
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      log.skippedLines += 1;
      continue;
    }
    const rec = r as Record<string, unknown>;
    if (rec.type === 'start') log.start = rec;
    else if (rec.type === 'batch' && isIndex(rec.step)) {
      log.steps.push({ step: rec.step, epoch: num(rec.epoch), loss: num(rec.loss), lr: num(rec.lr) });
    } else if (rec.type === 'validation' && isIndex(rec.step)) {
      log.validations.push({ epoch: num(rec.epoch), step: rec.step, loss: num(rec.loss), accuracy: num(rec.accuracy) });
    } else if (rec.type === 'epoch' && isIndex(rec.epoch)) {
      const p: EpochPoint = {
        epoch: rec.epoch,
        steps: num(rec.steps),
        loss: num(rec.loss),
        accuracy: num(rec.accuracy),
        lr: num(rec.lr),
      };
      if ('valLoss' in rec) p.valLoss = num(rec.valLoss);
      if ('valAccuracy' in rec) p.valAccuracy = num(rec.valAccuracy);
      log.epochs.push(p);
    } else if (rec.type === 'end') {
      log.end = { steps: num(rec.steps), stopReason: String(rec.stopReason ?? 'unknown') };
    }
  }
  if (log.steps.length + log.epochs.length + log.validations.length === 0) {
    const what = log.skippedLines ? `${log.skippedLines} unreadable line(s) and no` : 'no';
    throw new VizError('empty-log', `metrics log has ${what} batch, epoch or validation records to plot`, file);
  }
  return log;
}

/** Reads and parses a metrics log file; a missing or unreadable file is a `VizError` `unreadable` naming it. */
export function readRunLog(file: string): RunLog {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new VizError('unreadable', `cannot read the metrics log: ${(err as Error).message}`, file);
  }
  return parseRunLog(text, file);
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number.NaN;
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
