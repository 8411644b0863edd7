// Fused optimizer updates: Adam / AdamW and SGD, in place.
#include "simd.h"

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
