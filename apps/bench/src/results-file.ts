import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@cnn/layers';

/** apps/bench/RESULTS.md */
export const RESULTS_FILE = join(fileURLToPath(new URL('..', import.meta.url)), 'RESULTS.md');

/** The two recorded sections: `pnpm bench --record` and `pnpm bench --epoch --record`. */
export type ResultsSection = 'steps' | 'epoch';

const HEADER = `# Engine benchmark results

Written by \`pnpm bench --record\` (section "Step windows") and \`pnpm bench --epoch --record\`
(section "One epoch"); each run rewrites its own section only. The machine is shared: other jobs
ran while these were recorded, so each row carries the 1-minute load average around it, and a
ratio compares two processes that ran one right after the other under about the same load.
`;

const start = (s: ResultsSection) => `<!-- bench:${s} -->`;
const end = (s: ResultsSection) => `<!-- /bench:${s} -->`;

/**
 * `existing` with `section` replaced by `body` (or added after the others); a file without the
 * section markers (an older format) is started afresh from the header.
 */
export function withSection(existing: string | null, section: ResultsSection, body: string): string {
  const block = `${start(section)}\n${body.trim()}\n${end(section)}`;
  const base = existing?.includes('<!-- bench:') ? existing : `${HEADER}`;
  const a = base.indexOf(start(section));
  const b = base.indexOf(end(section));
  if (a >= 0 && b > a) return `${base.slice(0, a)}${block}${base.slice(b + end(section).length)}`;
  // Step windows first, then the epoch section, whichever was recorded first.
  const other = base.indexOf(start('epoch'));
  if (section === 'steps' && other >= 0) return `${base.slice(0, other)}${block}\n\n${base.slice(other)}`;
  return `${base.trimEnd()}\n\n${block}\n`;
}

/** Rewrites one section of RESULTS.md atomically (readers see the old or the new file); returns the path. */
export async function recordSection(section: ResultsSection, body: string, file = RESULTS_FILE): Promise<string> {
  let existing: string | null = null;
  try {
    existing = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await writeFileAtomic(file, withSection(existing, section, body));
  return file;
}
