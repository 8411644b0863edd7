import { OptimizerError } from './errors';
import { LRScheduler, type SchedulableOptimizer } from './scheduler';

/**
 * `torch.optim.lr_scheduler.CosineAnnealingLR` (closed form):
 * `lr = etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2`.
 */
export class CosineAnnealingLR extends LRScheduler {
  constructor(
    optimizer: SchedulableOptimizer,
    readonly tMax: number,
    readonly etaMin = 0,
  ) {
    super('cosine', optimizer);
    if (!(tMax > 0)) throw new OptimizerError(`CosineAnnealingLR: tMax must be > 0, got ${tMax}`);
    this.apply();
  }

  protected lrAt(_i: number, base: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2;
  }
}
