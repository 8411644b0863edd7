import type { Engine, EngineResult } from './engine';
import { QueueFullError, ShuttingDownError } from './errors';

/** Micro-batching settings. */
export interface BatchOptions {
  /** Most images in one forward pass (1 turns micro-batching off). Default 64. */
  maxBatch: number;
  /**
   * Longest time the first image of a batch waits for others, in ms. Default 0: a request
   * that finds the engine idle runs at once, and the requests that arrive during a forward
   * pass make up the next batch (so batches grow with the load, and a lone request never waits).
   */
  maxWaitMs: number;
  /** Most images waiting; beyond it requests are refused with 503. Default 1024. */
  maxQueue: number;
}

export const DEFAULT_BATCH_OPTIONS: BatchOptions = { maxBatch: 64, maxWaitMs: 0, maxQueue: 1024 };

interface Pending {
  pixels: Float32Array;
  n: number;
  resolve: (r: EngineResult) => void;
  reject: (e: Error) => void;
}

/**
 * Gathers concurrent requests into one forward pass: a batch runs when the engine is free and
 * `maxBatch` images are waiting or `maxWaitMs` has passed since its first image arrived
 * (at once with the default 0); requests that come during a pass run in the next one, right
 * after it. A request of `n` images (the batch endpoint) is never split.
 */
export class MicroBatcher {
  private readonly queue: Pending[] = [];
  private queued = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly engine: Engine,
    readonly options: BatchOptions,
    private readonly onBatch: (images: number, ms: number) => void = () => {},
  ) {}

  /** Images waiting for a forward pass. */
  get waiting(): number {
    return this.queued;
  }

  /**
   * Probabilities of `n` images (`pixels`: `n × 784`), `n × classes` row-major. Rejects with
   * `QueueFullError` when the queue cannot take them, `ShuttingDownError` after `close()`.
   */
  submit(pixels: Float32Array, n: number): Promise<EngineResult> {
    if (this.closed) return Promise.reject(new ShuttingDownError());
    if (this.queued + n > this.options.maxQueue) return Promise.reject(new QueueFullError(this.options.maxQueue));
    return new Promise((resolve, reject) => {
      this.queue.push({ pixels, n, resolve, reject });
      this.queued += n;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running) return;
    if (this.queued >= this.options.maxBatch || this.options.maxWaitMs <= 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      void this.runBatch();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.runBatch();
      }, this.options.maxWaitMs);
    }
  }

  private async runBatch(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const take: Pending[] = [];
    let images = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Pending;
      if (take.length > 0 && images + next.n > this.options.maxBatch) break;
      take.push(next);
      images += next.n;
      this.queue.shift();
    }
    this.queued -= images;
    const pixels = new Float32Array(images * 784);
    let at = 0;
    for (const p of take) {
      pixels.set(p.pixels, at * 784);
      at += p.n;
    }
    const t0 = performance.now();
    try {
      const { probs, memory } = await this.engine.predict(pixels, images);
      this.onBatch(images, performance.now() - t0);
      const classes = probs.length / images;
      at = 0;
      for (const p of take) {
        p.resolve({ probs: probs.slice(at * classes, (at + p.n) * classes), memory });
        at += p.n;
      }
    } catch (err) {
      for (const p of take) p.reject(err as Error);
    } finally {
      this.running = false;
      if (this.queue.length > 0) {
        // Requests that came in during this pass have waited long enough: run them now.
        void this.runBatch();
      } else {
        for (const f of this.idle.splice(0)) f();
      }
    }
  }

  /** Refuses new requests and resolves once every queued one has been answered. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.running && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }
}
