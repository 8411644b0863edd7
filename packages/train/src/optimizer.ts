import * as tf from '@tensorflow/tfjs-core';
import { OptimizerError } from './errors';
import type { GradMap } from './types';

/** A trainable tensor together with the name it is saved under (its dotted module path). */
export interface NamedParam {
  name: string;
  variable: tf.Variable;
}

/** What an optimizer can be built from. */
export type ParamsInput =
  | { namedParameters(): [string, tf.Variable][] }
  | [string, tf.Variable][]
  | tf.Variable[]
  | ParamGroupInput[];

/** A parameter group with its own hyper-parameters, as in `torch.optim` (`{ params, lr }`). */
export interface ParamGroupInput {
  params: [string, tf.Variable][] | tf.Variable[];
  [option: string]: unknown;
}

/** One group: its parameters and its live hyper-parameters (schedulers change `lr`). */
export interface ParamGroup<O> {
  params: NamedParam[];
  options: O & { lr: number };
}

/** Serialisable optimizer state: per-parameter tensors plus group options and counters. */
export interface OptimizerState {
  kind: string;
  groups: { params: string[]; options: Record<string, unknown> }[];
  state: Record<string, Record<string, tf.Tensor>>;
  /** Updates applied to each parameter so far. */
  steps: Record<string, number>;
}

/**
 * Base of every optimizer. Gradients are functional (from `tf.variableGrads`), so there is no
 * `zeroGrad`: `step(grads)` applies one update. Each subclass keeps its whole update rule in
 * `applyUpdate`, so a faster backend can replace it in one place. Per-parameter state lives in
 * non-trainable variables that are updated in place, so the tensor count stays flat.
 */
export abstract class Optimizer<O extends { lr: number }> {
  readonly paramGroups: ParamGroup<O>[];
  /** Per-parameter state by parameter name (e.g. `momentumBuffer`, `expAvg`). */
  protected readonly state = new Map<string, Record<string, tf.Variable>>();
  /** Per-parameter step counts (Adam's bias correction). */
  protected readonly steps = new Map<string, number>();

  protected constructor(
    readonly kind: string,
    params: ParamsInput,
    defaults: O,
  ) {
    this.paramGroups = toGroups(params).map((g) => ({
      params: g.params,
      options: { ...defaults, ...g.overrides } as O,
    }));
    for (const group of this.paramGroups) this.validate(group.options);
  }

  /** Checks hyper-parameters; throws `OptimizerError` naming the bad one. */
  protected validate(options: O): void {
    if (!(options.lr >= 0)) throw new OptimizerError(`${this.kind}: lr must be >= 0, got ${options.lr}`);
  }

  /** Learning rate of the first group; setting it sets every group. */
  get lr(): number {
    return this.paramGroups[0]?.options.lr ?? 0;
  }

  set lr(value: number) {
    for (const g of this.paramGroups) g.options.lr = value;
  }

  /** All parameters managed by this optimizer. */
  namedParams(): NamedParam[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /**
   * Applies one update. `grads` is keyed by variable name (what `tf.variableGrads` returns)
   * or by the parameter's dotted name. Parameters without a gradient are left alone.
   */
  step(grads: GradMap): void {
    const lookup = (key: string): tf.Tensor | undefined =>
      grads instanceof Map ? grads.get(key) : (grads as Record<string, tf.Tensor>)[key];
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = lookup(p.variable.name) ?? lookup(p.name);
        if (!g) continue;
        if (!tf.util.arraysEqual(g.shape, p.variable.shape)) {
          throw new OptimizerError(
            `${this.kind}: gradient for "${p.name}" has shape [${g.shape}], parameter has [${p.variable.shape}]`,
          );
        }
        this.steps.set(p.name, (this.steps.get(p.name) ?? 0) + 1);
        tf.tidy(() => this.applyUpdate(p, g, group.options));
      }
    }
  }

  /** The update rule for one parameter: reads/writes `this.stateOf(p)` and assigns `p.variable`. */
  protected abstract applyUpdate(p: NamedParam, grad: tf.Tensor, options: O): void;

  /** State variables of a parameter, created on first use. */
  protected stateOf(p: NamedParam): Record<string, tf.Variable> {
    let s = this.state.get(p.name);
    if (!s) {
      s = {};
      this.state.set(p.name, s);
    }
    return s;
  }

  /**
   * A new zero state entry of `p`'s shape (replacing any old one): a buffer of its own, which a
   * fused kernel then updates in place.
   */
  protected newState(p: NamedParam, key: string): tf.Variable {
    const s = this.stateOf(p);
    s[key]?.dispose();
    const zeros = tf.zerosLike(p.variable);
    const v = tf.variable(zeros, false);
    zeros.dispose();
    s[key] = v;
    return v;
  }

  /** Sets (creating if needed) a state entry to `value` without keeping `value`. */
  protected setState(p: NamedParam, key: string, value: tf.Tensor): void {
    const s = this.stateOf(p);
    const existing = s[key];
    if (existing) existing.assign(value);
    else s[key] = tf.variable(value, false);
  }

  /** Everything needed to continue optimising later; tensors are the live state, not copies. */
  stateDict(): OptimizerState {
    const state: Record<string, Record<string, tf.Tensor>> = {};
    for (const [name, entries] of this.state) state[name] = { ...entries };
    return {
      kind: this.kind,
      groups: this.paramGroups.map((g) => ({ params: g.params.map((p) => p.name), options: { ...g.options } })),
      state,
      steps: Object.fromEntries(this.steps),
    };
  }

  /** Restores a `stateDict()`; the groups must hold the same parameter names. */
  loadStateDict(saved: OptimizerState): void {
    if (saved.kind !== this.kind) {
      throw new OptimizerError(`cannot load ${saved.kind} optimizer state into ${this.kind}`);
    }
    if (saved.groups.length !== this.paramGroups.length) {
      throw new OptimizerError(
        `${this.kind}: saved state has ${saved.groups.length} parameter groups, optimizer has ${this.paramGroups.length}`,
      );
    }
    saved.groups.forEach((g, i) => {
      const group = this.paramGroups[i]!;
      const names = group.params.map((p) => p.name);
      if (names.join('\n') !== g.params.join('\n')) {
        throw new OptimizerError(
          `${this.kind}: group ${i} parameters differ: saved [${g.params.join(', ')}], optimizer [${names.join(', ')}]`,
        );
      }
      group.options = { ...group.options, ...g.options } as O & { lr: number };
    });
    this.disposeState();
    const byName = new Map(this.namedParams().map((p) => [p.name, p]));
    for (const [name, entries] of Object.entries(saved.state)) {
      const p = byName.get(name);
      if (!p) throw new OptimizerError(`${this.kind}: saved state for unknown parameter "${name}"`);
      for (const [key, value] of Object.entries(entries)) this.setState(p, key, value);
    }
    for (const [name, count] of Object.entries(saved.steps ?? {})) {
      if (!byName.has(name)) throw new OptimizerError(`${this.kind}: saved step count for unknown parameter "${name}"`);
      this.steps.set(name, count);
    }
  }

  /** Frees the state variables. */
  dispose(): void {
    this.disposeState();
  }

  private disposeState(): void {
    for (const entries of this.state.values()) for (const v of Object.values(entries)) v.dispose();
    this.state.clear();
    this.steps.clear();
  }
}

function toGroups(params: ParamsInput): { params: NamedParam[]; overrides: Record<string, unknown> }[] {
  if (!Array.isArray(params)) return [{ params: named(params.namedParameters()), overrides: {} }];
  if (params.length > 0 && isGroup(params[0])) {
    return (params as ParamGroupInput[]).map(({ params: p, ...overrides }) => ({ params: named(p), overrides }));
  }
  return [{ params: named(params as [string, tf.Variable][] | tf.Variable[]), overrides: {} }];
}

function isGroup(x: unknown): x is ParamGroupInput {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'params' in x;
}

function named(list: [string, tf.Variable][] | tf.Variable[]): NamedParam[] {
  const out = list.map((item) =>
    Array.isArray(item) ? { name: item[0], variable: item[1] } : { name: item.name, variable: item },
  );
  if (out.length === 0) throw new OptimizerError('optimizer got an empty parameter list');
  const seen = new Set<string>();
  for (const p of out) {
    if (seen.has(p.name)) throw new OptimizerError(`parameter "${p.name}" appears twice`);
    seen.add(p.name);
  }
  return out;
}
