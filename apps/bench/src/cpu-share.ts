import { readFileSync } from 'node:fs';

/** Above this share of the cores' time taken by other processes, the figures are called rough. */
export const BUSY_SHARE = 0.1;

/**
 * CPU time in clock ticks: all cores of the machine (busy, and in all), and this process with
 * its children that have ended (the benchmark's model processes and PyTorch once they exit).
 */
export interface CpuTicks {
  machineBusy: number;
  machineAll: number;
  own: number;
}

/** Busy and all ticks from the first line of /proc/stat ("cpu user nice system idle iowait irq softirq steal …"). */
export function parseProcStat(text: string): { busy: number; all: number } {
  const fields = /^cpu\s+([\d ]+)/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 8 || fields.some((n) => !Number.isFinite(n)))
    throw new Error('/proc/stat: no "cpu" line with 8 counters');
  // guest and guest_nice (9th, 10th) are already inside user and nice.
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [number, ...number[]];
  const all = user + nice! + system! + idle! + iowait! + irq! + softirq! + steal!;
  return { busy: all - idle! - iowait!, all };
}

/** utime + stime + cutime + cstime from /proc/<pid>/stat (fields 14–17; the name in brackets may hold spaces). */
export function parseProcessStat(text: string): number {
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field k is rest[k - 3].
  const ticks = [14, 15, 16, 17].map((k) => Number(rest[k - 3]));
  if (ticks.some((n) => !Number.isFinite(n))) throw new Error('/proc/self/stat: CPU time fields missing');
  return ticks.reduce((a, b) => a + b, 0);
}

/** The counters now, or null where /proc is not there (not Linux). */
export function cpuTicks(): CpuTicks | null {
  try {
    const machine = parseProcStat(readFileSync('/proc/stat', 'utf8'));
    const own = parseProcessStat(readFileSync('/proc/self/stat', 'utf8'));
    return { machineBusy: machine.busy, machineAll: machine.all, own };
  } catch {
    return null;
  }
}

/**
 * The share of all cores' time, between two readings, that went to anything but this process
 * and its children: 0 on an otherwise idle machine whatever the load average says (the load
 * average counts the benchmark's own processes too).
 */
export function otherCpuShare(start: CpuTicks, end: CpuTicks): number {
  const all = end.machineAll - start.machineAll;
  if (all <= 0) return 0;
  const other = end.machineBusy - start.machineBusy - (end.own - start.own);
  return Math.min(1, Math.max(0, other / all));
}
