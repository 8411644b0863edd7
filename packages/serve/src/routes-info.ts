import type { FastifyInstance } from 'fastify';
import type { MicroBatcher } from './batcher';
import type { Engine } from './engine';
import type { ServerMetrics } from './metrics';
import type { ModelInfo } from './model-dir';

/** What the info routes need from the server. */
export interface InfoContext {
  engine: Engine;
  batcher: MicroBatcher;
  metrics: ServerMetrics;
  model: ModelInfo;
  startedAt: number;
}

/** `GET /health`, `GET /model` and `GET /metrics`. */
export function infoRoutes(app: FastifyInstance, ctx: InfoContext): void {
  // Answered by the main thread alone: never waits for a forward pass.
  app.get('/health', async () => ({
    status: 'ok',
    pid: process.pid,
    uptimeSeconds: Math.round((performance.now() - ctx.startedAt) / 10) / 100,
    queue: ctx.batcher.waiting,
  }));

  app.get('/model', async () => {
    const s = ctx.model.summary;
    const { summary, backend } = ctx.engine.info;
    return {
      classNames: ctx.model.classNames,
      normalize: ctx.model.normalize,
      inputShape: [28, 28, 1],
      layout: 'NHWC',
      params: summary.totalParams,
      layers: summary.rows,
      architecture: summary.text,
      testAccuracy: typeof s?.testAccuracy === 'number' ? s.testAccuracy : null,
      recipe: s ? { id: s.recipe ?? null, app: s.app ?? null, title: s.title ?? null } : null,
      // Chosen fields of summary.json: never its paths (dataDir), which say nothing to a client.
      training: s
        ? {
            epochs: s.epochs ?? null,
            testLoss: s.testLoss ?? null,
            backend: s.backend ?? null,
            finishedAt: s.finishedAt ?? null,
          }
        : null,
      backend,
      inference: ctx.engine.mode,
      batching: ctx.batcher.options,
      browserModel: 'error' in ctx.engine.info.layersExport ? null : '/tfjs-model/model.json',
    };
  });

  app.get('/metrics', async (_req, reply) => {
    const memory = await ctx.engine.memory();
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return ctx.metrics.render(memory, ctx.batcher.waiting);
  });
}
