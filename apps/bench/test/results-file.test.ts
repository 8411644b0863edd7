import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordSection, withSection } from '../src/results-file';

const dir = mkdtempSync(join(tmpdir(), 'cnn-bench-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RESULTS.md sections', () => {
  it('starts an old-format file afresh, then keeps the other section when one is rewritten', () => {
    const first = withSection('# Engine benchmark results\n\nold table\n', 'epoch', '## One epoch\n\nE1');
    expect(first).not.toContain('old table');
    expect(first).toMatch(/^# Engine benchmark results/);
    const both = withSection(first, 'steps', '## Step windows\n\nS1');
    expect(both.indexOf('S1')).toBeLessThan(both.indexOf('E1'));
    const again = withSection(both, 'epoch', '## One epoch\n\nE2');
    expect(again).toContain('S1');
    expect(again).toContain('E2');
    expect(again).not.toContain('E1');
    expect(again.match(/<!-- bench:epoch -->/g)).toHaveLength(1);
  });

  it('writes the file through the atomic helper, leaving no temporary file', async () => {
    const file = join(dir, 'RESULTS.md');
    writeFileSync(file, withSection(null, 'steps', 'S1'));
    await recordSection('epoch', 'E1', file);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('<!-- bench:steps -->\nS1\n<!-- /bench:steps -->');
    expect(text).toContain('<!-- bench:epoch -->\nE1\n<!-- /bench:epoch -->');
    expect(readdirSync(dir)).toEqual(['RESULTS.md']);
  });
});
