/**
 * The element-wise ops of the addon, by the names native/binary.cc and native/unary.cc accept
 * (their kBinaryOps and kUnaryOps tables, which the addon also lists as `binaryOps` / `unaryOps`;
 * a test checks the two sides agree). The addon throws a RangeError for any other name.
 */
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'squaredDifference', 'maximum', 'minimum'] as const;

/** A binary op of the addon: out = a op b with numpy-style broadcasting. */
export type BinaryOpName = (typeof BINARY_OPS)[number];

/** The unary ops of the addon; `step` gives `alpha` for x <= 0 (relu's gradient). */
export const UNARY_OPS = ['relu', 'step', 'neg', 'square', 'sqrt', 'rsqrt', 'exp', 'log'] as const;

/** A unary op of the addon. */
export type UnaryOpName = (typeof UNARY_OPS)[number];
