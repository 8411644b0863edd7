// Threaded sum over the middle axis of a [outer, reduce, inner] view (e.g. bias gradients:
// [1, N*H*W, C]; row sums: [rows, cols, 1]), in float32 like the cpu backend.
#include <algorithm>
#include <vector>

#include "common.h"
#include "threading.h"

namespace cnn {
namespace {

// out[o, i] = sum_r x[o, r, i] for r in [r0, r1), accumulated into acc (length inner).
void SumRows(const float* x, int64_t reduce, int64_t inner, int64_t o, int64_t r0, int64_t r1, float* acc) {
  const float* base = x + o * reduce * inner;
  if (inner == 1) {
    float s = 0.f;
#pragma omp simd reduction(+ : s)
    for (int64_t r = r0; r < r1; r++) s += base[r];
    acc[0] += s;
    return;
  }
  for (int64_t r = r0; r < r1; r++) {
    const float* row = base + r * inner;
#pragma omp simd
    for (int64_t i = 0; i < inner; i++) acc[i] += row[i];
  }
}

// reduceSum(x, out, outer, reduce, inner, divisor?): the sums divided by divisor (default 1; reduce gives a
// mean).
Napi::Value ReduceSum(const Napi::CallbackInfo& info) {
  const float* x = F32(info, 0);
  float* out = F32(info, 1);
  const int64_t outer = I64(info, 2), reduce = I64(info, 3), inner = I64(info, 4);
  const float divisor = info.Length() > 5 && info[5].IsNumber() ? F(info, 5) : 1.f;
  Require(info, outer > 0 && reduce > 0 && inner > 0, "reduceSum: bad dims");
  Require(info, Len(info, 0) == size_t(outer * reduce * inner), "reduceSum: x size");
  Require(info, Len(info, 1) == size_t(outer * inner), "reduceSum: out size");
  std::fill(out, out + outer * inner, 0.f);
  const int64_t total = outer * reduce * inner;
  const int threads = Threads();
  if (total < kParallelMin || threads == 1) {
    for (int64_t o = 0; o < outer; o++) SumRows(x, reduce, inner, o, 0, reduce, out + o * inner);
  } else if (outer >= threads) {
    ParallelFor(outer, [&](int64_t s, int64_t e) {
      for (int64_t o = s; o < e; o++) SumRows(x, reduce, inner, o, 0, reduce, out + o * inner);
    }, 1);
  } else {
    // Few outputs: split the reduced axis, each thread sums into its own partial.
    std::vector<float> partial(size_t(threads) * outer * inner, 0.f);
    ParallelFor(reduce, [&](int64_t s, int64_t e) {
      float* mine = partial.data() + size_t(omp_get_thread_num()) * outer * inner;
      for (int64_t o = 0; o < outer; o++) SumRows(x, reduce, inner, o, s, e, mine + o * inner);
    }, 1);
    for (int t = 0; t < threads; t++) {
      const float* p = partial.data() + size_t(t) * outer * inner;
      for (int64_t i = 0; i < outer * inner; i++) out[i] += p[i];
    }
  }
  if (divisor != 1.f) {
    for (int64_t i = 0; i < outer * inner; i++) out[i] /= divisor;
  }
  return info.Env().Undefined();
}

}  // namespace

void InitReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("reduceSum", Napi::Function::New(env, ReduceSum, "reduceSum"));
}

}  // namespace cnn
