/** A state dict that does not fit the model it is loaded into (missing or unexpected keys, wrong shapes). */
export class StateDictError extends Error {
  override name = 'StateDictError';
}
