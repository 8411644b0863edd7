/** How `fit` reports progress: a redrawn bar, periodic plain lines, nothing, or by TTY. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** A writable text sink (process.stdout by default). */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressUpdate {
  epoch: number;
  epochs: number;
  batch: number;
  /** Batches per epoch when known. */
  total?: number;
  loss?: number;
  accuracy?: number;
}

/**
 * A terminal progress bar (redrawn in place with `\r`) on a TTY, or one plain line every
 * `every` batches elsewhere (CI logs). The bar is redrawn at most every 100 ms.
 */
export class Progress {
  readonly mode: Exclude<ProgressMode, 'auto'>;
  private started = Date.now();
  private lastDraw = 0;

  constructor(
    mode: ProgressMode = 'auto',
    private readonly sink: TextSink = process.stdout,
    private readonly every = 100,
  ) {
    this.mode = mode === 'auto' ? (sink.isTTY ? 'bar' : 'lines') : mode;
  }

  /** True when `update` for this batch would print, so callers read values only then. */
  wants(batch: number, total?: number): boolean {
    if (this.mode === 'none') return false;
    if (this.mode === 'lines') return batch % this.every === 0 || batch === total;
    return Date.now() - this.lastDraw >= 100 || batch === total;
  }

  startEpoch(): void {
    this.started = Date.now();
    this.lastDraw = 0;
  }

  update(u: ProgressUpdate): void {
    if (this.mode === 'none') return;
    this.lastDraw = Date.now();
    const stats = formatStats(u);
    if (this.mode === 'lines') {
      const of = u.total ? `/${u.total}` : '';
      this.sink.write(`epoch ${u.epoch + 1}/${u.epochs} batch ${u.batch}${of}${stats}\n`);
      return;
    }
    const secs = Math.max((Date.now() - this.started) / 1000, 1e-3);
    const rate = u.batch / secs;
    let bar = '';
    let eta = '';
    if (u.total) {
      const width = 24;
      const filled = Math.min(width, Math.round((u.batch / u.total) * width));
      bar = ` [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${u.batch}/${u.total}`;
      eta = ` eta ${formatTime((u.total - u.batch) / Math.max(rate, 1e-9))}`;
    } else {
      bar = ` ${u.batch}`;
    }
    this.sink.write(`\r\x1b[2Kepoch ${u.epoch + 1}/${u.epochs}${bar}${stats} ${rate.toFixed(1)} it/s${eta}`);
  }

  /** Ends the epoch's bar line with a summary. */
  endEpoch(summary: string): void {
    if (this.mode === 'none') return;
    this.sink.write(this.mode === 'bar' ? `\r\x1b[2K${summary}\n` : `${summary}\n`);
  }
}

function formatStats(u: ProgressUpdate): string {
  let s = '';
  if (u.loss !== undefined) s += ` loss ${u.loss.toFixed(4)}`;
  if (u.accuracy !== undefined) s += ` acc ${(u.accuracy * 100).toFixed(2)}%`;
  return s;
}

function formatTime(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
