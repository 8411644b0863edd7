import { BACKEND_NAMES } from '@cnn/backend';
import { RECIPE_IDS, type RecipeId } from '@cnn/zoo';

/** Options of one benchmark run, parsed from the command line. */
export interface BenchOptions {
  /** Zoo recipes to run, by tutorial id. */
  models: RecipeId[];
  /** Backends to run; `undefined` means every available backend except `cpu`. */
  backends: string[] | undefined;
  /** Each timed window runs at least this many training steps… */
  steps: number;
  /** …and at least this many seconds. */
  seconds: number;
  /** Untimed training steps before the timed ones… */
  warmup: number;
  /** …and at least this many seconds of them: a fresh process runs slower until its JIT tiers settle. */
  warmupSeconds: number;
  inferImages: number;
  inferBatch: number;
  /** Timed windows (or epochs, with `epoch`); the median counts. */
  repeats: number;
  /** Time one full epoch per model (with loading and the test accuracy) instead of step windows. */
  epoch: boolean;
  /** Epoch mode: the first N training and test images only. */
  limit: number | undefined;
  torch: boolean;
  /** torch.set_num_threads for the PyTorch reference; `undefined` keeps PyTorch's own default. */
  torchThreads: number | undefined;
  /** JSON output path; `undefined` means bench-results/<mode>-<date>.json. */
  out: string | undefined;
  /** Rewrite this mode's section of apps/bench/RESULTS.md. */
  record: boolean;
  seed: number;
  help: boolean;
}

/** The models an --epoch run times unless --models says otherwise: 000 and 001 take minutes per epoch. */
export const EPOCH_MODELS: readonly RecipeId[] = ['002', '003', '004'];

export const DEFAULT_OPTIONS: BenchOptions = {
  models: [...RECIPE_IDS],
  backends: undefined,
  steps: 30,
  seconds: 2,
  warmup: 5,
  warmupSeconds: 3,
  inferImages: 10_000,
  inferBatch: 1000,
  repeats: 3,
  epoch: false,
  limit: undefined,
  torch: true,
  torchThreads: undefined,
  out: undefined,
  record: false,
  seed: 0,
  help: false,
};

const D = DEFAULT_OPTIONS;

export const USAGE = `Usage: pnpm bench [options]
  --models 000,small-cnn  zoo recipes by id or name (default: ${RECIPE_IDS.join(',')}; with --epoch ${EPOCH_MODELS.join(',')})
  --backend native,wasm   backends to run, comma-separated (default: every available one except cpu;
                          one of ${BACKEND_NAMES.join(', ')}); --backends is the same flag
  --steps N               each timed training window runs at least N steps (default ${D.steps})
  --seconds S             … and at least S seconds; inference windows too (default ${D.seconds})
  --warmup N              untimed training steps first (default ${D.warmup})…
  --warmup-seconds S      … for at least S seconds (default ${D.warmupSeconds}; 0: steps only)
  --infer-images N        test images per inference pass (default ${D.inferImages})
  --infer-batch N         inference batch size (default ${D.inferBatch})
  --repeats N             timed windows (or epochs) per measurement; the median counts (default ${D.repeats})
  --epoch                 time one full epoch per model instead: loading the embedded MNIST, training at
                          the tutorial's batch size and optimizer, the test accuracy; PyTorch the same.
                          000 and 001 take minutes per epoch, so they run only when --models names them
  --limit N               with --epoch: the first N training and N test images (quick checks)
  --torch / --no-torch    run the PyTorch reference (default: on when a Python with torch is found;
                          CNN_TORCH_PYTHON chooses the interpreter)
  --torch-threads N       torch.set_num_threads for PyTorch (default: PyTorch's own default,
                          torch.get_num_threads(), 1 on this 2-core machine and its fastest here)
  --out PATH              JSON output (default bench-results/<engine|epoch>-<date>.json)
  --record                also rewrite this mode's section of apps/bench/RESULTS.md
  --seed N                random seed (default 0)
  -h, --help              this text
Ctrl-C stops the run and keeps the rows already measured (table and JSON).`;
