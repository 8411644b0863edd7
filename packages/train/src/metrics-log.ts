import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Appends one JSON object per line to a file (JSON Lines), e.g. `runs/<id>/metrics.jsonl`.
 * Each write is appended synchronously, so the log survives a crash up to the last line.
 */
export class MetricsLog {
  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }

  write(record: Record<string, unknown>): void {
    fs.appendFileSync(this.file, `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
  }

  /** Parses a JSON Lines file back into records (blank lines are skipped). */
  static read(file: string): Record<string, unknown>[] {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
