// Threaded element-wise kernels: binary ops with the broadcasts a network needs
// (same shape, a trailing vector such as a bias, a scalar) and unary activations.
#include <algorithm>
#include <cmath>

#include "common.h"
#include "threading.h"

namespace cnn {
namespace {

enum BinaryOp { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3, kSquaredDiff = 4 };
enum Broadcast { kSame = 0, kVectorB = 1, kVectorA = 2 };

template <int Op>
inline float Apply(float a, float b) {
  if constexpr (Op == kAdd) return a + b;
  if constexpr (Op == kSub) return a - b;
  if constexpr (Op == kMul) return a * b;
  if constexpr (Op == kDiv) return a / b;
  if constexpr (Op == kSquaredDiff) return (a - b) * (a - b);
}

// out[i] = a[i] op b[i % inner] (kVectorB), a[i % inner] op b[i] (kVectorA) or a[i] op b[i].
template <int Op>
void Binary(const float* a, const float* b, float* out, int64_t n, int64_t inner, int mode) {
  ParallelFor(n, [&](int64_t s, int64_t e) {
    if (mode == kSame) {
#pragma omp simd
      for (int64_t i = s; i < e; i++) out[i] = Apply<Op>(a[i], b[i]);
      return;
    }
    if (inner == 1) {
      const float v = mode == kVectorB ? b[0] : a[0];
      if (mode == kVectorB) {
#pragma omp simd
        for (int64_t i = s; i < e; i++) out[i] = Apply<Op>(a[i], v);
      } else {
#pragma omp simd
        for (int64_t i = s; i < e; i++) out[i] = Apply<Op>(v, b[i]);
      }
      return;
    }
    // Walk whole rows of `inner` elements (the chunk may start and end mid-row).
    int64_t i = s;
    while (i < e) {
      const int64_t j0 = i % inner;
      const int64_t len = std::min(inner - j0, e - i);
      if (mode == kVectorB) {
#pragma omp simd
        for (int64_t j = 0; j < len; j++) out[i + j] = Apply<Op>(a[i + j], b[j0 + j]);
      } else {
#pragma omp simd
        for (int64_t j = 0; j < len; j++) out[i + j] = Apply<Op>(a[j0 + j], b[i + j]);
      }
      i += len;
    }
  });
}

// binary(op, a, b, out, mode, inner): see Broadcast; out has the larger size.
Napi::Value BinaryFn(const Napi::CallbackInfo& info) {
  const int op = static_cast<int>(I64(info, 0));
  const float* a = F32(info, 1);
  const float* b = F32(info, 2);
  float* out = F32(info, 3);
  const int mode = static_cast<int>(I64(info, 4));
  const int64_t inner = I64(info, 5);
  const int64_t n = static_cast<int64_t>(Len(info, 3));
  const size_t small = mode == kSame ? n : inner;
  Require(info, mode >= kSame && mode <= kVectorA && inner > 0 && n % inner == 0, "binary: bad broadcast");
  Require(info, Len(info, 1) == (mode == kVectorA ? small : size_t(n)), "binary: a size");
  Require(info, Len(info, 2) == (mode == kVectorB ? small : size_t(n)), "binary: b size");
  switch (op) {
    case kAdd: Binary<kAdd>(a, b, out, n, inner, mode); break;
    case kSub: Binary<kSub>(a, b, out, n, inner, mode); break;
    case kMul: Binary<kMul>(a, b, out, n, inner, mode); break;
    case kDiv: Binary<kDiv>(a, b, out, n, inner, mode); break;
    case kSquaredDiff: Binary<kSquaredDiff>(a, b, out, n, inner, mode); break;
    default: Require(info, false, "binary: unknown op");
  }
  return info.Env().Undefined();
}

enum UnaryOp { kRelu = 0, kStep = 1, kNeg = 2, kSquare = 3, kSqrt = 4, kRsqrt = 5, kExp = 6, kLog = 7 };

// unary(op, x, out, alpha): alpha is Step's value for x <= 0.
Napi::Value UnaryFn(const Napi::CallbackInfo& info) {
  const int op = static_cast<int>(I64(info, 0));
  const float* x = F32(info, 1);
  float* y = F32(info, 2);
  const float alpha = F(info, 3);
  const int64_t n = static_cast<int64_t>(Len(info, 1));
  Require(info, Len(info, 2) == size_t(n), "unary: out size");
  Require(info, op >= kRelu && op <= kLog, "unary: unknown op");
  ParallelFor(n, [=](int64_t s, int64_t e) {  // by value: y can't alias alpha
    switch (op) {
      case kRelu:  // NaN stays NaN, as in tfjs
#pragma omp simd
        for (int64_t i = s; i < e; i++) y[i] = x[i] < 0.f ? 0.f : x[i];
        break;
      case kStep:
#pragma omp simd
        for (int64_t i = s; i < e; i++) {
          const float v = x[i] > 0.f ? 1.f : alpha;
          y[i] = x[i] == x[i] ? v : x[i];  // NaN stays NaN
        }
        break;
      case kNeg:
#pragma omp simd
        for (int64_t i = s; i < e; i++) y[i] = -x[i];
        break;
      case kSquare:
#pragma omp simd
        for (int64_t i = s; i < e; i++) y[i] = x[i] * x[i];
        break;
      case kSqrt:
#pragma omp simd
        for (int64_t i = s; i < e; i++) y[i] = std::sqrt(x[i]);
        break;
      case kRsqrt:
#pragma omp simd
        for (int64_t i = s; i < e; i++) y[i] = 1.f / std::sqrt(x[i]);
        break;
      case kExp:
        for (int64_t i = s; i < e; i++) y[i] = std::exp(x[i]);
        break;
      case kLog:
        for (int64_t i = s; i < e; i++) y[i] = std::log(x[i]);
        break;
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void InitElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Guarded(env, "binary", BinaryFn));
  exports.Set("unary", Guarded(env, "unary", UnaryFn));
}

}  // namespace cnn
