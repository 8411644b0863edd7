import { hasFusedKernel, SGD_UPDATE, type SgdUpdateAttrs } from '@cnn/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { OptimizerError } from './errors';
import { runFusedUpdate } from './fused-update';
import { type NamedParam, Optimizer, type ParamsInput } from './optimizer';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

type Resolved = Required<SGDOptions>;

/**
 * Stochastic gradient descent with `torch.optim.SGD` semantics:
 * `g += weightDecay * p`; with momentum `buf = momentum * buf + (1 - dampening) * g`
 * (`buf = g` on the first step), then `g = nesterov ? g + momentum * buf : buf`; `p -= lr * g`.
 */
export class SGD extends Optimizer<Resolved> {
  constructor(params: ParamsInput, options: SGDOptions) {
    super('sgd', params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, ...options });
  }

  protected override validate(o: Resolved): void {
    super.validate(o);
    if (!(o.momentum >= 0)) throw new OptimizerError(`sgd: momentum must be >= 0, got ${o.momentum}`);
    if (!(o.weightDecay >= 0)) throw new OptimizerError(`sgd: weightDecay must be >= 0, got ${o.weightDecay}`);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new OptimizerError('sgd: nesterov needs momentum > 0 and dampening 0');
    }
  }

  protected applyUpdate(p: NamedParam, grad: tf.Tensor, o: Resolved): void {
    if (p.variable.dtype === 'float32' && grad.dtype === 'float32' && hasFusedKernel(SGD_UPDATE)) {
      this.fusedUpdate(p, grad, o);
      return;
    }
    let g = grad;
    if (o.weightDecay !== 0) g = tf.add(g, tf.mul(p.variable, o.weightDecay));
    if (o.momentum !== 0) {
      const prev = this.stateOf(p).momentumBuffer;
      const buf = prev ? tf.add(tf.mul(prev, o.momentum), tf.mul(g, 1 - o.dampening)) : g;
      this.setState(p, 'momentumBuffer', buf);
      g = o.nesterov ? tf.add(g, tf.mul(buf, o.momentum)) : buf;
    }
    p.variable.assign(tf.sub(p.variable, tf.mul(g, o.lr)));
  }

  /** The same update in one kernel call that writes the parameter and momentum buffer in place. */
  private fusedUpdate(p: NamedParam, grad: tf.Tensor, o: Resolved): void {
    const inputs: Record<string, tf.Tensor> = { param: p.variable, grad };
    const written = [p.variable];
    let initialize = false;
    if (o.momentum !== 0) {
      let buf = this.stateOf(p).momentumBuffer;
      if (!buf) {
        buf = this.newState(p, 'momentumBuffer');
        initialize = true;
      }
      inputs.momentumBuffer = buf;
      written.push(buf);
    }
    const attrs: SgdUpdateAttrs = {
      lr: o.lr,
      momentum: o.momentum,
      dampening: o.dampening,
      weightDecay: o.weightDecay,
      nesterov: o.nesterov,
      initialize,
    };
    runFusedUpdate(SGD_UPDATE, inputs, written, attrs);
  }
}
