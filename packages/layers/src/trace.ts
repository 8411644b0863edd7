import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from './module';

/** One step of a traced forward pass: a leaf module or a functional op. */
export interface TraceEvent {
  kind: 'module' | 'op';
  /** The leaf module (kind 'module'). */
  module?: Module;
  /** Functional op name (kind 'op'), e.g. 'relu', 'maxPool2d'. */
  op?: string;
  /** Arguments of the functional op, e.g. { kernelSize: [2, 2], stride: [2, 2] }. */
  args?: Record<string, unknown>;
  input: tf.Tensor;
  output: tf.Tensor;
}

class Tracer {
  insideLeaf = 0;
  constructor(readonly events: TraceEvent[]) {}
}

let active: Tracer | null = null;

/**
 * Runs `fn` while recording every leaf-module call (through `Module.apply`) and
 * every functional op from this package that is not inside a leaf module.
 * Tensors in the events are only valid while `fn`'s tensors are (use inside tf.tidy).
 * Events are pushed into `events` as they happen, so a caller keeps them if `fn` throws.
 */
export function traceForward<T>(fn: () => T, events: TraceEvent[] = []): { result: T; events: TraceEvent[] } {
  const previous = active;
  const tracer = new Tracer(events);
  active = tracer;
  try {
    const result = fn();
    return { result, events: tracer.events };
  } finally {
    active = previous;
  }
}

/** Called by `Module.apply` around a leaf module's forward. */
export function traceModule(module: Module, input: tf.Tensor, run: () => tf.Tensor): tf.Tensor {
  const tracer = active;
  if (!tracer) return run();
  tracer.insideLeaf += 1;
  let output: tf.Tensor;
  try {
    output = run();
  } finally {
    tracer.insideLeaf -= 1;
  }
  if (tracer.insideLeaf === 0) tracer.events.push({ kind: 'module', module, input, output });
  return output;
}

/** Called by the functional helpers after computing their output. */
export function traceOp(op: string, args: Record<string, unknown>, input: tf.Tensor, output: tf.Tensor): void {
  const tracer = active;
  if (!tracer || tracer.insideLeaf > 0) return;
  tracer.events.push({ kind: 'op', op, args, input, output });
}
