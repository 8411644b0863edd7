/** The `cnn-serve` command (see `USAGE` in cli-main.ts). */
import { runCli } from './cli-main';

const result = await runCli(process.argv.slice(2));
if (typeof result === 'number') process.exitCode = result;
