/** The PyTorch script failed or printed something that is not its JSON report. */
export class TorchBenchError extends Error {
  override name = 'TorchBenchError';
}
