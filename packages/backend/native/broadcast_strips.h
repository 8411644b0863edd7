// Binary ops over rows of a short innermost dimension where one operand repeats every row, e.g. a
// bias add [N*H*W, C] + [C] with C = 10: a loop of C elements per row is mostly loop overhead, so
// the repeated row is tiled into a strip of whole rows and the op runs over long contiguous strips.
// Each output element is still op(a[i], b[j]) of the same two values: results are bit for bit those
// of the row-by-row loop.
#pragma once
#include <algorithm>
#include <cstdint>

#include "broadcast.h"
#include "strips.h"
#include "threading.h"

namespace cnn {

// Runs out = op(a, b) when `p` is [rows, inner] with one operand contiguous and the other one row
// repeated (strides [0, 1]) and inner < kStripRowMax; returns false (nothing done) otherwise.
template <typename T, typename Op>
bool BinaryStrips(const BroadcastPlan& p, const T* a, const T* b, T* out, Op op) {
  if (p.rank != 2 || p.dims[1] >= kStripRowMax) return false;
  const int64_t inner = p.dims[1], rows = p.dims[0];
  const bool bRepeats = p.sa[0] == inner && p.sa[1] == 1 && p.sb[0] == 0 && p.sb[1] == 1;
  const bool aRepeats = p.sb[0] == inner && p.sb[1] == 1 && p.sa[0] == 0 && p.sa[1] == 1;
  if (!bRepeats && !aRepeats) return false;
  const int64_t per = RowsPerStrip(inner);
  T strip[kStripMin + kStripRowMax];
  const T* row = bRepeats ? b : a;
  const T* full = bRepeats ? a : b;
  for (int64_t r = 0; r < per; r++) std::copy(row, row + inner, strip + r * inner);
  ParallelFor(
      rows,
      [&](int64_t s, int64_t e) {
        for (int64_t r = s; r < e; r += per) {
          const int64_t n = std::min(per, e - r) * inner;
          const T* x = full + r * inner;
          T* o = out + r * inner;
          if (bRepeats) {
#pragma omp simd
            for (int64_t i = 0; i < n; i++) o[i] = op(x[i], strip[i]);
          } else {
#pragma omp simd
            for (int64_t i = 0; i < n; i++) o[i] = op(strip[i], x[i]);
          }
        }
      },
      p.size < kParallelMin ? rows + 1 : 1);
  return true;
}

}  // namespace cnn
