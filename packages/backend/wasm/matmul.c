// Matrix products too small for XNNPACK's packing to pay off.
#include "simd.h"

// ---- Small matrix products ----------------------------------------------------------------------

// c [m, n] = op(a) op(b) with op(a) [m, k] and op(b) [k, n], for products too small to repay
// XNNPACK's packing of b. transpose_a: a is stored [k, m]; transpose_b: b is stored [n, k] (not
// both). Each output accumulates its k terms in order, from 0, except with transpose_b, where four
// partial sums (every fourth term) are added at the end.
EXPORT(small_matmul)
void small_matmul(const f32 *a, const f32 *b, f32 *c, int32_t m, int32_t k, int32_t n, int32_t transpose_a,
                  int32_t transpose_b) {
  if (transpose_b) {
    // Rows of a times rows of b: both contiguous along k.
    const int32_t vector_k = k & ~3;
    for (int32_t i = 0; i < m; i++) {
      const f32 *row_a = a + i * k;
      for (int32_t j = 0; j < n; j++) {
        const f32 *row_b = b + j * k;
        v128_t acc = wasm_f32x4_splat(0);
        int32_t t = 0;
        for (; t < vector_k; t += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(row_a + t), wasm_v128_load(row_b + t)));
        f32 sum = (wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) +
                  (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3));
        for (; t < k; t++) sum += row_a[t] * row_b[t];
        c[i * n + j] = sum;
      }
    }
    return;
  }
  // Each output row as a sum of b's rows scaled by that row of op(a): vectors along n.
  const int32_t a_row_step = transpose_a ? 1 : k;
  const int32_t a_col_step = transpose_a ? m : 1;
  const int32_t vector_n = n & ~3;
  for (int32_t i = 0; i < m; i++) {
    const f32 *a_i = a + i * a_row_step;
    f32 *c_i = c + i * n;
    int32_t j = 0;
    for (; j + 16 <= vector_n; j += 16) {
      f32x16 acc = f32x16_zero();
      const f32 *b_j = b + j;
      for (int32_t t = 0; t < k; t++, b_j += n) acc = f32x16_add_scaled(acc, wasm_f32x4_splat(a_i[t * a_col_step]), b_j);
      f32x16_store(c_i + j, acc);
    }
    for (; j < vector_n; j += 4) {
      v128_t acc = wasm_f32x4_splat(0);
      const f32 *b_j = b + j;
      for (int32_t t = 0; t < k; t++, b_j += n) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_f32x4_splat(a_i[t * a_col_step]), wasm_v128_load(b_j)));
      wasm_v128_store(c_i + j, acc);
    }
    for (; j < n; j++) {
      f32 acc = 0;
      for (int32_t t = 0; t < k; t++) acc += a_i[t * a_col_step] * b[t * n + j];
      c_i[j] = acc;
    }
  }
}
