// Filter gradients of one-channel convolutions (every model's first layer).
#include "simd.h"

typedef struct {
  int32_t first, end;
} column_range;

// The output columns [first, end) whose input column c * sw + offset lies inside [0, in_w).
static inline column_range inside_columns(int32_t in_w, int32_t out_w, int32_t sw, int32_t offset) {
  int32_t first = 0;
  while (first < out_w && first * sw + offset < 0) first++;
  int32_t end = out_w;
  while (end > first && (end - 1) * sw + offset >= in_w) end--;
  return (column_range){first, end};
}

// ---- Input taps of a one-channel convolution (its filter gradient) ------------------------------

// taps[i * kw + j, position] for position = (n, y, x) in order: the input pixel
// x[n, y * sh + i - top, x * sw + j - left], 0 where that lies in the padding. These rows times
// dy [positions, out_channels] give the filter gradient [kh * kw, out_channels].
EXPORT(one_channel_taps)
void one_channel_taps(const f32 *x, f32 *taps, int32_t batch, int32_t in_h, int32_t in_w, int32_t out_h,
                      int32_t out_w, int32_t kh, int32_t kw, int32_t sh, int32_t sw, int32_t top, int32_t left) {
  for (int32_t i = 0; i < kh; i++) {
    for (int32_t j = 0; j < kw; j++) {
      const column_range cols = inside_columns(in_w, out_w, sw, j - left);
      const int32_t first = cols.first, end = cols.end;
      for (int32_t n = 0; n < batch; n++) {
        const f32 *plane = x + n * in_h * in_w;
        for (int32_t y = 0; y < out_h; y++, taps += out_w) {
          const int32_t r = y * sh + i - top;
          if (r < 0 || r >= in_h) {
            for (int32_t c = 0; c < out_w; c++) taps[c] = 0;
            continue;
          }
          const f32 *from = plane + r * in_w + j - left;
          for (int32_t c = 0; c < first; c++) taps[c] = 0;
          if (sw == 1) {
            int32_t c = first;
            for (; c + 4 <= end; c += 4) wasm_v128_store(taps + c, wasm_v128_load(from + c));
            for (; c < end; c++) taps[c] = from[c];
          } else {
            for (int32_t c = first; c < end; c++) taps[c] = from[c * sw];
          }
          for (int32_t c = end; c < out_w; c++) taps[c] = 0;
        }
      }
    }
  }
}

// ---- Filter gradient of a one-channel convolution, computed directly ---------------------------

// Runs BODY with s = the tap's input pixel (splat) and g = &dy[p, co] for every position p of the
// filter tap (i, j) whose input pixel lies inside the image, in (n, y, x) order.
#define TAP_LOOP(BODY)                                                   \
  for (int32_t n = 0; n < batch; n++) {                                           \
    const f32 *plane = x + n * in_h * in_w;                                       \
    const f32 *dy_n = dy + n * out_h * out_w * out_channels;                      \
    for (int32_t y = 0; y < out_h; y++) {                                         \
      const int32_t r = y * sh + i - top;                                         \
      if (r < 0 || r >= in_h) continue;                                           \
      const f32 *from = plane + r * in_w + j - left;                              \
      const f32 *g = dy_n + (y * out_w + first) * out_channels + co;              \
      for (int32_t c = first; c < end; c++, g += out_channels) {                  \
        const v128_t s = wasm_f32x4_splat(from[c * sw]);                          \
        BODY                                                                      \
      }                                                                           \
    }                                                                             \
  }

// dw [kh, kw, 1, out_channels] for x [batch, in_h, in_w, 1] and dy [batch, out_h, out_w,
// out_channels]: dw[i, j, o] = sum over positions (n, y, x), in order, of
// x[n, y * sh + i - top, x * sw + j - left] * dy[n, y, x, o] (padding contributes nothing). For
// small layers, where packing dy for a matrix product costs more than this loop.
EXPORT(one_channel_filter_grad)
void one_channel_filter_grad(const f32 *x, const f32 *dy, f32 *dw, int32_t out_channels, int32_t batch, int32_t in_h,
                             int32_t in_w, int32_t out_h, int32_t out_w, int32_t kh, int32_t kw, int32_t sh, int32_t sw,
                             int32_t top, int32_t left) {
  for (int32_t i = 0; i < kh; i++) {
    for (int32_t j = 0; j < kw; j++) {
      const column_range cols = inside_columns(in_w, out_w, sw, j - left);
      const int32_t first = cols.first, end = cols.end;
      f32 *dw_tap = dw + (i * kw + j) * out_channels;
      int32_t co = 0;
      for (; co + 16 <= out_channels; co += 16) {
        f32x16 acc = f32x16_zero();
        TAP_LOOP({ acc = f32x16_add_scaled(acc, s, g); })
        f32x16_store(dw_tap + co, acc);
      }
      for (; co + 4 <= out_channels; co += 4) {
        v128_t a0 = wasm_f32x4_splat(0);
        TAP_LOOP({ a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, wasm_v128_load(g))); })
        wasm_v128_store(dw_tap + co, a0);
      }
      for (; co < out_channels; co++) {
        v128_t a0 = wasm_f32x4_splat(0);
        TAP_LOOP({ a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, wasm_f32x4_splat(*g))); })
        dw_tap[co] = wasm_f32x4_extract_lane(a0, 0);
      }
    }
  }
}
#undef TAP_LOOP
