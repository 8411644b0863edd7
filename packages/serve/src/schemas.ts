/** JSON schemas of the request bodies (checked by fastify's Ajv, no type coercion, no removal). */

const pixelRows = {
  type: 'array',
  minItems: 1,
  maxItems: 784,
  items: {
    anyOf: [{ type: 'number' }, { type: 'array', maxItems: 28, items: { type: 'number' } }],
  },
} as const;

/** `POST /predict` with `application/json`: `{ "pixels": [784 numbers] | [28 × [28 numbers]] }`. */
export const predictBody = {
  type: 'object',
  required: ['pixels'],
  additionalProperties: false,
  properties: { pixels: pixelRows },
} as const;

/** Most images in one `POST /predict/batch`. */
export const MAX_BATCH_IMAGES = 256;

/** `POST /predict/batch`: `{ "images": [pixels, ...] }`, 1 to 256 images. */
export const batchBody = {
  type: 'object',
  required: ['images'],
  additionalProperties: false,
  properties: { images: { type: 'array', minItems: 1, maxItems: MAX_BATCH_IMAGES, items: pixelRows } },
} as const;
