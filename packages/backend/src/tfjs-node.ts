/** The two tfjs-node flavours: both register the tfjs backend called 'tensorflow'. */
export type TfjsNodeFlavour = 'tensorflow' | 'tensorflow-gpu';

export const TFJS_NODE_PACKAGES: Record<TfjsNodeFlavour, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
};

/** Version to install: the one the rest of the workspace's tfjs packages use. */
export const TFJS_NODE_VERSION = '4.22.0';

export type TfjsNodeStatus = { available: true } | { available: false; reason: string; hint: string };

const loaded = new Map<TfjsNodeFlavour, Promise<TfjsNodeStatus>>();

function isNotInstalled(error: unknown, pkg: string): boolean {
  const e = error as { code?: string; message?: string } | null;
  const code = e?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof e?.message === 'string' &&
    e.message.includes(pkg)
  );
}

/**
 * Imports @tensorflow/tfjs-node(-gpu) by name at run time, if the user installed it. It is not a
 * dependency of this package: its install script downloads libtensorflow. Importing it
 * registers the 'tensorflow' tfjs backend.
 */
export function loadTfjsNode(flavour: TfjsNodeFlavour): Promise<TfjsNodeStatus> {
  const known = loaded.get(flavour);
  if (known !== undefined) return known;
  const pkg = TFJS_NODE_PACKAGES[flavour];
  const hint =
    `Install it with \`npm i ${pkg}@${TFJS_NODE_VERSION}\` (or \`pnpm add ${pkg}@${TFJS_NODE_VERSION}\`; ` +
    `its install script downloads libtensorflow${flavour === 'tensorflow-gpu' ? ', and it needs CUDA and cuDNN' : ''})`;
  // A variable specifier keeps bundlers and TypeScript from resolving the optional package.
  const specifier: string = pkg;
  const status = import(specifier).then(
    (): TfjsNodeStatus => ({ available: true }),
    (error: unknown): TfjsNodeStatus => ({
      available: false,
      reason: isNotInstalled(error, pkg)
        ? `${pkg} is not installed`
        : `${pkg} failed to load (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      hint,
    }),
  );
  loaded.set(flavour, status);
  return status;
}
