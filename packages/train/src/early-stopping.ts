import { TrainingError } from './errors';

export interface EarlyStoppingOptions {
  /** Which value to watch. Default 'valLoss'. */
  monitor?: 'valLoss' | 'valAccuracy' | 'loss';
  /** Stop after this many checks in a row without improvement. Default 3. */
  patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** 'min' for losses, 'max' for accuracies; default from `monitor`. */
  mode?: 'min' | 'max';
}

/** State that must survive a resume. */
export interface EarlyStoppingState {
  best: number | null;
  bad: number;
}

/** Stops training when the monitored value has not improved for `patience` checks. */
export class EarlyStopping {
  readonly monitor: NonNullable<EarlyStoppingOptions['monitor']>;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  best: number | null = null;
  bad = 0;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? 'valLoss';
    this.patience = options.patience ?? 3;
    this.minDelta = options.minDelta ?? 0;
    this.mode = options.mode ?? (this.monitor === 'valAccuracy' ? 'max' : 'min');
    if (!(Number.isInteger(this.patience) && this.patience >= 0)) {
      throw new TrainingError(`earlyStopping.patience must be an integer >= 0, got ${options.patience}`);
    }
  }

  /** Records one value; returns true when training should stop. */
  update(value: number): boolean {
    const improved =
      this.best === null ||
      (this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta);
    if (improved) {
      this.best = value;
      this.bad = 0;
      return false;
    }
    this.bad += 1;
    return this.bad >= this.patience;
  }

  /** True if the last `update` set a new best. */
  get improvedLast(): boolean {
    return this.bad === 0;
  }

  stateDict(): EarlyStoppingState {
    return { best: this.best, bad: this.bad };
  }

  loadStateDict(s: EarlyStoppingState): void {
    this.best = s.best;
    this.bad = s.bad;
  }
}
