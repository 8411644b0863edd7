/**
 * The geometry of a convolution or pooling window, as the addon reads it: an array of numbers in
 * the order of these field lists. native/geometry.h holds the same lists (kConvGeometryFields,
 * kPoolGeometryFields), the addon exports them as convGeometryFields / poolGeometryFields, and a
 * test checks that the two sides agree. Kernels build the named object and pack it.
 */
export const CONV_GEOMETRY_FIELDS = [
  'batchSize',
  'inHeight',
  'inWidth',
  'inChannels',
  'filterHeight',
  'filterWidth',
  'outChannels',
  'outHeight',
  'outWidth',
  'strideHeight',
  'strideWidth',
  'dilationHeight',
  'dilationWidth',
  'padTop',
  'padLeft',
  'padBottom',
  'padRight',
] as const;

export const POOL_GEOMETRY_FIELDS = [
  'batchSize',
  'inHeight',
  'inWidth',
  'channels',
  'filterHeight',
  'filterWidth',
  'outHeight',
  'outWidth',
  'strideHeight',
  'strideWidth',
  'padTop',
  'padLeft',
] as const;

/** A convolution over NHWC data with HWIO filters; the far-side padding is oneDNN's (see kernels/conv.ts). */
export type ConvGeometry = Record<(typeof CONV_GEOMETRY_FIELDS)[number], number>;
/** A max-pooling window over NHWC data. */
export type PoolGeometry = Record<(typeof POOL_GEOMETRY_FIELDS)[number], number>;

declare const packedOf: unique symbol;
/** A geometry packed in its field order: only packConvGeometry / packPoolGeometry make one. */
export type Packed<G> = number[] & { readonly [packedOf]: G };

export function packConvGeometry(g: ConvGeometry): Packed<ConvGeometry> {
  return CONV_GEOMETRY_FIELDS.map((field) => g[field]) as Packed<ConvGeometry>;
}

export function packPoolGeometry(g: PoolGeometry): Packed<PoolGeometry> {
  return POOL_GEOMETRY_FIELDS.map((field) => g[field]) as Packed<PoolGeometry>;
}
