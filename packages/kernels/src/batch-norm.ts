/** Kernel name of the fused batch-norm forward (training mode). */
export const BATCH_NORM_TRAIN = 'CnnBatchNormTrain';
/** Kernel name of the fused batch-norm backward. */
export const BATCH_NORM_GRAD = 'CnnBatchNormGrad';
