// Threaded unary element-wise kernels (relu and its step gradient, neg, square, sqrt, rsqrt, exp,
// log). JavaScript names the op by string (kUnaryOps, listed to JavaScript as unaryOps and compared with
// src/native/kernels/elementwise-ops.ts by a test).
#include <cmath>
#include <string>

#include "common.h"
#include "named_ops.h"
#include "threading.h"

namespace cnn {
namespace {

enum UnaryOp { kRelu, kStep, kNeg, kSquare, kSqrt, kRsqrt, kExp, kLog };

struct NamedUnary {
  const char* name;
  UnaryOp op;
};
constexpr NamedUnary kUnaryOps[] = {
    {"relu", kRelu}, {"step", kStep}, {"neg", kNeg}, {"square", kSquare},
    {"sqrt", kSqrt}, {"rsqrt", kRsqrt}, {"exp", kExp}, {"log", kLog},
};

// unary(op, x, out, alpha): alpha is Step's value for x <= 0.
Napi::Value UnaryFn(const Napi::CallbackInfo& info) {
  const UnaryOp op = OpNamed(info, kUnaryOps, "unary");
  const float* x = F32(info, 1);
  float* y = F32(info, 2);
  const float alpha = F(info, 3);
  const int64_t n = static_cast<int64_t>(Len(info, 1));
  Require(info, Len(info, 2) == size_t(n), "unary: out size");
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

void InitUnary(Napi::Env env, Napi::Object exports) {
  exports.Set("unary", Guarded(env, "unary", UnaryFn));
  exports.Set("unaryOps", Names(env, kUnaryOps));
}

}  // namespace cnn
