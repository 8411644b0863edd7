import type { EpochResult } from './epoch';
import type { ModelResult } from './measure';
import { parseTorchReference, type TorchReference } from './reference';
import { TorchBenchError } from './torch-error';

/** What bench_torch.py prints: its reference report and its rows in our shapes. */
export interface TorchRun {
  reference: TorchReference;
  /** Step-mode rows (backend "pytorch"). */
  results: ModelResult[];
  /** Epoch-mode rows (backend "pytorch"). */
  epochs: EpochResult[];
}

type Row = Record<string, unknown>;

function reader(row: Row, where: string) {
  const num = (key: string): number => {
    const v = row[key];
    if (typeof v !== 'number')
      throw new TorchBenchError(`bench_torch.py ${where}.${key}: expected a number, got ${String(v)}`);
    return v;
  };
  const nums = (key: string): number[] => {
    const v = row[key];
    if (!Array.isArray(v) || !v.every((e) => typeof e === 'number')) {
      throw new TorchBenchError(`bench_torch.py ${where}.${key}: expected an array of numbers`);
    }
    return v as number[];
  };
  return { num, nums };
}

function stepRow(row: Row, i: number): ModelResult {
  const { num, nums } = reader(row, `results[${i}]`);
  return {
    model: String(row.model),
    backend: 'pytorch',
    params: num('params'),
    batch: num('batch'),
    warmup: num('warmup'),
    repeats: num('repeats'),
    trainStepsAll: nums('train_steps_all'),
    trainSecondsAll: nums('train_seconds_all'),
    trainImgPerSecAll: nums('train_img_s_all'),
    trainImgPerSec: num('train_img_s'),
    trainCpuMsPerStep: num('train_cpu_ms_per_step'),
    finalLoss: num('final_loss'),
    inferBatch: num('infer_batch'),
    inferImagesAll: nums('infer_images_all'),
    inferSecondsAll: nums('infer_seconds_all'),
    inferImgPerSecAll: nums('infer_img_s_all'),
    inferImgPerSec: num('infer_img_s'),
    gcMsPerStep: null,
    fallbacks: null,
    pool: null,
    leakedTensors: 0,
  };
}

function epochRow(row: Row, i: number): EpochResult {
  const { num } = reader(row, `results[${i}]`);
  const [load, train, evalS] = [num('load_seconds'), num('train_seconds'), num('eval_seconds')];
  return {
    model: String(row.model),
    backend: 'pytorch',
    repeat: 1,
    batch: num('batch'),
    testBatch: num('test_batch'),
    trainImages: num('train_images'),
    testImages: num('test_images'),
    steps: num('steps'),
    loadSeconds: load,
    trainSeconds: train,
    evalSeconds: evalS,
    totalSeconds: load + train + evalS,
    trainImgPerSec: num('train_images') / train,
    trainCpuSeconds: num('train_cpu_seconds'),
    trainLoss: num('train_loss'),
    testAccuracy: num('test_accuracy'),
    gcMs: null,
    fallbacks: null,
    pool: null,
    leakedTensors: 0,
  };
}

/** Parses the script's last stdout line (its JSON report); epoch rows are told apart by `load_seconds`. */
export function parseTorchReport(text: string): TorchRun {
  let raw: unknown;
  try {
    raw = JSON.parse(text.trim().split('\n').at(-1) ?? '');
  } catch {
    throw new TorchBenchError(`bench_torch.py printed no JSON report; stdout was: ${text.slice(0, 200)}`);
  }
  const r = raw as Row;
  if (!r || typeof r !== 'object') throw new TorchBenchError('bench_torch.py report is not a JSON object');
  const reference = parseTorchReference(r.reference);
  if (r.results === undefined) return { reference, results: [], epochs: [] };
  if (!Array.isArray(r.results)) throw new TorchBenchError('bench_torch.py report has no "results" array');
  const rows = r.results as Row[];
  const isEpoch = (row: Row) => row && typeof row === 'object' && 'load_seconds' in row;
  return {
    reference,
    results: rows.flatMap((row, i) => (isEpoch(row) ? [] : [stepRow(row, i)])),
    epochs: rows.flatMap((row, i) => (isEpoch(row) ? [epochRow(row, i)] : [])),
  };
}
