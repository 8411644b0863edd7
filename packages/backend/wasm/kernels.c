// Memory-bound training kernels for the wasm backend, compiled to a small WebAssembly module
// (SIMD128) that imports tfjs-backend-wasm's own memory: every pointer below is a byte offset of
// a tensor on that heap, so nothing is copied in or out.
//
// The module must own no memory: no data segments, no stack (scripts/build-wasm.mjs checks
// both), since anything it placed in the imported memory would overwrite tfjs's heap. Hence no
// libc, no arrays on the stack, no static data.
//
// Every float operation is one IEEE float32 operation in the order the JavaScript loops and the
// composite tfjs ops use (no fused multiply-add, no reassociation), so results are bit-identical.

#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))

typedef float f32;

// ---- Adam / AdamW ----------------------------------------------------------------------------

enum { ADAM_INITIALIZE = 1, ADAM_APPLY_L2 = 2, ADAM_APPLY_DECAY = 4 };

// The float32 constants of an Adam step (adamScalars in @cnn/kernels).
typedef struct {
  f32 beta1, one_minus_beta1, beta2, one_minus_beta2, l2, decay_factor, bias_correction2_sqrt, eps,
      step_size;
} AdamScalars;

static inline v128_t adam_lane(v128_t p, v128_t g, v128_t m, v128_t v, v128_t *m_out, v128_t *v_out,
                               const AdamScalars *c, int32_t flags) {
  if (flags & ADAM_APPLY_DECAY) p = wasm_f32x4_mul(p, wasm_f32x4_splat(c->decay_factor));
  if (flags & ADAM_APPLY_L2) g = wasm_f32x4_add(g, wasm_f32x4_mul(p, wasm_f32x4_splat(c->l2)));
  const v128_t g2 = wasm_f32x4_mul(g, g);
  const v128_t gm = wasm_f32x4_mul(g, wasm_f32x4_splat(c->one_minus_beta1));
  const v128_t g2v = wasm_f32x4_mul(g2, wasm_f32x4_splat(c->one_minus_beta2));
  if (flags & ADAM_INITIALIZE) {
    m = gm;
    v = g2v;
  } else {
    m = wasm_f32x4_add(wasm_f32x4_mul(m, wasm_f32x4_splat(c->beta1)), gm);
    v = wasm_f32x4_add(wasm_f32x4_mul(v, wasm_f32x4_splat(c->beta2)), g2v);
  }
  *m_out = m;
  *v_out = v;
  const v128_t denom = wasm_f32x4_add(wasm_f32x4_div(wasm_f32x4_sqrt(v), wasm_f32x4_splat(c->bias_correction2_sqrt)),
                                      wasm_f32x4_splat(c->eps));
  return wasm_f32x4_sub(p, wasm_f32x4_mul(wasm_f32x4_div(m, denom), wasm_f32x4_splat(c->step_size)));
}

// One Adam step over n floats. The outputs may be the inputs themselves (updated in place): each
// element is read before it is written. The tail (n % 4) goes through the same code on a vector
// whose unused lanes are zero.
EXPORT(adam_update)
void adam_update(const f32 *param, const f32 *grad, const f32 *exp_avg, const f32 *exp_avg_sq, f32 *param_out,
                 f32 *exp_avg_out, f32 *exp_avg_sq_out, int32_t n, int32_t flags, f32 beta1, f32 one_minus_beta1,
                 f32 beta2, f32 one_minus_beta2, f32 l2, f32 decay_factor, f32 bias_correction2_sqrt, f32 eps,
                 f32 step_size) {
  const AdamScalars scalars = {beta1, one_minus_beta1, beta2, one_minus_beta2, l2, decay_factor, bias_correction2_sqrt,
                               eps, step_size};
  const AdamScalars *c = &scalars;
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t m, v;
    const v128_t p = adam_lane(wasm_v128_load(param + i), wasm_v128_load(grad + i), wasm_v128_load(exp_avg + i),
                               wasm_v128_load(exp_avg_sq + i), &m, &v, c, flags);
    wasm_v128_store(exp_avg_out + i, m);
    wasm_v128_store(exp_avg_sq_out + i, v);
    wasm_v128_store(param_out + i, p);
  }
  for (; i < n; i++) {
    v128_t m, v;
    const v128_t p = adam_lane(wasm_f32x4_splat(param[i]), wasm_f32x4_splat(grad[i]), wasm_f32x4_splat(exp_avg[i]),
                               wasm_f32x4_splat(exp_avg_sq[i]), &m, &v, c, flags);
    exp_avg_out[i] = wasm_f32x4_extract_lane(m, 0);
    exp_avg_sq_out[i] = wasm_f32x4_extract_lane(v, 0);
    param_out[i] = wasm_f32x4_extract_lane(p, 0);
  }
}

// ---- SGD (momentum, dampening, Nesterov, weight decay) -----------------------------------------

enum { SGD_APPLY_WEIGHT_DECAY = 1, SGD_WITH_BUFFER = 2, SGD_INITIALIZE = 4, SGD_NESTEROV = 8 };

// The float32 constants of an SGD step (sgdScalars in @cnn/kernels).
typedef struct {
  f32 lr, momentum, one_minus_dampening, weight_decay;
} SgdScalars;

static inline v128_t sgd_lane(v128_t p, v128_t g, v128_t b, v128_t *b_out, const SgdScalars *c, int32_t flags) {
  if (flags & SGD_APPLY_WEIGHT_DECAY) g = wasm_f32x4_add(g, wasm_f32x4_mul(p, wasm_f32x4_splat(c->weight_decay)));
  if (flags & SGD_WITH_BUFFER) {
    const v128_t momentum = wasm_f32x4_splat(c->momentum);
    if (flags & SGD_INITIALIZE) {
      b = g;
    } else {
      b = wasm_f32x4_add(wasm_f32x4_mul(b, momentum), wasm_f32x4_mul(g, wasm_f32x4_splat(c->one_minus_dampening)));
    }
    *b_out = b;
    g = (flags & SGD_NESTEROV) ? wasm_f32x4_add(g, wasm_f32x4_mul(b, momentum)) : b;
  }
  return wasm_f32x4_sub(p, wasm_f32x4_mul(g, wasm_f32x4_splat(c->lr)));
}

// One SGD step over n floats; `buffer` and `buffer_out` are read and written only with
// SGD_WITH_BUFFER. Outputs may alias their inputs.
EXPORT(sgd_update)
void sgd_update(const f32 *param, const f32 *grad, const f32 *buffer, f32 *param_out, f32 *buffer_out, int32_t n,
                int32_t flags, f32 lr, f32 momentum, f32 one_minus_dampening, f32 weight_decay) {
  const SgdScalars scalars = {lr, momentum, one_minus_dampening, weight_decay};
  const SgdScalars *c = &scalars;
  const int with_buffer = flags & SGD_WITH_BUFFER;
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t b = wasm_f32x4_splat(0), b_out = b;
    if (with_buffer) b = wasm_v128_load(buffer + i);
    const v128_t p = sgd_lane(wasm_v128_load(param + i), wasm_v128_load(grad + i), b, &b_out, c, flags);
    if (with_buffer) wasm_v128_store(buffer_out + i, b_out);
    wasm_v128_store(param_out + i, p);
  }
  for (; i < n; i++) {
    v128_t b = wasm_f32x4_splat(with_buffer ? buffer[i] : 0), b_out = b;
    const v128_t p = sgd_lane(wasm_f32x4_splat(param[i]), wasm_f32x4_splat(grad[i]), b, &b_out, c, flags);
    if (with_buffer) buffer_out[i] = wasm_f32x4_extract_lane(b_out, 0);
    param_out[i] = wasm_f32x4_extract_lane(p, 0);
  }
}

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

// ---- Input taps of a one-channel convolution (its filter gradient) ------------------------------

// taps[i * kw + j, position] for position = (n, y, x) in order: the input pixel
// x[n, y * sh + i - top, x * sw + j - left], 0 where that lies in the padding. These rows times
// dy [positions, out_channels] give the filter gradient [kh * kw, out_channels].
EXPORT(one_channel_taps)
void one_channel_taps(const f32 *x, f32 *taps, int32_t batch, int32_t in_h, int32_t in_w, int32_t out_h,
                      int32_t out_w, int32_t kh, int32_t kw, int32_t sh, int32_t sw, int32_t top, int32_t left) {
  for (int32_t i = 0; i < kh; i++) {
    for (int32_t j = 0; j < kw; j++) {
      // Output columns whose input column lies inside the image: [first, end).
      int32_t first = 0;
      while (first < out_w && first * sw + j - left < 0) first++;
      int32_t end = out_w;
      while (end > first && (end - 1) * sw + j - left >= in_w) end--;
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
      v128_t acc0 = wasm_f32x4_splat(0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      const f32 *b_j = b + j;
      for (int32_t t = 0; t < k; t++, b_j += n) {
        const v128_t s = wasm_f32x4_splat(a_i[t * a_col_step]);
        acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(s, wasm_v128_load(b_j)));
        acc1 = wasm_f32x4_add(acc1, wasm_f32x4_mul(s, wasm_v128_load(b_j + 4)));
        acc2 = wasm_f32x4_add(acc2, wasm_f32x4_mul(s, wasm_v128_load(b_j + 8)));
        acc3 = wasm_f32x4_add(acc3, wasm_f32x4_mul(s, wasm_v128_load(b_j + 12)));
      }
      wasm_v128_store(c_i + j, acc0);
      wasm_v128_store(c_i + j + 4, acc1);
      wasm_v128_store(c_i + j + 8, acc2);
      wasm_v128_store(c_i + j + 12, acc3);
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

// ---- Filter gradient of a one-channel convolution, computed directly ---------------------------

// Runs BODY with s = x_tap[p] (splat) and g = &dy[p, co] for the positions p of one filter tap (i, j) : the positions whose input pixel lies inside the image, in (n, y, x) order.
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
void one_channel_filter_grad(const f32 *x, const f32 *dy, f32 *dw, int32_t batch, int32_t in_h, int32_t in_w,
                             int32_t out_h, int32_t out_w, int32_t out_channels, int32_t kh, int32_t kw, int32_t sh,
                             int32_t sw, int32_t top, int32_t left) {
  for (int32_t i = 0; i < kh; i++) {
    for (int32_t j = 0; j < kw; j++) {
      int32_t first = 0;
      while (first < out_w && first * sw + j - left < 0) first++;
      int32_t end = out_w;
      while (end > first && (end - 1) * sw + j - left >= in_w) end--;
      f32 *dw_tap = dw + (i * kw + j) * out_channels;
      int32_t co = 0;
      for (; co + 16 <= out_channels; co += 16) {
        v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
        TAP_LOOP({
          a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, wasm_v128_load(g)));
          a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(s, wasm_v128_load(g + 4)));
          a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(s, wasm_v128_load(g + 8)));
          a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(s, wasm_v128_load(g + 12)));
        })
        wasm_v128_store(dw_tap + co, a0);
        wasm_v128_store(dw_tap + co + 4, a1);
        wasm_v128_store(dw_tap + co + 8, a2);
        wasm_v128_store(dw_tap + co + 12, a3);
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
