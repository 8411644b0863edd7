// Batch-norm inference formula (tfjs FusedBatchNorm): y = offset + (x - mean) * scale / sqrt(variance + eps),
// with mean, variance, scale and offset repeating every L elements of x (L = 1 or the channel count).
#include <algorithm>
#include <cmath>
#include <vector>

#include "common.h"
#include "threading.h"

namespace cnn {
namespace {

// Element j of a parameter of length 1 or L (nullptr gives `fallback`).
inline float At(const float* p, size_t len, int64_t j, float fallback) {
  if (!p) return fallback;
  return len == 1 ? p[0] : p[j];
}

// batchNorm(x, mean, variance, offset|null, scale|null, out, L, eps)
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  const float* x = F32(info, 0);
  const float* mean = F32(info, 1);
  const float* var = F32(info, 2);
  const float* offset = F32OrNull(info, 3);
  const float* scale = F32OrNull(info, 4);
  float* out = F32(info, 5);
  const int64_t len = I64(info, 6);
  const double eps = info[7].As<Napi::Number>().DoubleValue();
  const int64_t n = static_cast<int64_t>(Len(info, 0));
  Require(info, len > 0 && n % len == 0, "batchNorm: x size must be a multiple of the parameter length");
  Require(info, Len(info, 5) == size_t(n), "batchNorm: out size");
  const auto ok = [&](size_t i) {
    if (info[i].IsNull() || info[i].IsUndefined()) return true;
    const size_t l = Len(info, i);
    return l == 1 || l == size_t(len);
  };
  Require(info, ok(1) && ok(2) && ok(3) && ok(4), "batchNorm: parameters must have length 1 or L");
  // Per position j: y = x * k[j] + c[j] with k = scale / sqrt(var + eps), c = offset - mean * k.
  std::vector<float> k(len), m(len), c(len);
  const size_t lm = Len(info, 1), lv = Len(info, 2);
  const size_t lo = offset ? Len(info, 3) : 1, ls = scale ? Len(info, 4) : 1;
  for (int64_t j = 0; j < len; j++) {
    m[j] = At(mean, lm, j, 0.f);
    k[j] = static_cast<float>(At(scale, ls, j, 1.f) / std::sqrt(static_cast<double>(At(var, lv, j, 0.f)) + eps));
    c[j] = At(offset, lo, j, 0.f);
  }
  const float* kp = k.data();
  const float* mp = m.data();
  const float* cp = c.data();
  ParallelFor(n / len, [=](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * len;
      float* yr = out + r * len;
#pragma omp simd
      for (int64_t j = 0; j < len; j++) yr[j] = cp[j] + (xr[j] - mp[j]) * kp[j];
    }
  }, std::max<int64_t>(1, kParallelMin / len));
  return info.Env().Undefined();
}

}  // namespace

void InitBatchNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNorm", Guarded(env, "batchNorm", BatchNorm));
}

}  // namespace cnn
