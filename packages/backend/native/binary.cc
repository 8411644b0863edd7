// Threaded binary element-wise kernels with numpy-style broadcasting of up to 6 dimensions
// (broadcast.h); the unary ones are in unary.cc. JavaScript names the op by string (kBinaryOps,
// listed to JavaScript as binaryOps and compared with src/native/kernels/elementwise-ops.ts by a
// test), so no numeric op code crosses the boundary.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "broadcast.h"
#include "broadcast_strips.h"
#include "common.h"
#include "named_ops.h"
#include "threading.h"

namespace cnn {
namespace {

enum BinaryOp { kAdd, kSub, kMul, kDiv, kSquaredDiff, kMaximum, kMinimum };

struct NamedBinary {
  const char* name;
  BinaryOp op;
};
constexpr NamedBinary kBinaryOps[] = {
    {"add", kAdd},       {"sub", kSub},         {"mul", kMul},         {"div", kDiv},
    {"squaredDifference", kSquaredDiff}, {"maximum", kMaximum}, {"minimum", kMinimum},
};

template <int Op>
inline float Apply(float a, float b) {
  if constexpr (Op == kAdd) return a + b;
  if constexpr (Op == kSub) return a - b;
  if constexpr (Op == kMul) return a * b;
  if constexpr (Op == kDiv) return a / b;
  if constexpr (Op == kSquaredDiff) return (a - b) * (a - b);
  if constexpr (Op == kMaximum) return a > b || a != a ? a : b;  // NaN wins, as Math.max
  if constexpr (Op == kMinimum) return a < b || a != a ? a : b;
}

// int32 (counters such as batch norm's num_batches_tracked): computed in double and stored as
// JavaScript stores a number into an Int32Array (ToInt32: modulo 2^32), which is exactly what the
// cpu kernels do, overflow included. Div is refused before this.
inline int32_t ToInt32(double r) {
  if (!std::isfinite(r)) return 0;
  r = std::fmod(std::trunc(r), 4294967296.0);
  if (r < 0) r += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(r));
}

template <int Op>
inline int32_t Apply(int32_t a, int32_t b) {
  const double x = a, y = b;
  if constexpr (Op == kAdd) return ToInt32(x + y);
  if constexpr (Op == kSub) return ToInt32(x - y);
  if constexpr (Op == kMul) return ToInt32(x * y);
  if constexpr (Op == kDiv) return 0;
  if constexpr (Op == kSquaredDiff) return ToInt32((x - y) * (x - y));
  if constexpr (Op == kMaximum) return a > b ? a : b;
  if constexpr (Op == kMinimum) return a < b ? a : b;
}

// One run of `len` outputs along the innermost dimension; a's and b's strides there are 0 or 1.
template <int Op, typename T>
inline void Run(const T* a, const T* b, T* out, int64_t len, int64_t ia, int64_t ib) {
  if (ia && ib) {
#pragma omp simd
    for (int64_t i = 0; i < len; i++) out[i] = Apply<Op>(a[i], b[i]);
  } else if (ia) {
    const T v = b[0];
#pragma omp simd
    for (int64_t i = 0; i < len; i++) out[i] = Apply<Op>(a[i], v);
  } else if (ib) {
    const T v = a[0];
#pragma omp simd
    for (int64_t i = 0; i < len; i++) out[i] = Apply<Op>(v, b[i]);
  } else {
    const T v = Apply<Op>(a[0], b[0]);
    for (int64_t i = 0; i < len; i++) out[i] = v;
  }
}

// Splits the output in contiguous chunks (one per thread); each walks its rows of the innermost
// dimension with an odometer over the outer ones, so a chunk may start and end mid-row.
template <int Op, typename T>
void Binary(const BroadcastPlan& p, const T* a, const T* b, T* out) {
  if (BinaryStrips(p, a, b, out, [](T x, T y) { return Apply<Op>(x, y); })) return;
  const int last = p.rank - 1;
  const int64_t inner = p.dims[last];
  ParallelFor(p.size, [&](int64_t s, int64_t e) {
    int64_t idx[kMaxBroadcastRank] = {0};
    int64_t oa = 0, ob = 0;
    int64_t rest = s / inner;
    for (int d = last - 1; d >= 0; d--) {
      idx[d] = rest % p.dims[d];
      rest /= p.dims[d];
      oa += idx[d] * p.sa[d];
      ob += idx[d] * p.sb[d];
    }
    int64_t col = s % inner;
    for (int64_t i = s; i < e;) {
      const int64_t len = std::min(inner - col, e - i);
      Run<Op>(a + oa + col * p.sa[last], b + ob + col * p.sb[last], out + i, len, p.sa[last], p.sb[last]);
      i += len;
      col = 0;
      for (int d = last - 1; d >= 0; d--) {
        oa += p.sa[d];
        ob += p.sb[d];
        if (++idx[d] < p.dims[d]) break;
        oa -= p.sa[d] * p.dims[d];
        ob -= p.sb[d] * p.dims[d];
        idx[d] = 0;
      }
    }
  });
}

std::vector<int64_t> Shape(const Napi::CallbackInfo& info, size_t i, const char* what) {
  Require(info, info[i].IsArray(), std::string("binary: ") + what + " must be an array of dimensions");
  auto arr = info[i].As<Napi::Array>();
  std::vector<int64_t> v(arr.Length());
  for (uint32_t k = 0; k < arr.Length(); k++) {
    auto e = arr.Get(k);
    Require(info, e.IsNumber(), std::string("binary: ") + what + " must hold numbers");
    v[k] = e.As<Napi::Number>().Int64Value();
  }
  return v;
}

template <typename T>
void Dispatch(BinaryOp op, const BroadcastPlan& plan, const T* a, const T* b, T* out) {
  switch (op) {
    case kAdd: Binary<kAdd>(plan, a, b, out); break;
    case kSub: Binary<kSub>(plan, a, b, out); break;
    case kMul: Binary<kMul>(plan, a, b, out); break;
    case kDiv: Binary<kDiv>(plan, a, b, out); break;
    case kSquaredDiff: Binary<kSquaredDiff>(plan, a, b, out); break;
    case kMaximum: Binary<kMaximum>(plan, a, b, out); break;
    case kMinimum: Binary<kMinimum>(plan, a, b, out); break;
  }
}

// The element type of typed-array argument i: float32 or int32, else a TypeError.
napi_typedarray_type ElementType(const Napi::CallbackInfo& info, size_t i) {
  if (info[i].IsTypedArray()) {
    const auto type = info[i].As<Napi::TypedArray>().TypedArrayType();
    if (type == napi_float32_array || type == napi_int32_array) return type;
  }
  throw Napi::TypeError::New(info.Env(), "binary: argument " + std::to_string(i) + " must be a Float32Array or an Int32Array");
}

// binary(op, a, aShape, b, bShape, out): out has the broadcast shape of aShape and bShape; a, b
// and out are all Float32Arrays or all Int32Arrays (int32 without div).
Napi::Value BinaryFn(const Napi::CallbackInfo& info) {
  const BinaryOp op = OpNamed(info, kBinaryOps, "binary");
  const auto type = ElementType(info, 1);
  Require(info, ElementType(info, 3) == type && ElementType(info, 5) == type,
          "binary: a, b and out must have the same element type");
  Require(info, type == napi_float32_array || op != kDiv, "binary: div of int32 is not supported (tfjs gives float32)");
  const auto aShape = Shape(info, 2, "aShape");
  const auto bShape = Shape(info, 4, "bShape");
  BroadcastPlan plan;
  const std::string problem = PlanBroadcast(aShape, bShape, &plan);
  Require(info, problem.empty(), "binary: " + problem);
  int64_t na = 1, nb = 1;
  for (int64_t d : aShape) na = Product(info, "binary: a", na, d);
  for (int64_t d : bShape) nb = Product(info, "binary: b", nb, d);
  Require(info, Len(info, 1) == size_t(na), "binary: a has " + std::to_string(Len(info, 1)) + " elements, its shape " +
                                                std::to_string(na));
  Require(info, Len(info, 3) == size_t(nb), "binary: b has " + std::to_string(Len(info, 3)) + " elements, its shape " +
                                                std::to_string(nb));
  Require(info, Len(info, 5) == size_t(plan.size), "binary: out must have " + std::to_string(plan.size) + " elements");
  if (plan.size == 0) return info.Env().Undefined();
  if (type == napi_float32_array) {
    Dispatch(op, plan, F32(info, 1), F32(info, 3), F32(info, 5));
  } else {
    auto i32 = [&](size_t i) { return info[i].As<Napi::Int32Array>().Data(); };
    Dispatch<int32_t>(op, plan, i32(1), i32(3), i32(5));
  }
  return info.Env().Undefined();
}

}  // namespace

void InitBinary(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Guarded(env, "binary", BinaryFn));
  exports.Set("binaryOps", Names(env, kBinaryOps));
}

}  // namespace cnn
