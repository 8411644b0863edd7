import { basicCnn } from './basic-cnn';
import { batchnormCnn } from './batchnorm-cnn';
import { sequentialCnn } from './sequential-cnn';
import { smallCnn } from './small-cnn';
import { RECIPE_IDS, RECIPE_NAMES, type Recipe, type RecipeId, type RecipeName } from './types';
import { wideCnn } from './wide-cnn';

/** The five recipes in tutorial order ('000' first). */
export const RECIPES: readonly Recipe[] = Object.freeze([basicCnn, wideCnn, smallCnn, sequentialCnn, batchnormCnn]);

/** A recipe was asked for by a name or id that is not one of the five. */
export class UnknownRecipeError extends Error {
  override readonly name = 'UnknownRecipeError';
  constructor(
    /** What was asked for. */
    readonly requested: string,
    /** Every accepted name and id. */
    readonly valid: readonly string[] = [...RECIPE_NAMES, ...RECIPE_IDS],
  ) {
    super(`@cnn/zoo: no recipe '${requested}'; expected one of: ${valid.join(', ')}`);
  }
}

/** Whether `key` names a recipe (by name or by id). */
export function isRecipeKey(key: string): key is RecipeName | RecipeId {
  return RECIPES.some((r) => r.name === key || r.id === key);
}

/**
 * The recipe called `key`: a name (`'small-cnn'`) or a tutorial id (`'002'`). Throws
 * `UnknownRecipeError`, listing the valid names and ids, for anything else.
 */
export function recipe(key: RecipeName | RecipeId | (string & {})): Recipe {
  const found = RECIPES.find((r) => r.name === key || r.id === key);
  if (!found) throw new UnknownRecipeError(String(key));
  return found;
}
