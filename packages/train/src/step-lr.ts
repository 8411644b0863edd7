import { OptimizerError } from './errors';
import { LRScheduler, type SchedulableOptimizer } from './scheduler';

/** `torch.optim.lr_scheduler.StepLR`: `lr = base * gamma ^ floor(epoch / stepSize)`. */
export class StepLR extends LRScheduler {
  constructor(
    optimizer: SchedulableOptimizer,
    readonly stepSize: number,
    readonly gamma = 0.1,
  ) {
    super('step', optimizer);
    if (!(Number.isInteger(stepSize) && stepSize > 0)) {
      throw new OptimizerError(`StepLR: stepSize must be a positive integer, got ${stepSize}`);
    }
    this.apply();
  }

  protected lrAt(_i: number, base: number): number {
    return base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize);
  }
}
