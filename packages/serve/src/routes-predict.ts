import type { FastifyInstance, FastifyRequest } from 'fastify';
import { predictionAt } from './answer';
import type { MicroBatcher } from './batcher';
import { RequestError } from './errors';
import type { ImageKind } from './image-header';
import { decodeImage, type ImageLimits, prepareImage } from './image';
import { readPixels } from './pixels';
import { batchBody, predictBody } from './schemas';

/** What the predict routes need from the server. */
export interface PredictContext {
  batcher: MicroBatcher;
  classNames: readonly string[];
  imageLimits: ImageLimits;
}

const IMAGE_TYPES: Record<string, ImageKind> = { 'image/png': 'png', 'image/jpeg': 'jpeg' };

function kindOf(req: FastifyRequest): ImageKind | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return IMAGE_TYPES[type];
}

/** PNG or JPEG from the first bytes of an uploaded file whose declared type says neither. */
function sniff(bytes: Uint8Array): ImageKind | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  return undefined;
}

function ms(t0: number): number {
  return Math.round((performance.now() - t0) * 1000) / 1000;
}

/** `POST /predict` (JSON pixels, a PNG/JPEG body, or a form with one image file) and `POST /predict/batch` (JSON). */
export function predictRoutes(app: FastifyInstance, ctx: PredictContext): void {
  const answerImage = async (bytes: Uint8Array, kind: ImageKind, t0: number) => {
    const prepared = prepareImage(decodeImage(bytes, kind, ctx.imageLimits));
    const { probs } = await ctx.batcher.submit(prepared.pixels, 1);
    return {
      ...predictionAt(probs, 0, ctx.classNames),
      classNames: ctx.classNames,
      ms: ms(t0),
      input: Array.from(prepared.pixels, (v) => Math.round(v * 1000) / 1000),
      inverted: prepared.inverted,
      box: prepared.box,
    };
  };

  app.post(
    '/predict',
    { schema: { body: { content: { 'application/json': { schema: predictBody } } } } },
    async (req) => {
      const t0 = performance.now();
      if (req.isMultipart()) {
        let file: { bytes: Buffer; type: string } | undefined;
        for await (const part of req.parts()) {
          if (part.type !== 'file') continue;
          if (file) throw new RequestError(413, 'too-many-files', 'the form holds more than one file: send one image');
          file = { bytes: await part.toBuffer(), type: part.mimetype };
        }
        if (!file) throw new RequestError(400, 'empty-image', 'the form has no file: send the image as a file field');
        const kind = IMAGE_TYPES[file.type] ?? sniff(file.bytes);
        if (!kind) {
          throw new RequestError(
            415,
            'unsupported-media-type',
            `the uploaded file (${file.type}) is neither a PNG nor a JPEG`,
          );
        }
        return answerImage(file.bytes, kind, t0);
      }
      const kind = kindOf(req);
      if (kind) {
        const body = req.body;
        if (!Buffer.isBuffer(body)) throw new RequestError(400, 'empty-image', 'the image body is empty');
        return answerImage(body, kind, t0);
      }
      const pixels = readPixels((req.body as { pixels: unknown }).pixels);
      const { probs } = await ctx.batcher.submit(pixels, 1);
      return { ...predictionAt(probs, 0, ctx.classNames), classNames: ctx.classNames, ms: ms(t0) };
    },
  );

  app.post('/predict/batch', { schema: { body: batchBody } }, async (req) => {
    const t0 = performance.now();
    const images = (req.body as { images: unknown[] }).images;
    const pixels = new Float32Array(images.length * 784);
    for (const [i, img] of images.entries()) pixels.set(readPixels(img, `images[${i}]`), i * 784);
    const { probs } = await ctx.batcher.submit(pixels, images.length);
    return {
      predictions: images.map((_, i) => predictionAt(probs, i, ctx.classNames)),
      classNames: ctx.classNames,
      ms: ms(t0),
    };
  });
}
