import type { BatchEndInfo, ValidationRecord } from '@cnn/train';
import type { Report, When } from '@cnn/zoo';
import { DEFAULT_LINES, type LineFormats, type TestLine, type TrainLine } from './lines';

/** How the reports of a recipe turn into printed lines during `fit`. */
export interface ReporterOptions {
  reports: readonly Report[];
  lines: LineFormats;
  /** The tutorial counts steps from 0 (prints at steps 0, n, 2n of its 0-based counter). */
  zeroBased: boolean;
  /** Replaces the training-loss cadence (`--log-interval`). */
  logInterval: number | undefined;
  /** Writes one line (above the progress bar on a TTY). */
  say(line: string): void;
  trainCount: number;
  testCount: number;
  stepsPerEpoch: number;
}

type TrainReport = Extract<Report, { kind: 'train-loss' }>;
type TestReport = Extract<Report, { kind: 'test' }>;

/**
 * Prints a recipe's `train-loss` and `test` reports at their cadence from `fit`'s callbacks
 * (`onBatchEnd`, `onValidation`), and tells the runner how `fit` should validate.
 */
export class Reporter {
  readonly trainReport: TrainReport | undefined;
  readonly testReport: TestReport | undefined;
  private pending: TrainLine | undefined;
  private readonly fmt: Required<LineFormats>;

  constructor(private readonly o: ReporterOptions) {
    this.trainReport = o.reports.find((r): r is TrainReport => r.kind === 'train-loss');
    this.testReport = o.reports.find((r): r is TestReport => r.kind === 'test');
    this.fmt = { ...DEFAULT_LINES, ...o.lines } as Required<LineFormats>;
  }

  /** `fit`'s `validate.every` (a step cadence), `'epoch'`, or undefined for a test at the end only. */
  validation(): number | 'epoch' | undefined {
    const when = this.testReport?.when;
    if (when === undefined || typeof when === 'string') return undefined;
    if ('everyEpochs' in when) return 'epoch';
    return when.everySteps;
  }

  /** The `report` of that kind made at `when === 'start'` or `'end'`. */
  at<K extends Report['kind']>(kind: K, when: 'start' | 'end'): Extract<Report, { kind: K }> | undefined {
    return this.o.reports.find((r) => r.kind === kind && r.when === when) as Extract<Report, { kind: K }> | undefined;
  }

  /** For `fit`'s `onBatchEnd`. */
  onBatchEnd(info: BatchEndInfo): void {
    const r = this.trainReport;
    if (!r || typeof r.when === 'string' || !('everySteps' in r.when)) return;
    const counter = r.when.per === 'epoch' ? info.batch : info.step;
    const every = this.o.logInterval ?? r.when.everySteps;
    const index = this.o.zeroBased ? counter - 1 : counter;
    if (index % every !== 0) return;
    const line: TrainLine = {
      epoch: info.epoch,
      batch: info.batch,
      step: info.step,
      index,
      loss: info.loss(),
      seen: Math.min((info.batch - 1) * info.size, this.o.trainCount),
      total: this.o.trainCount,
      batches: this.o.stepsPerEpoch,
    };
    if (r.batchAccuracy) line.accuracy = info.accuracy();
    const v = this.validation();
    if (typeof v === 'number' && info.step % v === 0) this.pending = line;
    else this.o.say(this.fmt.trainLoss(line));
  }

  /** For `fit`'s `onValidation`. */
  onValidation(rec: ValidationRecord): void {
    if (this.pending && this.pending.step === rec.step) {
      this.o.say(this.fmt.trainLoss({ ...this.pending, testAccuracy: rec.accuracy }));
      this.pending = undefined;
    }
    const t = this.testReport;
    if (!t?.printed) return;
    const when = t.when as When;
    if (typeof when === 'object' && 'everyEpochs' in when && (rec.epoch + 1) % when.everyEpochs !== 0) return;
    this.o.say(this.fmt.test(this.testLine(rec)));
  }

  /** A test result as a `TestLine`. */
  testLine(rec: { epoch: number; step: number; loss: number; accuracy: number }): TestLine {
    const total = this.o.testCount;
    return { ...rec, correct: Math.round(rec.accuracy * total), total };
  }

  /** The test line at the end, when the recipe prints one then. */
  endTest(rec: TestLine): void {
    if (this.testReport?.printed && this.testReport.when === 'end') this.o.say(this.fmt.test(rec));
  }

  predictions(truth: readonly string[], predicted: readonly string[]): void {
    for (const line of this.fmt.predictions(truth, predicted)) this.o.say(line);
  }

  batchCounts(train: number, test: number): void {
    for (const line of this.fmt.batchCounts(train, test)) this.o.say(line);
  }
}
