import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module';

/** Runs its children in order; they are named "0", "1", ... as in torch.nn.Sequential. */
export class Sequential extends Module {
  private readonly layers: Module[] = [];

  constructor(...modules: Module[]) {
    super();
    for (const m of modules) this.append(m);
  }

  /** Adds a module at the end (named by its index). */
  append(module: Module): this {
    this.registerModule(String(this.layers.length), module);
    this.layers.push(module);
    return this;
  }

  /** The i-th child (negative counts from the end). */
  at(index: number): Module | undefined {
    return this.layers.at(index);
  }

  get length(): number {
    return this.layers.length;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.layers[Symbol.iterator]();
  }

  /**
   * Runs the layers in order inside tf.tidy: only the output survives, and a layer
   * that throws (e.g. a ShapeError) leaves no intermediate tensors behind.
   */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let y = x;
      for (const layer of this.layers) y = layer.apply(y);
      return y;
    });
  }

  override describe(): string {
    return 'Sequential';
  }
}
