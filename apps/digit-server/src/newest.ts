import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** A finished run found under a `runs/` folder. */
export interface FoundRun {
  /** `runs/<app>/<timestamp>`, absolute. */
  dir: string;
  app: string;
  /** `summary.json`'s `finishedAt`, else the directory name. */
  finished: string;
}

/**
 * The finished runs (a `model/model.json` and a `summary.json`) in `runs/<app>/<timestamp>`
 * under each of `roots` that exists, newest first.
 */
export function findRuns(roots: readonly string[]): FoundRun[] {
  const found: FoundRun[] = [];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const app of readdirSync(root, { withFileTypes: true })) {
      if (!app.isDirectory()) continue;
      for (const run of readdirSync(path.join(root, app.name), { withFileTypes: true })) {
        const dir = path.resolve(root, app.name, run.name);
        const summary = path.join(dir, 'summary.json');
        if (!run.isDirectory() || !existsSync(path.join(dir, 'model', 'model.json')) || !existsSync(summary)) continue;
        let finished = run.name;
        try {
          const s = JSON.parse(readFileSync(summary, 'utf8')) as { finishedAt?: unknown };
          if (typeof s.finishedAt === 'string') finished = s.finishedAt;
        } catch {
          continue; // a summary being written, or broken: not a finished run
        }
        found.push({ dir, app: app.name, finished });
      }
    }
  }
  return found.sort((a, b) => (a.finished < b.finished ? 1 : a.finished > b.finished ? -1 : 0));
}

/**
 * Where the apps of this workspace write their runs: `runs/` in `cwd` and in each sibling
 * folder of `cwd` (every app writes `runs/<app>/<timestamp>` in its own folder).
 */
export function defaultRunRoots(cwd = process.cwd()): string[] {
  const roots = [path.join(cwd, 'runs')];
  const parent = path.dirname(cwd);
  for (const entry of readdirSync(parent, { withFileTypes: true })) {
    const dir = path.join(parent, entry.name);
    if (entry.isDirectory() && dir !== cwd) roots.push(path.join(dir, 'runs'));
  }
  return roots;
}
