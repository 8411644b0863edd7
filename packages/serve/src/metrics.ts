import type * as tf from '@tensorflow/tfjs-core';

/** A cumulative histogram in the Prometheus sense: counts of observations ≤ each bound. */
export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) if (v <= (this.bounds[i] as number)) this.counts[i]!++;
  }

  /** Prometheus text lines of the histogram `name` with an optional label set. */
  lines(name: string, labels = ''): string[] {
    const sep = labels ? `${labels},` : '';
    const out = this.bounds.map((b, i) => `${name}_bucket{${sep}le="${b}"} ${this.counts[i]}`);
    out.push(`${name}_bucket{${sep}le="+Inf"} ${this.count}`);
    const wrap = labels ? `{${labels}}` : '';
    out.push(`${name}_sum${wrap} ${round(this.sum)}`, `${name}_count${wrap} ${this.count}`);
    return out;
  }
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Request latency bounds, in seconds. */
const LATENCY_BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Forward-pass batch size bounds, in images. */
const BATCH_BOUNDS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** What the server counts; `render` gives the Prometheus text exposition (format 0.0.4). */
export class ServerMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  readonly batchSize = new Histogram(BATCH_BOUNDS);
  readonly forwardSeconds = new Histogram(LATENCY_BOUNDS);
  imagesPredicted = 0;

  /** One answered request: route pattern, HTTP status, seconds taken. */
  request(route: string, status: number, seconds: number): void {
    const key = `route="${labelValue(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const lkey = `route="${labelValue(route)}"`;
    let h = this.latency.get(lkey);
    if (!h) {
      h = new Histogram(LATENCY_BOUNDS);
      this.latency.set(lkey, h);
    }
    h.observe(seconds);
  }

  /** One forward pass of `images` images that took `ms`. */
  batch(images: number, ms: number): void {
    this.batchSize.observe(images);
    this.forwardSeconds.observe(ms / 1000);
    this.imagesPredicted += images;
  }

  render(memory: tf.MemoryInfo, queueWaiting: number): string {
    const lines: string[] = [
      '# HELP cnn_serve_requests_total HTTP requests answered, by route and status.',
      '# TYPE cnn_serve_requests_total counter',
    ];
    for (const [k, v] of this.requests) lines.push(`cnn_serve_requests_total{${k}} ${v}`);
    lines.push(
      '# HELP cnn_serve_request_duration_seconds Time from request to answer, by route.',
      '# TYPE cnn_serve_request_duration_seconds histogram',
    );
    for (const [k, h] of this.latency) lines.push(...h.lines('cnn_serve_request_duration_seconds', k));
    lines.push(
      '# HELP cnn_serve_batch_size Images per forward pass.',
      '# TYPE cnn_serve_batch_size histogram',
      ...this.batchSize.lines('cnn_serve_batch_size'),
      '# HELP cnn_serve_forward_duration_seconds Time of one forward pass.',
      '# TYPE cnn_serve_forward_duration_seconds histogram',
      ...this.forwardSeconds.lines('cnn_serve_forward_duration_seconds'),
      '# HELP cnn_serve_images_predicted_total Images run through the model.',
      '# TYPE cnn_serve_images_predicted_total counter',
      `cnn_serve_images_predicted_total ${this.imagesPredicted}`,
      '# HELP cnn_serve_queue_images Images waiting for a forward pass.',
      '# TYPE cnn_serve_queue_images gauge',
      `cnn_serve_queue_images ${queueWaiting}`,
      '# HELP cnn_serve_tf_tensors Live tensors in the inference thread (tf.memory().numTensors).',
      '# TYPE cnn_serve_tf_tensors gauge',
      `cnn_serve_tf_tensors ${memory.numTensors}`,
      '# HELP cnn_serve_tf_bytes Bytes held by tensors in the inference thread (tf.memory().numBytes).',
      '# TYPE cnn_serve_tf_bytes gauge',
      `cnn_serve_tf_bytes ${memory.numBytes}`,
      '# HELP cnn_serve_tf_data_buffers Data buffers in the inference thread (tf.memory().numDataBuffers).',
      '# TYPE cnn_serve_tf_data_buffers gauge',
      `cnn_serve_tf_data_buffers ${memory.numDataBuffers}`,
      '# HELP cnn_serve_resident_memory_bytes Resident set size of the process.',
      '# TYPE cnn_serve_resident_memory_bytes gauge',
      `cnn_serve_resident_memory_bytes ${process.memoryUsage.rss()}`,
    );
    return `${lines.join('\n')}\n`;
  }
}

function labelValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
