/**
 * cnn-viz: renders the charts, digit grids, filters, feature maps and the HTML report of a
 * finished run directory, or the chart of an `apps/bench` JSON report.
 *
 *   cnn-viz <run-dir> [--out <dir>] [--limit N] [--sample N] [--scale S]
 *   cnn-viz --bench <report.json> [--out <dir>]
 */
import { runCli } from './cli-main';

process.exitCode = await runCli(process.argv.slice(2));
