import type { AdamScalars, AdamUpdateAttrs, SgdScalars, SgdUpdateAttrs } from '@cnn/kernels';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { HeapBackend } from './heap';
import { callKernel, release } from './kernel-call';

/**
 * The composite tfjs ops of an update, run as the wasm backend's own (XNNPACK, SIMD) kernels on
 * tensor infos without the engine: the same kernels in the same order as the composite path, so
 * the same bits. For large parameters this beats one scalar JavaScript pass (see optimizers.ts).
 */
class Ops {
  private readonly temps: TensorInfo[] = [];
  constructor(private readonly backend: HeapBackend) {}

  scalar(value: number): TensorInfo {
    const t = this.backend.makeOutput([], 'float32');
    this.backend.typedArrayFromHeap(t)[0] = value;
    this.temps.push(t);
    return t;
  }

  private run(name: string, inputs: Record<string, TensorInfo>): TensorInfo {
    const t = callKernel(this.backend, name, inputs);
    this.temps.push(t);
    return t;
  }

  mul(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run('Multiply', { a, b });
  }
  add(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run('Add', { a, b });
  }
  sub(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run('Sub', { a, b });
  }
  div(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run('RealDiv', { a, b });
  }
  sqrt(x: TensorInfo): TensorInfo {
    return this.run('Sqrt', { x });
  }
  square(x: TensorInfo): TensorInfo {
    return this.run('Square', { x });
  }

  /** Targets that may be overwritten (the caller decides which). */
  readonly inPlace = new Set<TensorInfo>();

  /**
   * The output for a written tensor once every op has run: `target` with `value` copied in when
   * it may be overwritten, else `value` when it is one of ours, else a fresh copy of it.
   */
  settle(target: TensorInfo, value: TensorInfo): TensorInfo {
    const heap = (t: TensorInfo) => this.backend.typedArrayFromHeap(t);
    if (this.inPlace.has(target)) {
      heap(target).set(heap(value));
      return target;
    }
    const mine = this.temps.indexOf(value);
    if (mine >= 0) {
      this.temps.splice(mine, 1);
      return value;
    }
    const copy = this.backend.makeOutput([...value.shape], 'float32');
    heap(copy).set(heap(value));
    return copy;
  }

  dispose(): void {
    release(this.backend, ...this.temps);
  }
}

/** SGD_UPDATE as wasm kernels; `writable` holds the written inputs that may be updated in place. */
export function sgdByKernels(
  backend: HeapBackend,
  inputs: { param: TensorInfo; grad: TensorInfo; momentumBuffer?: TensorInfo },
  a: SgdUpdateAttrs,
  c: SgdScalars,
  writable: Set<TensorInfo>,
): TensorInfo[] {
  const ops = new Ops(backend);
  for (const t of writable) ops.inPlace.add(t);
  try {
    const { param, momentumBuffer } = inputs;
    let g = inputs.grad;
    if (c.applyWeightDecay) g = ops.add(g, ops.mul(param, ops.scalar(c.weightDecay)));
    let buf: TensorInfo | undefined;
    if (momentumBuffer) {
      const m = ops.scalar(c.momentum);
      buf = a.initialize ? g : ops.add(ops.mul(momentumBuffer, m), ops.mul(g, ops.scalar(c.oneMinusDampening)));
      g = a.nesterov ? ops.add(g, ops.mul(buf, m)) : buf;
    }
    const p = ops.sub(param, ops.mul(g, ops.scalar(c.lr)));
    const state = momentumBuffer && buf ? [ops.settle(momentumBuffer, buf)] : [];
    return [ops.settle(param, p), ...state];
  } finally {
    ops.dispose();
  }
}

/** ADAM_UPDATE as wasm kernels; `writable` holds the written inputs that may be updated in place. */
export function adamByKernels(
  backend: HeapBackend,
  inputs: { param: TensorInfo; grad: TensorInfo; expAvg: TensorInfo; expAvgSq: TensorInfo },
  a: AdamUpdateAttrs,
  c: AdamScalars,
  writable: Set<TensorInfo>,
): TensorInfo[] {
  const ops = new Ops(backend);
  for (const t of writable) ops.inPlace.add(t);
  try {
    let param = inputs.param;
    let g = inputs.grad;
    if (c.applyDecay) param = ops.mul(param, ops.scalar(c.decayFactor));
    if (c.applyL2) g = ops.add(g, ops.mul(param, ops.scalar(c.l2)));
    const oneMinusBeta1 = ops.scalar(c.oneMinusBeta1);
    const oneMinusBeta2 = ops.scalar(c.oneMinusBeta2);
    const m = a.initialize
      ? ops.mul(g, oneMinusBeta1)
      : ops.add(ops.mul(inputs.expAvg, ops.scalar(c.beta1)), ops.mul(g, oneMinusBeta1));
    const v = a.initialize
      ? ops.mul(ops.square(g), oneMinusBeta2)
      : ops.add(ops.mul(inputs.expAvgSq, ops.scalar(c.beta2)), ops.mul(ops.square(g), oneMinusBeta2));
    const denom = ops.add(ops.div(ops.sqrt(v), ops.scalar(c.biasCorrection2Sqrt)), ops.scalar(c.eps));
    const p = ops.sub(param, ops.mul(ops.div(m, denom), ops.scalar(c.stepSize)));
    const expAvg = ops.settle(inputs.expAvg, m);
    const expAvgSq = ops.settle(inputs.expAvgSq, v);
    return [ops.settle(inputs.param, p), expAvg, expAvgSq];
  } finally {
    ops.dispose();
  }
}
