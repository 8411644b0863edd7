// Turns any grayscale picture of one digit into the 28×28 input MNIST was made of. Plain
// JavaScript with no imports, so the server (Node) and the page (a browser) run the same code.
//
// The steps are those of the MNIST paper: ink is white on black; crop to the ink's bounding
// box; scale it to fit a 20×20 box keeping the aspect ratio (area-averaged, so thin strokes
// stay grey as in MNIST); then place it in a 28×28 field so that its centre of mass is the
// centre of the field (pixel 14, 14). Values are in [0, 1], row-major, 1 = full ink.

/** Side of the MNIST image. */
export const SIDE = 28;
/** Side of the box the digit is scaled into. */
export const BOX = 20;
/** A pixel with at least this much ink belongs to the digit's bounding box. */
export const INK_THRESHOLD = 0.15;

/**
 * Ink (1 = ink) from grayscale (1 = white): inverts the picture when its border is light,
 * i.e. dark ink on a light background, and keeps it as it is otherwise.
 */
export function toInk(gray, width, height) {
  let sum = 0;
  let count = 0;
  for (let x = 0; x < width; x++) {
    sum += gray[x] + gray[(height - 1) * width + x];
    count += 2;
  }
  for (let y = 1; y < height - 1; y++) {
    sum += gray[y * width] + gray[y * width + width - 1];
    count += 2;
  }
  const light = count > 0 && sum / count > 0.5;
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = light ? 1 - gray[i] : gray[i];
  return { ink: out, inverted: light };
}

/** The bounding box of the pixels with at least `INK_THRESHOLD` ink, or null when there is none. */
export function inkBox(ink, width, height) {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] < INK_THRESHOLD) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Area-averages the `box` of `ink` into a `tw × th` image (each target pixel is the mean of the source area it covers). */
function resample(ink, width, box, tw, th) {
  const out = new Float32Array(tw * th);
  const sx = box.width / tw;
  const sy = box.height / th;
  for (let ty = 0; ty < th; ty++) {
    const ya = box.y + ty * sy;
    const yb = ya + sy;
    for (let tx = 0; tx < tw; tx++) {
      const xa = box.x + tx * sx;
      const xb = xa + sx;
      let sum = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          sum += wx * wy * ink[y * width + x];
        }
      }
      out[ty * tw + tx] = sum / (sx * sy);
    }
  }
  return out;
}

/**
 * The 28×28 MNIST-style image of the digit in `ink` (`width × height`, 1 = ink), with the
 * box it was cropped from. An image without ink gives 784 zeros and `box: null`.
 */
export function mnistify(ink, width, height) {
  const pixels = new Float32Array(SIDE * SIDE);
  const box = inkBox(ink, width, height);
  if (box === null) return { pixels, box };
  const scale = BOX / Math.max(box.width, box.height);
  const tw = Math.max(1, Math.round(box.width * scale));
  const th = Math.max(1, Math.round(box.height * scale));
  const patch = resample(ink, width, box, tw, th);
  let max = 0;
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = patch[y * tw + x];
      if (v > max) max = v;
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  // Where the patch's top-left corner goes so that its centre of mass (in pixel indices, as
  // MNIST measured it) lands on pixel (14, 14).
  const ox = Math.round(SIDE / 2 - mx / mass);
  const oy = Math.round(SIDE / 2 - my / mass);
  for (let y = 0; y < th; y++) {
    const ty = y + oy;
    if (ty < 0 || ty >= SIDE) continue;
    for (let x = 0; x < tw; x++) {
      const tx = x + ox;
      if (tx < 0 || tx >= SIDE) continue;
      pixels[ty * SIDE + tx] = Math.min(1, patch[y * tw + x] / max);
    }
  }
  return { pixels, box };
}
