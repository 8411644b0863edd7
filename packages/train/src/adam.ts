import { ADAM_UPDATE, type AdamUpdateAttrs, hasFusedKernel } from '@cnn/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { OptimizerError } from './errors';
import { runFusedUpdate } from './fused-update';
import { type NamedParam, Optimizer, type ParamsInput } from './optimizer';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}

type Resolved = Required<AdamOptions> & { lr: number };

/**
 * Adam with `torch.optim.Adam` semantics: weight decay is L2 (added to the gradient),
 * moments are bias-corrected, `p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`.
 */
export class Adam extends Optimizer<Resolved> {
  /** Decoupled weight decay (AdamW) instead of L2. */
  protected readonly decoupled: boolean = false;

  constructor(params: ParamsInput, options: AdamOptions = {}, kind = 'adam', defaultDecay = 0) {
    super(kind, params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: defaultDecay, ...options });
  }

  protected override validate(o: Resolved): void {
    super.validate(o);
    const [b1, b2] = o.betas;
    if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1)) {
      throw new OptimizerError(`${this.kind}: betas must be in [0, 1), got [${o.betas}]`);
    }
    if (!(o.eps >= 0)) throw new OptimizerError(`${this.kind}: eps must be >= 0, got ${o.eps}`);
    if (!(o.weightDecay >= 0)) throw new OptimizerError(`${this.kind}: weightDecay must be >= 0, got ${o.weightDecay}`);
  }

  protected applyUpdate(p: NamedParam, grad: tf.Tensor, o: Resolved): void {
    const [b1, b2] = o.betas;
    const t = this.steps.get(p.name) ?? 1;
    if (p.variable.dtype === 'float32' && grad.dtype === 'float32' && hasFusedKernel(ADAM_UPDATE)) {
      this.fusedUpdate(p, grad, o, t);
      return;
    }
    let g = grad;
    let param: tf.Tensor = p.variable;
    if (o.weightDecay !== 0) {
      if (this.decoupled) param = tf.mul(param, 1 - o.lr * o.weightDecay);
      else g = tf.add(g, tf.mul(param, o.weightDecay));
    }
    const s = this.stateOf(p);
    const m = s.expAvg ? tf.add(tf.mul(s.expAvg, b1), tf.mul(g, 1 - b1)) : tf.mul(g, 1 - b1);
    const v = s.expAvgSq ? tf.add(tf.mul(s.expAvgSq, b2), tf.mul(tf.square(g), 1 - b2)) : tf.mul(tf.square(g), 1 - b2);
    this.setState(p, 'expAvg', m);
    this.setState(p, 'expAvgSq', v);
    const stepSize = o.lr / (1 - b1 ** t);
    const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - b2 ** t)), o.eps);
    p.variable.assign(tf.sub(param, tf.mul(tf.div(m, denom), stepSize)));
  }

  /** The same update in one kernel call that writes the parameter and both moments in place. */
  private fusedUpdate(p: NamedParam, grad: tf.Tensor, o: Resolved, step: number): void {
    const s = this.stateOf(p);
    const initialize = !s.expAvg || !s.expAvgSq;
    const expAvg = initialize ? this.newState(p, 'expAvg') : s.expAvg!;
    const expAvgSq = initialize ? this.newState(p, 'expAvgSq') : s.expAvgSq!;
    const attrs: AdamUpdateAttrs = {
      lr: o.lr,
      beta1: o.betas[0],
      beta2: o.betas[1],
      eps: o.eps,
      weightDecay: o.weightDecay,
      decoupled: this.decoupled,
      step,
      initialize,
    };
    runFusedUpdate(ADAM_UPDATE, { param: p.variable, grad, expAvg, expAvgSq }, [p.variable, expAvg, expAvgSq], attrs);
  }
}

/** AdamW (`torch.optim.AdamW`): decoupled decay `p *= 1 - lr * weightDecay`, default 0.01. */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: ParamsInput, options: AdamOptions = {}) {
    super(params, options, 'adamw', 0.01);
  }
}
