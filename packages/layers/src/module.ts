import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from './config-error';
import './gradients';
import { carryFlattenOrigin } from './flatten-origin';
import { StateDictError } from './state-dict-error';
import { traceModule } from './trace';

/** Constructor arguments of a built-in layer, enough to rebuild it (`type` names the class). */
export interface LayerConfig {
  type: string;
  [key: string]: unknown;
}

/**
 * Base class of every layer and user model, after torch.nn.Module.
 *
 * Parameters are trainable `tf.Variable`s; buffers (such as batch-norm running
 * statistics) are non-trainable variables that are saved with the state but not
 * optimised. Child modules registered with `registerModule` give dotted names
 * (`conv1.weight`) exactly as in PyTorch.
 */
export abstract class Module {
  /** True in training mode (dropout active, batch-norm uses batch statistics). */
  training = true;

  private readonly _parameters = new Map<string, tf.Variable>();
  private readonly _buffers = new Map<string, tf.Variable>();
  private readonly _modules = new Map<string, Module>();

  /**
   * Dotted path of this module inside the model that registered it (`fc1`,
   * `classifier.0`); '' for a top-level model. Used in error messages and summaries.
   */
  path = '';

  /** Computes the output for a batch. Call it through `apply` (torch: `module(x)`). */
  abstract forward(x: tf.Tensor): tf.Tensor;

  /**
   * Runs `forward` (the equivalent of calling `module(x)` in PyTorch). Going through
   * `apply` lets `summary()` and `exportLayersModel()` see each layer.
   */
  apply(x: tf.Tensor): tf.Tensor {
    const outer = running;
    running = this;
    try {
      const y = this._modules.size > 0 ? this.forward(x) : traceModule(this, x, () => this.forward(x));
      carryFlattenOrigin(x, y);
      return y;
    } finally {
      running = outer;
    }
  }

  /** Built-in layers return their constructor arguments; user models return null. */
  getConfig(): LayerConfig | null {
    return null;
  }

  /** Short description used by `toString()` and `summary()`, e.g. `Linear(3136 -> 1024)`. */
  describe(): string {
    return this.constructor.name;
  }

  protected registerParameter(name: string, initial: tf.Tensor): tf.Variable {
    const variable = tf.variable(initial, true, `${this.constructor.name}.${name}.${nextId()}`);
    initial.dispose();
    this._parameters.set(name, variable);
    return variable;
  }

  protected registerBuffer(name: string, initial: tf.Tensor): tf.Variable {
    const variable = tf.variable(initial, false, `${this.constructor.name}.${name}.${nextId()}`);
    initial.dispose();
    this._buffers.set(name, variable);
    return variable;
  }

  protected registerModule<M extends Module>(name: string, module: M): M {
    if (this._modules.has(name))
      throw new ConfigError(`${this.constructor.name} already has a child module named "${name}"`);
    this._modules.set(name, module);
    module.setPath(this.path ? `${this.path}.${name}` : name);
    return module;
  }

  /** Sets this module's path and re-derives its children's paths. */
  setPath(path: string): void {
    this.path = path;
    for (const [name, child] of this._modules) child.setPath(path ? `${path}.${name}` : name);
  }

  /** Sets training mode on this module and every child. */
  train(mode = true): this {
    this.training = mode;
    for (const child of this._modules.values()) child.train(mode);
    return this;
  }

  /** Sets evaluation mode (same as `train(false)`). */
  eval(): this {
    return this.train(false);
  }

  /** Direct children in registration order. */
  namedChildren(): [string, Module][] {
    return [...this._modules.entries()];
  }

  /** Every trainable parameter with its dotted name, depth first, in registration order. */
  namedParameters(prefix = ''): [string, tf.Variable][] {
    const out: [string, tf.Variable][] = [];
    for (const [name, p] of this._parameters) out.push([prefix + name, p]);
    for (const [name, child] of this._modules) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  /** This module and every descendant with dotted names ('' for this one), depth first. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this._modules) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Non-trainable state (running statistics) with dotted names. */
  namedBuffers(prefix = ''): [string, tf.Variable][] {
    const out: [string, tf.Variable][] = [];
    for (const [name, b] of this._buffers) out.push([prefix + name, b]);
    for (const [name, child] of this._modules) out.push(...child.namedBuffers(`${prefix}${name}.`));
    return out;
  }

  /** Parameters and buffers by name. The tensors are the live variables, not copies. */
  stateDict(): Record<string, tf.Tensor> {
    const state: Record<string, tf.Tensor> = {};
    for (const [name, t] of [...this.namedParameters(), ...this.namedBuffers()]) state[name] = t;
    return state;
  }

  /**
   * Copies values into the parameters and buffers. With `strict` (the default) a
   * missing or unexpected key, or a shape mismatch, throws a `StateDictError` naming it.
   */
  loadStateDict(state: Record<string, tf.Tensor>, strict = true): void {
    const own = new Map([...this.namedParameters(), ...this.namedBuffers()]);
    if (strict) {
      const missing = [...own.keys()].filter((k) => !(k in state));
      const unexpected = Object.keys(state).filter((k) => !own.has(k));
      if (missing.length || unexpected.length) {
        throw new StateDictError(
          `state dict does not match the model: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`,
        );
      }
    }
    for (const [name, variable] of own) {
      const value = state[name];
      if (!value) continue;
      if (!tf.util.arraysEqual(value.shape, variable.shape)) {
        throw new StateDictError(
          `state dict entry "${name}" has shape [${value.shape}] but the model expects [${variable.shape}]`,
        );
      }
      if (value.dtype === variable.dtype) variable.assign(value);
      else tf.tidy(() => variable.assign(tf.cast(value, variable.dtype)));
    }
  }

  /** Frees every parameter and buffer of this module and its children. */
  dispose(): void {
    for (const p of this._parameters.values()) p.dispose();
    for (const b of this._buffers.values()) b.dispose();
    for (const child of this._modules.values()) child.dispose();
  }

  toString(): string {
    return formatModule(this, '');
  }
}

function formatModule(module: Module, indent: string): string {
  const children = module.namedChildren();
  if (children.length === 0) return module.describe();
  const inner = children.map(([name, child]) => `${indent}  (${name}): ${formatModule(child, `${indent}  `)}`);
  return `${module.describe()}(\n${inner.join('\n')}\n${indent})`;
}

/** The module whose `apply` is running (innermost), or null outside any model. */
let running: Module | null = null;

/**
 * Names the module whose forward is running, for messages about functional ops:
 * `Net.forward`, or `Features.forward ('backbone')` inside a bigger model.
 */
export function runningModuleLabel(): string | null {
  if (!running) return null;
  const name = `${running.constructor.name}.forward`;
  return running.path ? `${name} ('${running.path}')` : name;
}

let counter = 0;
function nextId(): number {
  counter += 1;
  return counter;
}
