import type { BackendName } from '@cnn/backend';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { type BatchOptions, DEFAULT_BATCH_OPTIONS, MicroBatcher } from './batcher';
import { type Engine, startEngine } from './engine';
import { type ErrorBody, RequestError } from './errors';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './image';
import { ServerMetrics } from './metrics';
import { type ModelInfo, readModelInfo } from './model-dir';
import { pageRoutes } from './routes-page';
import { infoRoutes } from './routes-info';
import { predictRoutes } from './routes-predict';

/** Options of {@link startServer}. Only `model` is required. */
export interface ServeOptions {
  /** A model directory (`saveModel`) or a run directory (`runs/<app>/<timestamp>`). */
  model: string;
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1` (this machine only). */
  host?: string;
  /** tfjs backend of the inference thread. Default `'wasm'`. */
  backend?: BackendName | 'auto';
  /** Where the forward pass runs: a worker thread (default) or the main thread. */
  inference?: 'worker' | 'main';
  /** Micro-batching; `{ maxBatch: 1 }` turns it off. */
  batch?: Partial<BatchOptions>;
  /** Largest request body, in bytes (413 beyond). Default 4 MiB. */
  bodyLimit?: number;
  imageLimits?: Partial<ImageLimits>;
  /** An origin allowed by CORS (e.g. `https://example.org`); default none (CORS off). */
  corsOrigin?: string;
  /** Serve the draw-a-digit page at `/`. Default true. */
  page?: boolean;
}

/** A running server. */
export interface Server {
  app: FastifyInstance;
  /** `http://host:port`. */
  url: string;
  engine: Engine;
  model: ModelInfo;
  metrics: ServerMetrics;
  /** Stops taking requests, answers those in flight, then stops the inference thread. */
  close(): Promise<void>;
}

function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty-body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad-json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-content-length',
  FST_REQ_FILE_TOO_LARGE: 'body-too-large',
  FST_FILES_LIMIT: 'too-many-files',
  FST_PARTS_LIMIT: 'too-many-parts',
  FST_FIELDS_LIMIT: 'too-many-fields',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'bad-multipart',
};

/** One sentence from Ajv's errors: the first problem of each place, numbers called finite (Ajv refuses Infinity). */
function schemaMessage(errors: { instancePath: string; message?: string; keyword: string }[], where: string): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf' || seen.has(e.instancePath)) continue;
    seen.add(e.instancePath);
    const place = `${where}${e.instancePath.replaceAll('/', '.')}`;
    parts.push(`${place} ${(e.message ?? 'is invalid').replace('must be number', 'must be a finite number')}`);
  }
  return parts.join('; ');
}

/** Loads the model (in its inference thread), builds the routes and listens. */
export async function startServer(options: ServeOptions): Promise<Server> {
  const startedAt = performance.now();
  const model = readModelInfo(options.model);
  const engine = await startEngine({
    modelDir: model.modelDir,
    normalize: model.normalize,
    backend: options.backend ?? 'wasm',
    mode: options.inference ?? 'worker',
  });
  const metrics = new ServerMetrics();
  const batcher = new MicroBatcher(engine, { ...DEFAULT_BATCH_OPTIONS, ...options.batch }, (n, ms) =>
    metrics.batch(n, ms),
  );
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024,
    logger: false,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    schemaErrorFormatter: (errors, where) => new Error(schemaMessage(errors, where)),
  });
  app.removeContentTypeParser('text/plain'); // JSON, images and forms only: anything else is 415
  const bodyLimit = options.bodyLimit ?? 4 * 1024 * 1024;
  // A form (curl -F file=@digit.png) carries one image file within the body limit; a second file is
  // read far enough to refuse it, other fields are ignored.
  await app.register(multipart, { limits: { files: 2, fileSize: bodyLimit, fields: 4, parts: 6 } });
  app.addContentTypeParser(['image/png', 'image/jpeg'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  let draining = false;
  // Answers sent while shutting down close their connection, so no keep-alive socket holds the close up.
  app.addHook('onSend', async (_req, reply) => {
    if (draining) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.request(req.routeOptions.url ?? 'unknown', reply.statusCode, reply.elapsedTime / 1000);
  });
  if (options.corsOrigin) {
    const origin = options.corsOrigin;
    app.addHook('onRequest', async (req, reply) => {
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      if (req.method === 'OPTIONS') {
        reply
          .header('access-control-allow-methods', 'GET, POST')
          .header('access-control-allow-headers', 'content-type');
        return reply.code(204).send();
      }
    });
  }
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof RequestError) {
      if (err.statusCode === 503) reply.header('retry-after', '1');
      return reply.code(err.statusCode).send(err.toJSON());
    }
    if (err.validation) return reply.code(400).send(errorBody('invalid-request', err.message));
    const status = err.statusCode ?? 500;
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const type = JSON.stringify(req.headers['content-type'] ?? '');
      const message = `content type ${type} is not accepted: send application/json, image/png or image/jpeg`;
      return reply.code(415).send(errorBody('unsupported-media-type', message));
    }
    if (status >= 400 && status < 500) {
      const code = FASTIFY_CODES[err.code] ?? (err.code ?? 'bad-request').toLowerCase();
      return reply.code(status).send(errorBody(code, err.message));
    }
    process.stderr.write(`@cnn/serve: ${err.stack ?? err.message}\n`);
    return reply.code(500).send(errorBody('internal', 'the server failed to answer this request'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody('not-found', `no route ${req.method} ${req.url.split('?')[0]}`)),
  );
  predictRoutes(app, {
    batcher,
    classNames: model.classNames,
    imageLimits: { ...DEFAULT_IMAGE_LIMITS, ...options.imageLimits },
  });
  infoRoutes(app, { engine, batcher, metrics, model, startedAt });
  if (options.page !== false) pageRoutes(app, engine);
  try {
    await app.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' });
  } catch (err) {
    await engine.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host ?? '127.0.0.1';
  let closing: Promise<void> | undefined;
  return {
    app,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    engine,
    model,
    metrics,
    close() {
      closing ??= (async () => {
        draining = true;
        app.server.closeIdleConnections();
        await app.close();
        await batcher.close();
        await engine.close();
      })();
      return closing;
    },
  };
}
