/** Kernel name of the fused log-softmax + negative log-likelihood forward. */
export const CROSS_ENTROPY = 'CnnCrossEntropy';
/** Kernel name of the fused log-softmax + negative log-likelihood backward. */
export const CROSS_ENTROPY_GRAD = 'CnnCrossEntropyGrad';
