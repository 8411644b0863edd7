import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useBackend } from '@cnn/backend';
import { expect } from 'vitest';
import { type RunLog, VizError, type VizErrorCode } from '../src/index';

/** The fastest backend here (native when built), quietly. */
export async function fastBackend(): Promise<void> {
  await useBackend('auto', { quiet: true });
}

/** A fresh temporary directory for one test file. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cnn-viz-${prefix}-`));
}

/** Runs `fn` and checks it throws a VizError with `code`; returns the error. */
export async function vizError(fn: () => unknown, code: VizErrorCode): Promise<VizError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(VizError);
  expect((caught as VizError).code).toBe(code);
  return caught as VizError;
}

/** A metrics log as `fit` writes it: `epochs` epochs of `perEpoch` steps, a batch line every step. */
export function syntheticLog(epochs: number, perEpoch: number, lr = (step: number) => 0.1 + 0 * step): string {
  const lines: object[] = [{ type: 'start', epochs, lr: lr(0), optimizer: 'sgd' }];
  let step = 0;
  for (let e = 0; e < epochs; e++) {
    for (let b = 1; b <= perEpoch; b++) {
      step += 1;
      lines.push({ type: 'batch', epoch: e, batch: b, step, lr: lr(step), loss: 2 / (1 + step / 10) });
    }
    lines.push({ type: 'validation', epoch: e, step, loss: 1 / (e + 1), accuracy: 0.8 + e / 100 });
    lines.push({ type: 'epoch', epoch: e, steps: step, loss: 1.2 / (e + 1), accuracy: 0.7 + e / 50, lr: lr(step) });
  }
  lines.push({ type: 'end', steps: step, stopReason: 'completed' });
  return lines.map((l) => JSON.stringify({ time: '2026-01-01T00:00:00.000Z', ...l })).join('\n');
}

/** How many symbols (drawn points) each `mark-symbol` group of a Vega SVG holds, in order. */
export function symbolCounts(svg: string): number[] {
  const out: number[] = [];
  const re = /<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/gs;
  for (const m of svg.matchAll(re)) out.push((m[1]!.match(/<path /g) ?? []).length);
  return out;
}

/** Parses a log with the viz reader (for brevity in tests). */
export type { RunLog };
