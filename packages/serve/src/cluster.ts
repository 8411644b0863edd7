import cluster from 'node:cluster';

/**
 * Runs `workers` copies of this command (Node's cluster module), all serving on the same port:
 * the primary hands each new connection to the next worker. Each worker is a whole server with
 * its own model and inference thread (the server is stateless, so any copy may answer any
 * request). SIGTERM or SIGINT is passed on to every worker, which drains its requests; resolves
 * with 0 when all have exited cleanly, else 1.
 */
export function runCluster(argv: string[], workers: number, say: (line: string) => void): Promise<number> {
  cluster.setupPrimary({ args: argv, silent: false });
  const running = new Set<number>();
  let failed = false;
  for (let i = 0; i < workers; i++) {
    const w = cluster.fork({ CNN_SERVE_WORKER: String(i + 1) });
    running.add(w.id);
  }
  say(`cnn-serve: cluster of ${workers} servers (pid ${process.pid})`);
  return new Promise((resolve) => {
    cluster.on('exit', (w, code, signal) => {
      running.delete(w.id);
      if (code !== 0) {
        failed = true;
        say(`cnn-serve: server ${w.id} exited with ${signal ?? code}`);
      }
      if (running.size === 0) resolve(failed ? 1 : 0);
    });
    const stop = (signal: NodeJS.Signals) => {
      say(`cnn-serve: ${signal}: stopping the ${running.size} servers`);
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** Whether this process is a worker of {@link runCluster}. */
export function isClusterWorker(): boolean {
  return cluster.isWorker;
}
