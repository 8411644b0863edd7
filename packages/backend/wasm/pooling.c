// The gradient of 2x2 stride-2 max-pooling.
#include "simd.h"

// ---- MaxPoolGrad for 2x2 windows, stride 2, no padding ----------------------------------------

// The lanes of `candidate` where it beats `best` strictly; `best` takes those values. A NaN never
// wins, as in the scalar scan.
static inline v128_t beats(v128_t candidate, v128_t *best) {
  const v128_t wins = wasm_f32x4_gt(candidate, *best);
  *best = wasm_v128_bitselect(candidate, *best, wins);
  return wins;
}

// dx for x [batch, in_h, in_w, channels] pooled to dy [batch, out_h, out_w, channels] with 2x2
// windows at stride 2 (2 * out_h <= in_h, 2 * out_w <= in_w). In each window the first of the
// four values (row-major) that is strictly greater than all before it, starting from -Infinity,
// takes the gradient; the other three get 0, so the window is written whole. Rows and columns no
// window covers are zeroed. Four channels at a time; channels % 4 through a scalar path.
EXPORT(maxpool_grad_2x2)
void maxpool_grad_2x2(const f32 *x, const f32 *dy, f32 *dx, int32_t batch, int32_t in_h, int32_t in_w,
                      int32_t channels, int32_t out_h, int32_t out_w) {
  const int32_t row = in_w * channels;
  const int32_t image = in_h * row;
  const int32_t vector_channels = channels & ~3;
  if (2 * out_h < in_h || 2 * out_w < in_w) {
    const int32_t total = batch * image;
    for (int32_t i = 0; i < total; i++) dx[i] = 0;
  }
  for (int32_t n = 0; n < batch; n++) {
    for (int32_t r = 0; r < out_h; r++) {
      int32_t top = n * image + 2 * r * row;
      for (int32_t c = 0; c < out_w; c++, top += 2 * channels, dy += channels) {
        const int32_t bottom = top + row;
        int32_t d = 0;
        for (; d < vector_channels; d += 4) {
          const int32_t p0 = top + d, p1 = p0 + channels, p2 = bottom + d, p3 = p2 + channels;
          v128_t best = wasm_f32x4_splat(-__builtin_inff());
          v128_t w0 = beats(wasm_v128_load(x + p0), &best);
          v128_t w1 = beats(wasm_v128_load(x + p1), &best);
          w0 = wasm_v128_andnot(w0, w1);
          v128_t w2 = beats(wasm_v128_load(x + p2), &best);
          w0 = wasm_v128_andnot(w0, w2);
          w1 = wasm_v128_andnot(w1, w2);
          const v128_t w3 = beats(wasm_v128_load(x + p3), &best);
          w0 = wasm_v128_andnot(w0, w3);
          w1 = wasm_v128_andnot(w1, w3);
          w2 = wasm_v128_andnot(w2, w3);
          const v128_t g = wasm_v128_load(dy + d);
          wasm_v128_store(dx + p0, wasm_v128_and(g, w0));
          wasm_v128_store(dx + p1, wasm_v128_and(g, w1));
          wasm_v128_store(dx + p2, wasm_v128_and(g, w2));
          wasm_v128_store(dx + p3, wasm_v128_and(g, w3));
        }
        for (; d < channels; d++) {
          const int32_t p0 = top + d, p1 = p0 + channels, p2 = bottom + d, p3 = p2 + channels;
          const f32 v0 = x[p0], v1 = x[p1], v2 = x[p2], v3 = x[p3];
          int32_t at = -1;
          f32 best = -__builtin_inff();
          if (v0 > best) best = v0, at = p0;
          if (v1 > best) best = v1, at = p1;
          if (v2 > best) best = v2, at = p2;
          if (v3 > best) at = p3;
          dx[p0] = dx[p1] = dx[p2] = dx[p3] = 0;
          if (at >= 0) dx[at] = dy[d];
        }
      }
    }
  }
}
