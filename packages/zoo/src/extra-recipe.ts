import type { AccuracyFigure, AugmentSettings, Recipe } from './types';

/** A one-cycle learning-rate schedule (`OneCycleLR` of `@cnn/train`) peaking at the recipe's lr. */
export interface OneCycleSettings {
  kind: 'one-cycle';
  /** Fraction of the steps spent warming up (default 0.3). */
  pctStart?: number;
  /** The first rate is the peak / divFactor (default 25). */
  divFactor?: number;
  /** The last rate is the first / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
}

/**
 * A recipe of this project's own, beyond the five tutorials: the same fields as a `Recipe`
 * (any id and name), a `goal` instead of a tutorial's reported accuracy, and optionally a
 * learning-rate `schedule`. `@cnn/runner` runs it like the tutorial recipes.
 */
export interface ExtraRecipe extends Omit<Recipe, 'id' | 'name' | 'source' | 'reported' | 'pytorch'> {
  id: string;
  name: string;
  /** The test accuracy the recipe is made to reach, after its epochs. */
  goal: AccuracyFigure;
  schedule?: OneCycleSettings;
  /** Random rotation, shift and zoom of each training image (test images are left alone). */
  augment?: AugmentSettings;
}
