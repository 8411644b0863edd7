import { AvgPool2d, Conv2d, MaxPool2d, type Module, type TraceEvent, traceForward } from '@cnn/layers';
import * as tf from '@tensorflow/tfjs-core';
import { toRaster } from './colormap';
import { VizError } from './errors';
import { type PngOptions, type Rendered, svgToPng } from './render';
import { scaleFor, sheetSvg } from './sheet';

/** The output of one conv or pool layer for one input image. */
export interface LayerMaps {
  /** Module path (`0`, `conv1`) or functional op name (`maxPool2d`). */
  name: string;
  /** Module class or `functional`. */
  type: string;
  /** Output shape `[1, h, w, c]` (NHWC). */
  shape: number[];
  /** `maps[c]` is channel c as `h × w` values, row-major. */
  maps: Float32Array[];
}

/**
 * Runs `model` in eval mode on one input and keeps the output of every `Conv2d`, `MaxPool2d`
 * and `AvgPool2d` (and of the functional max/avg pools), found by tracing the module tree.
 *
 * Args: `input` is one image `[H, W, C]` or a batch of one `[1, H, W, C]`, already transformed
 * as in training (e.g. normalised). Training mode and the input are left untouched; no tensor leaks.
 */
export function featureMaps(model: Module, input: tf.Tensor): LayerMaps[] {
  if (!(input.rank === 3 || (input.rank === 4 && input.shape[0] === 1))) {
    throw new VizError('bad-input', `featureMaps: expected one image [H, W, C] or [1, H, W, C], got [${input.shape}]`);
  }
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  const out: LayerMaps[] = [];
  try {
    tf.tidy(() => {
      const x = input.rank === 3 ? tf.expandDims(input, 0) : input;
      // Containers such as Sequential free their intermediates inside their own tidy, so each
      // event is read the moment the tracer pushes it, while its output is still alive.
      const sink: TraceEvent[] = [];
      sink.push = (...events: TraceEvent[]) => {
        for (const e of events) {
          const layer = capture(e);
          if (layer) out.push(layer);
        }
        return out.length;
      };
      traceForward(() => model.apply(x), sink);
    });
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
  if (out.length === 0) throw new VizError('no-model', `${model.constructor.name} has no conv or pool layer to show`);
  return out;
}

/** Copies the maps out of one traced event when it is a conv or pool layer. */
function capture(e: TraceEvent): LayerMaps | null {
  const m = e.module;
  const wanted =
    (e.kind === 'module' && (m instanceof Conv2d || m instanceof MaxPool2d || m instanceof AvgPool2d)) ||
    (e.kind === 'op' && (e.op === 'maxPool2d' || e.op === 'avgPool2d'));
  if (!wanted || e.output.rank !== 4) return null;
  const [, h, w, c] = e.output.shape as [number, number, number, number];
  const data = e.output.dataSync() as Float32Array;
  const maps = Array.from({ length: c }, (_, ch) => {
    const map = new Float32Array(h * w);
    for (let p = 0; p < h * w; p++) map[p] = data[p * c + ch]!;
    return map;
  });
  return {
    name: m ? m.path || '(model)' : e.op!,
    type: m ? m.constructor.name : 'functional',
    shape: e.output.shape,
    maps,
  };
}

/** Options of {@link featureMapsSvg}. */
export interface FeatureMapsOptions {
  /** At most this many channels per layer (default 32). */
  maxChannels?: number;
  /** Caption, e.g. `test digit #0, label 7`. */
  caption?: string;
}

/**
 * Draws {@link featureMaps}: one section per layer, one small image per channel, each on its
 * own scale: a map with no negative values from 0 (white) to its maximum (black), one with
 * negative values (a conv output before its ReLU) blue for negative, white for 0, red for positive.
 */
export function featureMapsSvg(model: Module, input: tf.Tensor, options: FeatureMapsOptions = {}): string {
  const layers = featureMaps(model, input);
  const maxChannels = options.maxChannels ?? 32;
  const sections = layers.map((l) => {
    const [, h, w, c] = l.shape as [number, number, number, number];
    const shown = Math.min(c, maxChannels);
    return {
      title: `${l.name}: ${l.type} → [${l.shape.join(', ')}]${shown < c ? ` (first ${shown} channels)` : ''}`,
      images: l.maps.slice(0, shown).map((m) => mapRaster(m, h, w)),
      columns: Math.min(shown, 16),
      scale: scaleFor(Math.max(h, w), 64),
    };
  });
  const note = `${options.caption ? `${options.caption}; ` : ''}each map on its own scale: 0 white, positive black (or red), negative blue`;
  return sheetSvg('Feature maps', sections, note).svg;
}

/** A map without negative values goes from 0 (white) to its maximum (black); one with negatives on the diverging scale. */
function mapRaster(map: Float32Array, h: number, w: number) {
  let lo = 0;
  let hi = 0;
  for (const v of map) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo < 0 ? toRaster(map, h, w, 'diverging') : toRaster(map, h, w, 'ink', [0, hi || 1]);
}

/** {@link featureMapsSvg} rendered to SVG and PNG. */
export function renderFeatureMaps(
  model: Module,
  input: tf.Tensor,
  options: FeatureMapsOptions = {},
  png: PngOptions = {},
): Rendered {
  const svg = featureMapsSvg(model, input, options);
  return { svg, png: svgToPng(svg, png) };
}
