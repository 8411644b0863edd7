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

  /**
   * Cuts the log back to what was written up to the checkpoint at `position`, for a resumed
   * run: keeps lines through the last `checkpoint` line with that epoch, batch and step and
   * drops the rest (lines from steps after the checkpoint that the resumed run writes again).
   * Without such a line (the process died between saving the checkpoint and logging it),
   * drops lines with a later step (or the same step in a later epoch), epoch lines of
   * `position.epoch` or later, and `end` lines. A torn last line is dropped too. The file is
   * rewritten through a temporary file and a rename. Returns how many lines were dropped.
   */
  rewindTo(position: { epoch: number; batch: number; step: number }): number {
    if (!fs.existsSync(this.file)) return 0;
    const lines = fs
      .readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const records = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return undefined; // a line cut short by a kill
      }
    });
    const isAnchor = (r: Record<string, unknown> | undefined) =>
      r?.type === 'checkpoint' && r.epoch === position.epoch && r.batch === position.batch && r.step === position.step;
    let anchor = -1;
    for (let i = records.length - 1; i >= 0 && anchor < 0; i--) if (isAnchor(records[i])) anchor = i;
    const keep = records.map((r, i) => (anchor >= 0 ? i <= anchor : r !== undefined && !isAfter(r, position)));
    const text = lines.filter((_, i) => keep[i]);
    const tmp = `${this.file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text.map((line) => `${line}\n`).join(''));
    fs.renameSync(tmp, this.file);
    return lines.length - text.length;
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

/** Whether a fit log record was written after the checkpoint at `position`. */
function isAfter(r: Record<string, unknown>, position: { epoch: number; step: number }): boolean {
  if (r.type === 'end') return true;
  if (r.type === 'epoch') return typeof r.epoch === 'number' && r.epoch >= position.epoch;
  if (typeof r.step !== 'number') return false;
  return (
    r.step > position.step || (r.step === position.step && typeof r.epoch === 'number' && r.epoch > position.epoch)
  );
}
