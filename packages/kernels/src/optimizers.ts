/** Kernel name of the fused SGD parameter update (see the helper that owns this file). */
export const SGD_UPDATE = 'CnnSgdUpdate';
/** Kernel name of the fused Adam / AdamW parameter update. */
export const ADAM_UPDATE = 'CnnAdamUpdate';
