import { OptimizerError } from './errors';
import { LRScheduler, type SchedulableOptimizer } from './scheduler';

export interface OneCycleOptions {
  maxLr: number;
  /** Total number of `step()` calls (batches); or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the rate. Default 0.3. */
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  /** Initial rate is `maxLr / divFactor`. Default 25. */
  divFactor?: number;
  /** Final rate is `initial / finalDivFactor`. Default 1e4. */
  finalDivFactor?: number;
  /** Cycle SGD momentum (or Adam's beta1) inversely between these. Default true, 0.85..0.95. */
  cycleMomentum?: boolean;
  baseMomentum?: number;
  maxMomentum?: number;
}

interface Phase {
  end: number;
  lr: [number, number];
  momentum: [number, number];
}

/**
 * `torch.optim.lr_scheduler.OneCycleLR` (two phases): warm up from `maxLr / divFactor` to
 * `maxLr` over `pctStart` of the steps, then anneal to `initial / finalDivFactor`; momentum
 * moves the opposite way. Step it once per batch.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  private readonly phases: Phase[];
  private readonly anneal: (from: number, to: number, pct: number) => number;
  private readonly cycleMomentum: boolean;

  constructor(optimizer: SchedulableOptimizer, options: OneCycleOptions) {
    super('one-cycle', optimizer);
    const total = options.totalSteps ?? (options.epochs ?? 0) * (options.stepsPerEpoch ?? 0);
    if (!(Number.isInteger(total) && total > 1)) {
      throw new OptimizerError(
        `OneCycleLR: totalSteps (or epochs * stepsPerEpoch) must be an integer > 1, got ${total}`,
      );
    }
    const pct = options.pctStart ?? 0.3;
    if (!(pct > 0 && pct < 1)) throw new OptimizerError(`OneCycleLR: pctStart must be in (0, 1), got ${pct}`);
    this.totalSteps = total;
    const initial = options.maxLr / (options.divFactor ?? 25);
    const min = initial / (options.finalDivFactor ?? 1e4);
    const baseM = options.baseMomentum ?? 0.85;
    const maxM = options.maxMomentum ?? 0.95;
    this.phases = [
      { end: pct * total - 1, lr: [initial, options.maxLr], momentum: [maxM, baseM] },
      { end: total - 1, lr: [options.maxLr, min], momentum: [baseM, maxM] },
    ];
    this.anneal =
      (options.annealStrategy ?? 'cos') === 'cos'
        ? (a, b, p) => b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1)
        : (a, b, p) => (b - a) * p + a;
    this.cycleMomentum = (options.cycleMomentum ?? true) && optimizer.paramGroups.some(hasMomentum);
    for (let i = 0; i < this.baseLrs.length; i++) this.baseLrs[i] = initial;
    this.apply();
  }

  protected lrAt(): number {
    return this.value('lr');
  }

  protected override apply(): void {
    if (this.lastEpoch > this.totalSteps) {
      throw new OptimizerError(`OneCycleLR: stepped ${this.lastEpoch + 1} times but totalSteps is ${this.totalSteps}`);
    }
    super.apply();
    if (!this.cycleMomentum) return;
    const m = this.value('momentum');
    for (const g of this.optimizer.paramGroups) {
      const o = g.options as Record<string, unknown>;
      if (Array.isArray(o.betas)) o.betas = [m, o.betas[1]];
      else o.momentum = m;
    }
  }

  private value(which: 'lr' | 'momentum'): number {
    let start = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const phase = this.phases[i]!;
      if (this.lastEpoch <= phase.end || i === this.phases.length - 1) {
        const pct = (this.lastEpoch - start) / (phase.end - start);
        return this.anneal(phase[which][0], phase[which][1], pct);
      }
      start = phase.end;
    }
    return Number.NaN;
  }
}

function hasMomentum(g: { options: Record<string, unknown> }): boolean {
  return Array.isArray(g.options.betas) || (typeof g.options.momentum === 'number' && g.options.momentum > 0);
}
