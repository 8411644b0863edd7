import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseRunLog, readRunLog } from '../src/index';
import { syntheticLog, tempDir, vizError } from './helpers';

describe('parseRunLog', () => {
  test('reads the record types fit writes', () => {
    const log = parseRunLog(syntheticLog(2, 5));
    expect(log.steps).toHaveLength(10);
    expect(log.steps[9]).toEqual({ step: 10, epoch: 1, loss: 1, lr: 0.1 });
    expect(log.epochs.map((e) => e.steps)).toEqual([5, 10]);
    expect(log.validations.map((v) => v.accuracy)).toEqual([0.8, 0.81]);
    expect(log.end).toEqual({ steps: 10, stopReason: 'completed' });
    expect(log.start?.optimizer).toBe('sgd');
    expect(log.skippedLines).toBe(0);
  });

  test('a run killed mid-line: the torn line is skipped and there is no end', () => {
    const text = syntheticLog(1, 4).split('\n').slice(0, 4).join('\n');
    const log = parseRunLog(`${text}\n{"type":"batch","epoch":0,"bat`);
    expect(log.steps).toHaveLength(3);
    expect(log.end).toBeUndefined();
    expect(log.skippedLines).toBe(1);
  });

  test('null (NaN written by JSON) becomes NaN; unknown types and fields are ignored', () => {
    const log = parseRunLog(
      [
        '{"type":"batch","epoch":0,"batch":1,"step":1,"lr":0.1,"loss":null,"gradNorm":3,"extra":{"a":1}}',
        '{"type":"gpu-temperature","celsius":70}',
        '[1,2,3]',
        '{"type":"batch","epoch":0,"batch":2,"step":2,"lr":0.1,"loss":0.5}',
      ].join('\n'),
    );
    expect(log.steps.map((s) => s.loss)).toEqual([Number.NaN, 0.5]);
    expect(log.skippedLines).toBe(1);
  });

  test('an empty log, or one with nothing to plot, is a typed error', async () => {
    await vizError(() => parseRunLog(''), 'empty-log');
    const err = await vizError(() => parseRunLog('{"type":"start"}\nnot json', 'run/metrics.jsonl'), 'empty-log');
    expect(err.message).toContain('run/metrics.jsonl');
    expect(err.message).toContain('1 unreadable line');
  });

  test('a missing file names the file', async () => {
    const file = path.join(tempDir('log'), 'metrics.jsonl');
    const err = await vizError(() => readRunLog(file), 'unreadable');
    expect(err.file).toBe(file);
    expect(err.message).toContain(file);
    fs.writeFileSync(file, syntheticLog(1, 2));
    expect(readRunLog(file).steps).toHaveLength(2);
  });
});
