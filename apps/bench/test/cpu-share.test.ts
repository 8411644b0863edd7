import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuTicks, otherCpuShare, parseProcessStat, parseProcStat } from '../src/cpu-share';
import { loadSentence, type SectionFacts } from '../src/report';

const PROC_STAT = `cpu  148842 151 23762 45692 780 0 220 1925 7 0
cpu0 74000 75 11800 22800 390 0 110 960 3 0
intr 1 2 3
`;

describe('reading /proc', () => {
  it('machine ticks: busy is everything but idle and iowait; guest time is not counted twice', () => {
    const all = 148842 + 151 + 23762 + 45692 + 780 + 0 + 220 + 1925;
    expect(parseProcStat(PROC_STAT)).toEqual({ busy: all - 45692 - 780, all });
    expect(() => parseProcStat('intr 1 2 3\n')).toThrow('/proc/stat: no "cpu" line with 8 counters');
  });

  it('process ticks: utime + stime + cutime + cstime, even when the name holds spaces and brackets', () => {
    const fields = ['S', 1, 1, 1, 0, -1, 4194304, 127, 0, 0, 0, 500, 60, 7000, 800, 20, 0, 1, 0];
    expect(parseProcessStat(`42 (node (bench) x) ${fields.join(' ')}`)).toBe(500 + 60 + 7000 + 800);
    expect(() => parseProcessStat('42 (node) S 1 1')).toThrow('/proc/self/stat: CPU time fields missing');
  });

  it('the share of other processes: what the machine did beyond this process and its children', () => {
    const start = { machineBusy: 1000, machineAll: 5000, own: 300 };
    expect(otherCpuShare(start, { machineBusy: 1800, machineAll: 6000, own: 1000 })).toBeCloseTo(0.1);
    expect(otherCpuShare(start, { machineBusy: 1700, machineAll: 6000, own: 1000 })).toBe(0);
    expect(otherCpuShare(start, start)).toBe(0);
  });

  it.skipIf(!existsSync('/proc/self/stat'))('counts a child process that ended as this process', () => {
    const before = cpuTicks();
    // About 0.4 s of CPU in a child; the parent waits, so the kernel adds it to the parent's cutime.
    spawnSync(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 400);']);
    const after = cpuTicks();
    expect(before).not.toBeNull();
    expect(after!.own - before!.own).toBeGreaterThanOrEqual(25); // clock ticks of 10 ms
    expect(after!.machineBusy - before!.machineBusy).toBeGreaterThanOrEqual(25);
  });
});

describe('the sentence a RESULTS section says about load', () => {
  const facts: SectionFacts = {
    date: '2026-12-02T10:00:00.000Z',
    command: ['--record'],
    reference: '',
    loadStart: 1.2,
    loadEnd: 1.9,
    cores: 2,
    otherCpu: 0.021,
  };

  it('a high load average from the benchmark itself is not called a busy machine', () => {
    expect(loadSentence(facts)).toBe(
      "1-minute load average 1.2 at the start and 1.9 at the end on 2 cores; other processes took 2.1% of the cores' time while it ran (the load average counts the benchmark's own).",
    );
  });

  it('other processes above 10% of the cores make the figures rough', () => {
    expect(loadSentence({ ...facts, otherCpu: 0.34 })).toContain(
      "other processes took 34.0% of the cores' time while it ran (a busy machine: treat the figures as rough)",
    );
  });

  it('without /proc it falls back to the load average', () => {
    expect(loadSentence({ ...facts, otherCpu: null })).toBe(
      '1-minute load average 1.2 at the start and 1.9 at the end on 2 cores (a busy machine, or this benchmark itself: treat the figures as rough).',
    );
    expect(loadSentence({ ...facts, loadStart: 0.3, loadEnd: 0.8, otherCpu: null })).toBe(
      '1-minute load average 0.3 at the start and 0.8 at the end on 2 cores.',
    );
  });
});
