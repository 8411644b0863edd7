/** Side of the MNIST image (28). */
export declare const SIDE: number;
/** Side of the box the digit is scaled into (20). */
export declare const BOX: number;
/** A pixel with at least this much ink (0.15) belongs to the digit's bounding box. */
export declare const INK_THRESHOLD: number;

/** A rectangle of pixels: top-left corner and size. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Ink (1 = ink) from grayscale `gray` (`width × height`, row-major, 1 = white): inverted when
 * the picture's border is light (dark ink on a light background), else unchanged.
 */
export declare function toInk(
  gray: ArrayLike<number>,
  width: number,
  height: number,
): { ink: Float32Array; inverted: boolean };

/** The bounding box of the pixels with at least `INK_THRESHOLD` ink, or null when there is none. */
export declare function inkBox(ink: ArrayLike<number>, width: number, height: number): PixelBox | null;

/**
 * MNIST preprocessing of one digit. Args: `ink` (`width × height`, row-major, 1 = ink).
 * Crops to the ink's bounding box, scales it to fit 20×20 keeping the aspect ratio, and
 * centres it by centre of mass in 28×28. Shape: `pixels` has 784 values in [0, 1], row-major.
 */
export declare function mnistify(
  ink: ArrayLike<number>,
  width: number,
  height: number,
): { pixels: Float32Array; box: PixelBox | null };
