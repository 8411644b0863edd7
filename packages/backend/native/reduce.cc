// Threaded sum over the middle axis of a [outer, reduce, inner] view (e.g. bias gradients:
// [1, N*H*W, C]; row sums: [rows, cols, 1]). Accumulates in double, like the cpu backend (a JS
// number), so that 1e7 x 0.1 sums to 1e6 and not to 997 297.75 as a float32 accumulator does.
#include <algorithm>
#include <vector>

#include "common.h"
#include "strips.h"
#include "threading.h"

namespace cnn {
namespace {

// acc[i] += sum_r x[o, r, i] for r in [r0, r1) (in strips of rows: the order of the double
// additions differs from row by row, the float32 result practically never does).
void SumRows(const float* x, int64_t reduce, int64_t inner, int64_t o, int64_t r0, int64_t r1, double* acc) {
  const float* base = x + o * reduce * inner;
  if (inner == 1) {
    double s = 0.0;
#pragma omp simd reduction(+ : s)
    for (int64_t r = r0; r < r1; r++) s += static_cast<double>(base[r]);
    acc[0] += s;
    return;
  }
  int64_t r = r0;
  if (inner < kStripRowMax) {
    // Short rows (bias gradients of few channels): sum strips of `per` whole rows into `strip`,
    // one long vectorised loop per strip instead of one short loop per row, then fold the strip.
    const int64_t per = RowsPerStrip(inner), n = per * inner;
    double strip[kStripMin + kStripRowMax] = {};
    for (; r + per <= r1; r += per) {
      const float* block = base + r * inner;
#pragma omp simd
      for (int64_t i = 0; i < n; i++) strip[i] += static_cast<double>(block[i]);
    }
    for (int64_t k = 0; k < per; k++)
      for (int64_t i = 0; i < inner; i++) acc[i] += strip[k * inner + i];
  }
  for (; r < r1; r++) {
    const float* row = base + r * inner;
#pragma omp simd
    for (int64_t i = 0; i < inner; i++) acc[i] += static_cast<double>(row[i]);
  }
}

// reduceSum(x, out, outer, reduce, inner, divisor?): the sums divided by divisor (default 1; reduce gives a
// mean), rounded to float32 once at the end.
Napi::Value ReduceSum(const Napi::CallbackInfo& info) {
  const float* x = F32(info, 0);
  float* out = F32(info, 1);
  const int64_t outer = I64(info, 2), reduce = I64(info, 3), inner = I64(info, 4);
  const double divisor = info.Length() > 5 && info[5].IsNumber() ? info[5].As<Napi::Number>().DoubleValue() : 1.0;
  Require(info, outer > 0 && reduce > 0 && inner > 0, "reduceSum: bad dims");
  Require(info, Len(info, 0) == size_t(Product(info, "reduceSum: x", outer, reduce, inner)), "reduceSum: x size");
  Require(info, Len(info, 1) == size_t(outer * inner), "reduceSum: out size");
  const int64_t total = outer * reduce * inner;
  const int threads = Threads();
  std::vector<double> acc(size_t(outer * inner), 0.0);
  if (total < kParallelMin || threads == 1) {
    for (int64_t o = 0; o < outer; o++) SumRows(x, reduce, inner, o, 0, reduce, acc.data() + o * inner);
  } else if (outer >= threads) {
    ParallelFor(outer, [&](int64_t s, int64_t e) {
      for (int64_t o = s; o < e; o++) SumRows(x, reduce, inner, o, 0, reduce, acc.data() + o * inner);
    }, 1);
  } else {
    // Few outputs: split the reduced axis, each thread sums into its own partial.
    std::vector<double> partial(size_t(threads) * outer * inner, 0.0);
    ParallelFor(reduce, [&](int64_t s, int64_t e) {
      double* mine = partial.data() + size_t(omp_get_thread_num()) * outer * inner;
      for (int64_t o = 0; o < outer; o++) SumRows(x, reduce, inner, o, s, e, mine + o * inner);
    }, 1);
    for (int t = 0; t < threads; t++) {
      const double* p = partial.data() + size_t(t) * outer * inner;
      for (int64_t i = 0; i < outer * inner; i++) acc[i] += p[i];
    }
  }
  for (int64_t i = 0; i < outer * inner; i++) out[i] = static_cast<float>(acc[i] / divisor);
  return info.Env().Undefined();
}

}  // namespace

void InitReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("reduceSum", Guarded(env, "reduceSum", ReduceSum));
}

}  // namespace cnn
