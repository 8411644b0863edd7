// Row-wise kernels: sums of rows (bias gradients) and a row combined with every row (a bias).
#include "simd.h"

// ---- Sum of the rows of a [rows, cols] matrix (a bias gradient) ------------------------------

// out[c] = ((0 + x[0, c]) + x[1, c]) + ... in row order: the scalar loop's order, vectorised across
// columns only, so each column's additions happen in the same sequence. Rows outermost: x is read
// once, front to back, whatever its width.
EXPORT(sum_rows)
void sum_rows(const f32 *x, f32 *out, int32_t rows, int32_t cols) {
  const int32_t vector_cols = cols & ~3;
  for (int32_t c = 0; c < cols; c++) out[c] = 0;
  for (int32_t r = 0; r < rows; r++, x += cols) {
    int32_t c = 0;
    for (; c < vector_cols; c += 4) wasm_v128_store(out + c, wasm_f32x4_add(wasm_v128_load(out + c), wasm_v128_load(x + c)));
    for (; c < cols; c++) out[c] += x[c];
  }
}

// ---- A row combined with every row (a bias, or two tensors of one shape) ------------------------

#define ROW_KERNEL(NAME, VECTOR_OP, SCALAR_OP)                                                   \
  EXPORT(NAME)                                                                                    \
  void NAME(const f32 *x, const f32 *row, f32 *out, int32_t rows, int32_t cols) {                \
    const int32_t vector_cols = cols & ~3;                                                        \
    for (int32_t r = 0; r < rows; r++, x += cols, out += cols) {                                  \
      int32_t c = 0;                                                                              \
      for (; c < vector_cols; c += 4)                                                             \
        wasm_v128_store(out + c, VECTOR_OP(wasm_v128_load(x + c), wasm_v128_load(row + c)));      \
      for (; c < cols; c++) out[c] = x[c] SCALAR_OP row[c];                                       \
    }                                                                                             \
  }

// out[r, c] = x[r, c] + row[c] for x [rows, cols]; out may be x.
ROW_KERNEL(add_row, wasm_f32x4_add, +)
// out[r, c] = x[r, c] * row[c] for x [rows, cols]; out may be x.
ROW_KERNEL(multiply_row, wasm_f32x4_mul, *)
#undef ROW_KERNEL
