// Tile (tfjs semantics: out.shape[d] = x.shape[d] * reps[d]) for float32 tensors of any rank:
// e.g. a per-channel vector [1, 1, 1, C] repeated over [N, H, W, 1] in batch-norm gradients.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"
#include "threading.h"

namespace cnn {
namespace {

std::vector<int64_t> ReadDims(const Napi::CallbackInfo& info, size_t i) {
  Require(info, info[i].IsArray(), "tile: argument " + std::to_string(i) + " must be an array");
  auto a = info[i].As<Napi::Array>();
  std::vector<int64_t> v(a.Length());
  for (uint32_t k = 0; k < a.Length(); k++) {
    auto e = a.Get(k);
    Require(info, e.IsNumber(), "tile: dims must be numbers");
    v[k] = e.As<Napi::Number>().Int64Value();
  }
  return v;
}

// tile(x, out, shape, reps)
Napi::Value TileFn(const Napi::CallbackInfo& info) {
  const float* x = F32(info, 0);
  float* out = F32(info, 1);
  const auto shape = ReadDims(info, 2);
  const auto reps = ReadDims(info, 3);
  const size_t rank = shape.size();
  Require(info, rank > 0 && reps.size() == rank, "tile: shape and reps must have the same rank > 0");
  int64_t inSize = 1, outSize = 1;
  for (size_t d = 0; d < rank; d++) {
    Require(info, shape[d] > 0 && reps[d] > 0, "tile: dims and reps must be positive");
    inSize = Product(info, "tile: x", inSize, shape[d]);
    outSize = Product(info, "tile: out", outSize, shape[d], reps[d]);
  }
  Require(info, Len(info, 0) == size_t(inSize), "tile: x size");
  Require(info, Len(info, 1) == size_t(outSize), "tile: out size");
  // The output is rows of the last output dim; row r comes from input row (r's index per dim mod shape).
  const int64_t inRow = shape[rank - 1];
  const int64_t outRow = inRow * reps[rank - 1];
  const int64_t rows = outSize / outRow;
  std::vector<int64_t> outDims(rank), inStride(rank);
  int64_t s = 1;
  for (size_t d = rank; d-- > 0;) {
    outDims[d] = shape[d] * reps[d];
    inStride[d] = s;
    s *= shape[d];
  }
  ParallelFor(rows, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      // Input offset of row r: decompose r over the output dims 0..rank-2.
      int64_t rem = r, src = 0;
      for (size_t d = rank - 1; d-- > 0;) {
        const int64_t idx = rem % outDims[d];
        rem /= outDims[d];
        src += (idx % shape[d]) * inStride[d];
      }
      float* dst = out + r * outRow;
      if (inRow == 1) {
        const float v = x[src];
        for (int64_t j = 0; j < outRow; j++) dst[j] = v;
      } else {
        for (int64_t k = 0; k < reps[rank - 1]; k++) std::memcpy(dst + k * inRow, x + src, sizeof(float) * inRow);
      }
    }
  }, std::max<int64_t>(1, kParallelMin / outRow));
  return info.Env().Undefined();
}

}  // namespace

void InitTile(Napi::Env env, Napi::Object exports) { exports.Set("tile", Guarded(env, "tile", TileFn)); }

}  // namespace cnn
