import { loadavg } from 'node:os';
import type { BenchOptions } from './args';
import { type CpuTicks, cpuTicks, otherCpuShare } from './cpu-share';
import { formatEngineCounters } from './engine-stats';
import { formatEpochTable, summariseEpochs } from './epoch-table';
import type { MachineInfo } from './machine';
import { formatReferenceReport, referenceReport } from './reference-report';
import { defaultOutPath, resolveOut, type SectionFacts, sectionText, writeReport } from './report';
import { recordSection } from './results-file';
import type { RunState } from './run';
import { checkTargets, formatTable, formatTargets, withRatios } from './table';

const STEP_EXPLANATION = `Images per second, the median of the timed windows (each at least --seconds long and
--steps steps, after --warmup untimed steps that last at least --warmup-seconds, for PyTorch too:
a fresh process runs slower until its JIT tiers settle): training at the tutorial batch size with
the loss read back every step; inference over the test images at batch 1000 in eval mode, classes
read back. Ratios are to PyTorch in the same run; above 1 the project is faster. CPU ms/step is the
CPU time the process used per training step, all threads (what a step costs whatever the load;
on a busy machine wall time is partly waiting for a core). GC ms/step is the time V8's garbage
collector paused the training windows, per step.`;

const EPOCH_EXPLANATION = `One full epoch per model, medians over the repeats: load (reading the MNIST IDX files and
setting up the batches), train (one epoch at the tutorial's batch size and optimizer, shuffled),
test (accuracy over the test set at the tutorial's test batch size). The project side is
\`loadMnist\` + \`batches\` (@cnn/datasets) + \`fit\` + \`evaluate\` (@cnn/train); PyTorch reads the
same files (torch/epoch_torch.py). Ratios are PyTorch's seconds over the project's: above 1 the
project is faster. Train CPU s is the CPU time of the training part, all threads. Test accuracies differ a little: the two sides start from different random
weights and shuffles.`;

/** Prints the tables and the reference report, writes the JSON and, when asked, RESULTS.md. */
export async function finish(
  argv: readonly string[],
  opts: BenchOptions,
  machine: MachineInfo,
  state: RunState,
  interrupted: boolean,
  cpuAtStart: CpuTicks | null,
): Promise<void> {
  const cpuAtEnd = cpuTicks();
  const otherCpu = cpuAtStart && cpuAtEnd ? otherCpuShare(cpuAtStart, cpuAtEnd) : null;
  const reference = formatReferenceReport(referenceReport(machine, state.reference, state.project, otherCpu));
  const date = new Date();
  const facts: SectionFacts = {
    date: date.toISOString(),
    command: argv,
    reference,
    loadStart: machine.loadAverage[0] ?? 0,
    loadEnd: Math.round(loadavg()[0]! * 100) / 100,
    cores: machine.cores,
    otherCpu,
  };
  let body: string;
  let report: Record<string, unknown>;
  const engineLines = formatEngineCounters(opts.epoch ? state.epochs : state.rows);
  const counters = engineLines.length
    ? `\n\nNative engine counters:\n\n${engineLines.map((l) => `- ${l}`).join('\n')}`
    : '';
  if (opts.epoch) {
    const summary = summariseEpochs(state.epochs);
    body = `${formatEpochTable(summary)}${counters}`;
    report = { epochs: state.epochs, summary };
  } else {
    const table = withRatios(state.rows);
    const targets = checkTargets(table);
    const measured = targets.filter((t) => t.met !== null);
    const targetText = measured.length
      ? `\n\nTargets (issue 12):\n\n${formatTargets(measured)
          .split('\n')
          .map((l) => `- ${l}`)
          .join('\n')}`
      : '';
    body = `${formatTable(table)}${targetText}${counters}`;
    report = { rows: table, targets };
  }
  console.log(`${reference}\n\n${body}`);
  for (const e of state.errors) console.error(`bench: error: ${e}`);

  const out = opts.out ? resolveOut(opts.out) : defaultOutPath(date, opts.epoch ? 'epoch' : 'engine');
  await writeReport(out, {
    date: facts.date,
    command: argv,
    options: opts,
    interrupted,
    machine,
    reference: state.reference,
    project: state.project,
    ...report,
    loadEnd: facts.loadEnd,
    otherCpu: facts.otherCpu,
    errors: state.errors,
  });
  console.error(`bench: wrote ${out}${interrupted ? ' (interrupted: only the rows measured so far)' : ''}`);
  if (opts.record && !interrupted) {
    const text = opts.epoch
      ? sectionText('One epoch', facts, EPOCH_EXPLANATION, body)
      : sectionText('Step windows', facts, STEP_EXPLANATION, body);
    console.error(`bench: updated ${await recordSection(opts.epoch ? 'epoch' : 'steps', text)}`);
  } else if (opts.record) console.error('bench: interrupted, so RESULTS.md is left as it was');
}
