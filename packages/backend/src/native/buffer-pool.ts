/**
 * The native backend's output buffers are recycled: a disposed tensor's Float32Array goes to a
 * free list keyed by its length and the next kernel output of that length reuses it. Without
 * this every kernel output is a fresh external allocation that only V8's garbage collector frees,
 * and the external-memory pressure triggers full collections (a quarter of a training step).
 *
 * A buffer is recycled only when nothing else can still see it: it came from `alloc()`, every
 * tensor whose values view its ArrayBuffer (reshapes share a dataId, simple slices are subarray
 * views with their own dataId) has been disposed, and it never escaped to user code.
 */

/** Counters of the native backend's buffer pool, from `nativePoolStats()`. Counts are cumulative. */
export interface NativePoolStats {
  /** Whether released buffers are kept for reuse (`CNN_NATIVE_POOL=0` or `setNativePool` turn it off). */
  enabled: boolean;
  /** Kernel outputs served from the free lists. */
  reused: number;
  /** Kernel outputs that needed a new buffer: in a training loop's steady state this stops growing. */
  allocated: number;
  /** Buffers put back on the free lists when their last tensor was disposed. */
  returned: number;
  /** Released buffers let go to the garbage collector because the free lists were at `maxBytes`. */
  dropped: number;
  /** Pooled buffers that user code or a kernel got hold of through `readSync` and are never reused. */
  escaped: number;
  /** User reads (`dataSync`, `data`, `array`) of pooled buffers answered with a copy. */
  copiedReads: number;
  /** Bytes waiting on the free lists now. */
  freeBytes: number;
  /** The most bytes the free lists keep. */
  maxBytes: number;
}

/** Settings of the buffer pool for `setNativePool`. */
export interface NativePoolOptions {
  /** Keep released buffers for reuse (default true unless `CNN_NATIVE_POOL=0`). */
  enabled?: boolean;
  /** The most bytes the free lists keep (default 256 MiB, or `CNN_NATIVE_POOL_MB`). */
  maxBytes?: number;
  /**
   * Answer user reads of pooled buffers with a copy (default true), so the buffer stays poolable;
   * false hands out the backend's own array, as the cpu backend does, and never reuses it.
   */
  copyReads?: boolean;
}

const DEFAULT_MAX_MB = 256;

function envMaxBytes(): number {
  const mb = Number(process.env.CNN_NATIVE_POOL_MB);
  return Number.isFinite(mb) && mb >= 0 ? mb * 2 ** 20 : DEFAULT_MAX_MB * 2 ** 20;
}

class BufferPool {
  enabled = process.env.CNN_NATIVE_POOL !== '0';
  maxBytes = envMaxBytes();
  copyReads = true;
  private readonly free = new Map<number, Float32Array[]>();
  private freeBytes = 0;
  /** The whole array alloc() made, by its ArrayBuffer: only these are ever pooled. */
  private readonly owned = new WeakMap<ArrayBuffer, Float32Array>();
  /**
   * How many live dataIds hold a view of each owned ArrayBuffer. Weak, so that a buffer some kernel
   * swapped out of a dataId behind the backend's back is still collected.
   */
  private readonly live = new WeakMap<ArrayBuffer, number>();
  private readonly onFreeList = new WeakSet<ArrayBuffer>();
  private counts = { reused: 0, allocated: 0, returned: 0, dropped: 0, escaped: 0, copiedReads: 0 };

  take(n: number): Float32Array {
    const list = this.enabled ? this.free.get(n) : undefined;
    const reused = list?.pop();
    if (reused) {
      this.freeBytes -= reused.byteLength;
      this.onFreeList.delete(reused.buffer as ArrayBuffer);
      this.counts.reused++;
      return reused;
    }
    // allocUnsafeSlow: no zero fill (kernels write every element) and an ArrayBuffer of its own.
    const bytes = Buffer.allocUnsafeSlow(n * 4);
    const array = new Float32Array(bytes.buffer, bytes.byteOffset, n);
    this.owned.set(array.buffer as ArrayBuffer, array);
    this.counts.allocated++;
    return array;
  }

  /** A dataId now holds `values`. */
  retain(values: unknown): void {
    const buffer = ownedBuffer(this.owned, values);
    if (!buffer) return;
    // A stale reference written back after release: take the buffer off the free list again.
    if (this.onFreeList.has(buffer)) this.unlist(buffer);
    this.live.set(buffer, (this.live.get(buffer) ?? 0) + 1);
  }

  /** A dataId holding `values` was deleted. */
  release(values: unknown): void {
    const buffer = ownedBuffer(this.owned, values);
    if (!buffer) return;
    const held = this.live.get(buffer);
    if (held === undefined) return; // never registered through write(): not ours to recycle
    const left = held - 1;
    if (left > 0) {
      this.live.set(buffer, left);
      return;
    }
    this.live.delete(buffer);
    const array = this.owned.get(buffer)!;
    if (!this.enabled || this.freeBytes + array.byteLength > this.maxBytes) {
      this.counts.dropped++;
      this.owned.delete(buffer);
      return;
    }
    const list = this.free.get(array.length);
    if (list) list.push(array);
    else this.free.set(array.length, [array]);
    this.freeBytes += array.byteLength;
    this.onFreeList.add(buffer);
    this.counts.returned++;
  }

  /** What readSync hands out: a copy for user code, else the array itself, then never pooled. */
  handOut<T>(values: T, fromUser: boolean): T {
    const buffer = ownedBuffer(this.owned, values);
    if (!buffer) return values;
    if (fromUser && this.copyReads) {
      this.counts.copiedReads++;
      return (values as unknown as Float32Array).slice() as unknown as T;
    }
    this.owned.delete(buffer);
    this.live.delete(buffer);
    this.counts.escaped++;
    return values;
  }

  /**
   * True when `values` is a whole array alloc() made that never escaped to user code and exactly
   * one live dataId views its buffer: then a write into it is seen through that dataId only (the
   * fused optimizer updates, kernels/optimizers.ts, check this before updating in place).
   */
  exclusive(values: unknown): boolean {
    const buffer = ownedBuffer(this.owned, values);
    return buffer !== undefined && this.owned.get(buffer) === values && this.live.get(buffer) === 1;
  }

  /** Lets the garbage collector have every buffer on the free lists. */
  clear(): void {
    for (const list of this.free.values()) for (const a of list) this.owned.delete(a.buffer as ArrayBuffer);
    this.free.clear();
    this.freeBytes = 0;
  }

  stats(): NativePoolStats {
    return { enabled: this.enabled, ...this.counts, freeBytes: this.freeBytes, maxBytes: this.maxBytes };
  }

  private unlist(buffer: ArrayBuffer): void {
    const array = this.owned.get(buffer)!;
    const list = this.free.get(array.length)!;
    list.splice(list.indexOf(array), 1);
    this.freeBytes -= array.byteLength;
    this.onFreeList.delete(buffer);
  }
}

function ownedBuffer(owned: WeakMap<ArrayBuffer, Float32Array>, values: unknown): ArrayBuffer | undefined {
  if (!ArrayBuffer.isView(values)) return undefined;
  const buffer = values.buffer as ArrayBuffer;
  return owned.has(buffer) ? buffer : undefined;
}

/** The pool of this thread (each worker thread loads its own copy of the module). */
export const bufferPool = new BufferPool();

/** The buffer pool's counters (see {@link NativePoolStats}). */
export function nativePoolStats(): NativePoolStats {
  return bufferPool.stats();
}

/**
 * Changes the buffer pool's settings; turning it off or lowering `maxBytes` empties the free
 * lists. Throws a TypeError naming the bad option.
 */
export function setNativePool(options: NativePoolOptions): void {
  const { enabled, maxBytes, copyReads } = options;
  if (enabled !== undefined && typeof enabled !== 'boolean')
    throw new TypeError(`setNativePool: enabled must be a boolean, got ${String(enabled)}`);
  if (copyReads !== undefined && typeof copyReads !== 'boolean')
    throw new TypeError(`setNativePool: copyReads must be a boolean, got ${String(copyReads)}`);
  if (maxBytes !== undefined && !(typeof maxBytes === 'number' && maxBytes >= 0 && Number.isFinite(maxBytes)))
    throw new TypeError(`setNativePool: maxBytes must be a finite number >= 0, got ${String(maxBytes)}`);
  if (enabled !== undefined) bufferPool.enabled = enabled;
  if (copyReads !== undefined) bufferPool.copyReads = copyReads;
  if (maxBytes !== undefined) bufferPool.maxBytes = maxBytes;
  if (enabled === false || maxBytes !== undefined) bufferPool.clear();
}

/** Empties the buffer pool's free lists (e.g. after training, to give the memory back). */
export function clearNativePool(): void {
  bufferPool.clear();
}
