import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Engine } from './engine';

/** The page's own files (in the package's `public/` folder), by URL path. */
const PAGE_FILES: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/mnistify.js': ['mnistify.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

/** TensorFlow.js for the in-browser mode, from the installed npm packages (never a CDN). */
const VENDOR_FILES: Record<string, [pkg: string, file: string]> = {
  '/vendor/tf-core.min.js': ['@tensorflow/tfjs-core', 'dist/tf-core.min.js'],
  '/vendor/tf-backend-cpu.min.js': ['@tensorflow/tfjs-backend-cpu', 'dist/tf-backend-cpu.min.js'],
  '/vendor/tf-layers.min.js': ['@tensorflow/tfjs-layers', 'dist/tf-layers.min.js'],
};

/** Content-Security-Policy of the page and its assets. */
export const PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * `GET /` and the page's assets, read once at start into memory (no path from a request
 * ever reaches the file system), and the model in the TF.js Layers format at
 * `/tfjs-model/model.json` and `/tfjs-model/weights.bin`, exported from the served model.
 */
export function pageRoutes(app: FastifyInstance, engine: Engine): void {
  const publicDir = new URL('../public/', import.meta.url);
  const req = createRequire(import.meta.url);
  const files = new Map<string, [Buffer, string]>();
  for (const [route, [file, type]] of Object.entries(PAGE_FILES)) {
    files.set(route, [readFileSync(new URL(file, publicDir)), type]);
  }
  for (const [route, [pkg, file]] of Object.entries(VENDOR_FILES)) {
    const root = dirname(req.resolve(`${pkg}/package.json`));
    files.set(route, [readFileSync(join(root, file)), 'text/javascript; charset=utf-8']);
  }
  for (const [route, [body, type]] of files) {
    app.get(route, async (_req, reply) =>
      reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        // The page may load and fetch from this server only: no CDN, no third party, no inline script.
        .header('content-security-policy', PAGE_POLICY)
        .send(body),
    );
  }
  const exported = engine.info.layersExport;
  if ('error' in exported) return;
  app.get('/tfjs-model/model.json', async (_req, reply) => reply.type('application/json').send(exported.modelJson));
  app.get('/tfjs-model/weights.bin', async (_req, reply) =>
    reply.type('application/octet-stream').send(Buffer.from(exported.weights)),
  );
}
