import { BackendFlagError } from './errors';
import { BACKEND_NAMES, type BackendName } from './select';

/** Every value `--backend` and CNN_BACKEND accept. */
export const BACKEND_CHOICES: readonly (BackendName | 'auto')[] = ['auto', ...BACKEND_NAMES];

/** One line for an app's --help. */
export const BACKEND_FLAG_HELP = `--backend <${BACKEND_CHOICES.join('|')}>  tfjs backend (default auto: the fastest that runs; env CNN_BACKEND)`;

function check(source: string, value: string | undefined): BackendName | 'auto' {
  if (value === undefined || value === '' || value.startsWith('--')) {
    throw new BackendFlagError(source, value === '' || value?.startsWith('--') ? undefined : value, BACKEND_CHOICES);
  }
  const found = BACKEND_CHOICES.find((choice) => choice === value);
  if (found === undefined) throw new BackendFlagError(source, value, BACKEND_CHOICES);
  return found;
}

/**
 * The backend asked for on the command line (`--backend <name>` or `--backend=<name>`, the last
 * one wins), else by the CNN_BACKEND environment variable, else 'auto'. Other arguments are
 * ignored. Throws BackendFlagError, listing the valid names, for a missing or unknown value.
 */
export function backendFromArgs(
  argv: readonly string[] = process.argv.slice(2),
  env: Readonly<Record<string, string | undefined>> = process.env,
): BackendName | 'auto' {
  let chosen: BackendName | 'auto' | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (arg === '--backend') {
      chosen = check('--backend', argv[i + 1]);
      i++;
    } else if (arg.startsWith('--backend=')) {
      chosen = check('--backend', arg.slice('--backend='.length));
    }
  }
  if (chosen !== undefined) return chosen;
  const fromEnv = env.CNN_BACKEND;
  if (fromEnv !== undefined && fromEnv !== '') return check('CNN_BACKEND', fromEnv);
  return 'auto';
}
