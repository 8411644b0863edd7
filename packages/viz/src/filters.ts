import { Conv2d, type Module } from '@cnn/layers';
import { toRaster } from './colormap';
import { VizError } from './errors';
import type { Raster } from './png';
import { type PngOptions, type Rendered, svgToPng } from './render';
import { type SheetSection, scaleFor, sheetSvg } from './sheet';

/** Options of {@link filtersSvg}. */
export interface FiltersOptions {
  /** At most this many output channels per layer (default 32). */
  maxOut?: number;
  /** At most this many input channels per output channel (default 16). */
  maxIn?: number;
}

/** The kernels of one conv layer, as read from its weight `[kh, kw, in, out]` (tfjs HWIO). */
export interface LayerFilters {
  /** Module path in the model, e.g. `0` or `conv1`. */
  path: string;
  description: string;
  kernel: [number, number];
  inChannels: number;
  outChannels: number;
  /** Largest |weight| of the layer: the colour scale's end (blue −max, white 0, red +max). */
  bound: number;
  /** `kernels[o][i]` is the `kh × kw` kernel from input channel i to output channel o, row-major. */
  kernels: Float32Array[][];
}

/** Every `Conv2d` of the model (found through the module tree, in order) with its kernels. */
export function convFilters(model: Module): LayerFilters[] {
  const out: LayerFilters[] = [];
  for (const [path, m] of model.namedModules()) {
    if (!(m instanceof Conv2d)) continue;
    const [kh, kw, cin, cout] = m.weight.shape as [number, number, number, number];
    const w = m.weight.dataSync() as Float32Array;
    let bound = 0;
    for (let i = 0; i < w.length; i++) bound = Math.max(bound, Math.abs(w[i]!));
    const kernels = Array.from({ length: cout }, (_, o) =>
      Array.from({ length: cin }, (_, c) => {
        const k = new Float32Array(kh * kw);
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++) k[y * kw + x] = w[((y * kw + x) * cin + c) * cout + o]!;
        return k;
      }),
    );
    out.push({
      path: path || '(model)',
      description: m.describe(),
      kernel: [kh, kw],
      inChannels: cin,
      outChannels: cout,
      bound,
      kernels,
    });
  }
  return out;
}

/**
 * Draws each conv layer's filters as small images on one diverging colour scale per layer
 * (blue negative, white zero, red positive). A layer with one input channel (the first layer
 * on grey digits: pixel space) shows one image per filter; deeper layers show one row per
 * output channel with one image per input channel.
 */
export function filtersSvg(model: Module, options: FiltersOptions = {}): string {
  const layers = convFilters(model);
  if (layers.length === 0) throw new VizError('no-model', `${model.constructor.name} has no Conv2d layer to draw`);
  const maxOut = options.maxOut ?? 32;
  const maxIn = options.maxIn ?? 16;
  const sections: SheetSection[] = layers.map((l) => {
    const [kh, kw] = l.kernel;
    const outs = Math.min(l.outChannels, maxOut);
    const ins = Math.min(l.inChannels, maxIn);
    const images: Raster[] = [];
    for (let o = 0; o < outs; o++)
      for (let i = 0; i < ins; i++) images.push(toRaster(l.kernels[o]![i]!, kh, kw, 'diverging', [-l.bound, l.bound]));
    const shown = outs < l.outChannels || ins < l.inChannels ? ` (first ${outs} × ${ins} shown)` : '';
    const pixelSpace = l.inChannels === 1;
    return {
      title: `${l.path}: ${l.description}, |w| ≤ ${l.bound.toPrecision(2)}${shown}`,
      images,
      columns: pixelSpace ? Math.min(outs, 16) : ins,
      scale: scaleFor(Math.max(kh, kw), pixelSpace ? 48 : 28),
      ...(pixelSpace ? { labels: images.map((_, o) => String(o)) } : {}),
    };
  });
  return sheetSvg('Conv filters', sections, 'blue: negative weight, white: 0, red: positive; rows are output channels')
    .svg;
}

/** {@link filtersSvg} rendered to SVG and PNG. */
export function renderFilters(model: Module, options: FiltersOptions = {}, png: PngOptions = {}): Rendered {
  const svg = filtersSvg(model, options);
  return { svg, png: svgToPng(svg, png) };
}
