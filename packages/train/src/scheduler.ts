import { OptimizerError } from './errors';

/** What a scheduler needs from an optimizer: its groups' live options. */
export interface SchedulableOptimizer {
  paramGroups: { options: { lr: number } & Record<string, unknown> }[];
}

/** Saved scheduler position. */
export interface SchedulerState {
  kind: string;
  lastEpoch: number;
  baseLrs: number[];
}

/**
 * Base of the learning-rate schedulers, after `torch.optim.lr_scheduler`: construction sets
 * the initial rate (`lastEpoch = 0`), each `step()` advances one unit (an epoch for StepLR and
 * CosineAnnealingLR, a batch for OneCycleLR) and writes the new rate into every group.
 */
export abstract class LRScheduler {
  lastEpoch = 0;
  readonly baseLrs: number[];

  protected constructor(
    readonly kind: string,
    readonly optimizer: SchedulableOptimizer,
  ) {
    this.baseLrs = optimizer.paramGroups.map((g) => g.options.lr);
  }

  /** Rate of group `i` at `this.lastEpoch`. */
  protected abstract lrAt(i: number, base: number): number;

  /** Advances one unit and updates the optimizer. */
  step(): void {
    this.lastEpoch += 1;
    this.apply();
  }

  /** The rates last written to the optimizer, one per group. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.options.lr);
  }

  protected apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.options.lr = this.lrAt(i, this.baseLrs[i]!);
    });
  }

  stateDict(): SchedulerState {
    return { kind: this.kind, lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  loadStateDict(state: SchedulerState): void {
    if (state.kind !== this.kind)
      throw new OptimizerError(`cannot load ${state.kind} scheduler state into ${this.kind}`);
    if (state.baseLrs.length !== this.baseLrs.length) {
      throw new OptimizerError(
        `${this.kind}: saved state has ${state.baseLrs.length} groups, optimizer has ${this.baseLrs.length}`,
      );
    }
    this.baseLrs.splice(0, this.baseLrs.length, ...state.baseLrs);
    this.lastEpoch = state.lastEpoch;
    this.apply();
  }
}
