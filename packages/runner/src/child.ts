import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunSummary } from './summary';

/** What an app run in a child process printed and left behind. */
export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The parsed `summary.json` of `--out`, when the run wrote one. */
  summary: RunSummary | undefined;
}

/**
 * Runs an app's `src/main.ts` in a child Node process from its sources (tsx, the
 * `@cnn/source` condition), as CI and the results script do, and collects its output and
 * `summary.json`. `appDir` is the app's folder; `args` its flags (give `--out` to read the
 * summary). The child's working directory is `appDir`.
 */
export function runAppChild(
  appDir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChildRun> {
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? path.resolve(appDir, args[outAt + 1] ?? '') : undefined;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@cnn/source', 'src/main.ts', ...args], {
      cwd: appDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const file = out === undefined ? undefined : path.join(out, 'summary.json');
      const summary =
        file && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as RunSummary) : undefined;
      resolve({ code, stdout, stderr, summary });
    });
  });
}
