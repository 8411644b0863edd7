// Reading the conv and pool geometries from JavaScript (field lists in geometry.h).
#include "geometry.h"

#include <iterator>

#include "named_ops.h"

namespace cnn {
namespace {

constexpr size_t kConvFields = std::size(kConvGeometryFields);
constexpr size_t kPoolFields = std::size(kPoolGeometryFields);
static_assert(sizeof(ConvGeometry) == kConvFields * sizeof(int64_t), "one ConvGeometry member per field");
static_assert(sizeof(PoolGeometry) == kPoolFields * sizeof(int64_t), "one PoolGeometry member per field");

// Reads argument i, an array with one number per entry of `names`, into `out`.
template <size_t N>
void ReadFields(const Napi::CallbackInfo& info, size_t i, const std::string& fn, const char* const (&names)[N],
                int64_t (&out)[N]) {
  Require(info, info[i].IsArray(), fn + ": argument " + std::to_string(i) + " must be an array (the geometry)");
  auto a = info[i].As<Napi::Array>();
  Require(info, a.Length() == N,
          fn + ": geometry must have " + std::to_string(N) + " entries, got " + std::to_string(a.Length()));
  for (uint32_t k = 0; k < N; k++) {
    auto e = a.Get(k);
    Require(info, e.IsNumber(), fn + ": geometry field " + names[k] + " is not a number");
    out[k] = e.As<Napi::Number>().Int64Value();
  }
}

}  // namespace

ConvGeometry ReadConvGeometry(const Napi::CallbackInfo& info, size_t i) {
  int64_t v[kConvFields];
  ReadFields(info, i, "conv", kConvGeometryFields, v);
  ConvGeometry g{v[0], v[1], v[2],  v[3],  v[4],  v[5],  v[6],  v[7], v[8],
                 v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16]};
  // Every size >= 1, strides and dilations >= 1, padding >= 0: checked before any division.
  Require(info, g.n > 0 && g.h > 0 && g.w > 0 && g.c > 0 && g.kh > 0 && g.kw > 0 && g.o > 0,
          "conv: every input, filter and channel size must be >= 1");
  Require(info, g.oh > 0 && g.ow > 0, "conv: output size must be >= 1 (kernel larger than the padded input?)");
  Require(info, g.sh > 0 && g.sw > 0 && g.dh > 0 && g.dw > 0, "conv: strides and dilations must be >= 1");
  Require(info, g.pt >= 0 && g.pl >= 0 && g.pb >= 0 && g.pr >= 0, "conv: padding must be >= 0");
  // oneDNN's output size: floor((in - dilated kernel + near + far) / stride) + 1.
  const auto out = [](int64_t in, int64_t k, int64_t d, int64_t s, int64_t a, int64_t b) {
    const int64_t span = in - ((k - 1) * d + 1) + a + b;
    return span < 0 ? int64_t{-1} : span / s + 1;
  };
  Require(info, g.oh == out(g.h, g.kh, g.dh, g.sh, g.pt, g.pb) && g.ow == out(g.w, g.kw, g.dw, g.sw, g.pl, g.pr),
          "conv: geometry inconsistent with its output size");
  // The element counts the kernels compare buffer lengths with must not overflow.
  Product(info, "conv: x", g.n, g.h, g.w, g.c);
  Product(info, "conv: y", g.n, g.oh, g.ow, g.o);
  Product(info, "conv: filter", g.kh, g.kw, g.c, g.o);
  return g;
}

PoolGeometry ReadPoolGeometry(const Napi::CallbackInfo& info, size_t i) {
  int64_t v[kPoolFields];
  ReadFields(info, i, "maxPool", kPoolGeometryFields, v);
  PoolGeometry g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  Require(info, g.n > 0 && g.h > 0 && g.w > 0 && g.c > 0 && g.kh > 0 && g.kw > 0 && g.oh > 0 && g.ow > 0,
          "maxPool: bad geometry (every size must be >= 1)");
  Require(info, g.sh > 0 && g.sw > 0 && g.pt >= 0 && g.pl >= 0, "maxPool: bad geometry (strides must be >= 1, padding >= 0)");
  Product(info, "maxPool: x", g.n, g.h, g.w, g.c);
  Product(info, "maxPool: y", g.n, g.oh, g.ow, g.c);
  return g;
}

void InitGeometry(Napi::Env env, Napi::Object exports) {
  exports.Set("convGeometryFields", Names(env, kConvGeometryFields));
  exports.Set("poolGeometryFields", Names(env, kPoolGeometryFields));
}

}  // namespace cnn
