import { Resvg } from '@resvg/resvg-js';
import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';
import { VizError } from './errors';
import { FONT_FAMILY, fontFiles } from './font';

/** A Vega-Lite specification (plain JSON). */
export type VegaLiteSpec = Record<string, unknown>;

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Pixels per SVG unit (default 2: sharp on high-density screens and in print). */
  scale?: number;
  /** Background colour (default white; charts are meant to print). */
  background?: string;
}

/** Shared look of every chart: the bundled font, sizes readable at 1×, a white background. */
export const CHART_CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 8,
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', labelLimit: 220 },
  legend: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', labelLimit: 260 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  title: { fontSize: 15, fontWeight: 'bold', anchor: 'start', offset: 10 },
  view: { stroke: '#bbb' },
} as const;

let engines: Promise<[typeof Vega, typeof VegaLite]> | undefined;

/** Vega and Vega-Lite, loaded on first use (ES modules with top-level await: `import()` works from CommonJS too). */
function loadVega(): Promise<[typeof Vega, typeof VegaLite]> {
  engines ??= Promise.all([import('vega'), import('vega-lite')]);
  return engines;
}

/**
 * Renders a Vega-Lite spec to an SVG string, headless (no browser, no canvas).
 * The spec gets {@link CHART_CONFIG} merged under its own `config`.
 */
export async function vegaLiteToSvg(spec: VegaLiteSpec): Promise<string> {
  const withConfig = { ...spec, config: { ...CHART_CONFIG, ...((spec.config as object) ?? {}) } };
  const [vega, vl] = await loadVega();
  let compiled: Vega.Spec;
  try {
    compiled = vl.compile(withConfig as unknown as VegaLite.TopLevelSpec).spec;
  } catch (err) {
    throw new VizError('bad-input', `invalid chart specification: ${(err as Error).message}`);
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG to PNG bytes with the bundled font (system fonts are never read). */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const scale = options.scale ?? 2;
  if (!(scale > 0 && scale <= 16)) throw new VizError('bad-input', `scale must be in (0, 16], got ${scale}`);
  const resvg = new Resvg(svg, {
    background: options.background ?? 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles(),
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}

/** An image in both formats: the SVG source and its PNG rendering. */
export interface Rendered {
  svg: string;
  png: Uint8Array;
}

/** Renders a Vega-Lite spec to SVG and PNG. */
export async function renderChart(spec: VegaLiteSpec, options: PngOptions = {}): Promise<Rendered> {
  const svg = await vegaLiteToSvg(spec);
  return { svg, png: svgToPng(svg, options) };
}
