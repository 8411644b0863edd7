import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@cnn/layers';
import { BUSY_SHARE } from './cpu-share';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The monorepo root (the directory holding pnpm-workspace.yaml above this app), else the cwd. */
export function repoRoot(): string {
  let dir = APP_DIR;
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** `bench-results/<engine|epoch>-<date>T<time>.json` under the repo root. */
export function defaultOutPath(date: Date, mode: 'engine' | 'epoch' = 'engine'): string {
  const stamp = date.toISOString().slice(0, 19).replace(/:/g, '-');
  return join(repoRoot(), 'bench-results', `${mode}-${stamp}.json`);
}

/** A relative --out is relative to where `pnpm bench` was typed (pnpm's INIT_CWD), not apps/bench. */
export function resolveOut(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

export async function writeReport(path: string, report: unknown): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(report, null, 2)}\n`);
}

/** What a recorded section says besides its tables. */
export interface SectionFacts {
  date: string;
  command: readonly string[];
  /** The reference report as printed (lines and warnings). */
  reference: string;
  /** 1-minute load average when the run started and when it ended. */
  loadStart: number;
  loadEnd: number;
  cores: number;
  /**
   * The share of all cores' time other processes used during the run (0–1), or null where it
   * cannot be read (not Linux). The load average cannot tell: it counts the benchmark's own processes.
   */
  otherCpu: number | null;
}

/** The sentence on how busy the machine was, for a section's first paragraph. */
export function loadSentence(facts: SectionFacts): string {
  const load = `1-minute load average ${facts.loadStart} at the start and ${facts.loadEnd} at the end on ${facts.cores} cores`;
  if (facts.otherCpu === null) {
    const busy = Math.max(facts.loadStart, facts.loadEnd) > facts.cores / 2;
    return `${load}${busy ? ' (a busy machine, or this benchmark itself: treat the figures as rough)' : ''}.`;
  }
  const why =
    facts.otherCpu > BUSY_SHARE
      ? 'a busy machine: treat the figures as rough'
      : "the load average counts the benchmark's own";
  return `${load}; other processes took ${(facts.otherCpu * 100).toFixed(1)}% of the cores' time while it ran (${why}).`;
}

/** The Markdown of one RESULTS.md section: title, how it was made, the reference, then `body`. */
export function sectionText(title: string, facts: SectionFacts, explanation: string, body: string): string {
  return `## ${title}

Recorded ${facts.date} with \`pnpm bench ${facts.command.join(' ')}\`; ${loadSentence(facts)}

\`\`\`text
${facts.reference}
\`\`\`

${explanation}

${body.trim()}
`;
}
