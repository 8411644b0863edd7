// The geometry of a convolution or of a pooling window. JavaScript passes it as an array of numbers
// in the order of kConvGeometryFields / kPoolGeometryFields; src/native/geometry.ts holds the same
// lists, the addon exports these as convGeometryFields / poolGeometryFields, and a test checks that
// the two sides agree, so neither side can reorder a field alone.
#pragma once
#include <string>

#include "common.h"
#include "dnnl_context.h"
#include "threading.h"

namespace cnn {

constexpr const char* kConvGeometryFields[] = {
    "batchSize",    "inHeight",    "inWidth",        "inChannels",  // x: NHWC
    "filterHeight", "filterWidth", "outChannels",                   // filter: HWIO
    "outHeight",    "outWidth",                                     // y: NHWC
    "strideHeight", "strideWidth", "dilationHeight", "dilationWidth",
    "padTop",       "padLeft",     "padBottom",      "padRight",
};

constexpr const char* kPoolGeometryFields[] = {
    "batchSize",    "inHeight",    "inWidth",   "channels",  // x: NHWC
    "filterHeight", "filterWidth", "outHeight", "outWidth",  // window, y
    "strideHeight", "strideWidth", "padTop",    "padLeft",
};

// One 2-D convolution: NHWC data, HWIO filters (as tfjs), on oneDNN. Members in field order.
struct ConvGeometry {
  int64_t n, h, w, c, kh, kw, o, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr;

  double Flops() const { return 2.0 * n * oh * ow * o * c * kh * kw; }
  // The thread count is part of the key: primitives are built for the threads they run on.
  std::string Key() const {
    return cnn::Key(n, h, w, c, kh, kw, o, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr, ThreadsFor(Flops()));
  }
  dnnl::memory::desc Src() const { return Desc({n, c, h, w}, dnnl::memory::format_tag::nhwc); }
  dnnl::memory::desc Weights() const { return Desc({o, c, kh, kw}, dnnl::memory::format_tag::hwio); }
  dnnl::memory::desc Dst() const { return Desc({n, o, oh, ow}, dnnl::memory::format_tag::nhwc); }
  dnnl::memory::desc Bias() const { return Desc({o}, dnnl::memory::format_tag::a); }
  dnnl::memory::dims Strides() const { return {sh, sw}; }
  dnnl::memory::dims Dilates() const { return {dh - 1, dw - 1}; }
  dnnl::memory::dims PadL() const { return {pt, pl}; }
  // Far-side padding as the caller computed it for oneDNN (see kernels/conv.ts).
  dnnl::memory::dims PadR() const { return {pb, pr}; }

 private:
  static dnnl::memory::desc Desc(const dnnl::memory::dims& dims, dnnl::memory::format_tag layout) {
    return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, layout);
  }
};

// One max-pooling window over NHWC data. Members in field order.
struct PoolGeometry {
  int64_t n, h, w, c, kh, kw, oh, ow, sh, sw, pt, pl;
};

// Read argument i as a geometry, checked (sizes >= 1, strides >= 1, padding >= 0, consistent output
// size for conv, element counts that fit int64); a RangeError or TypeError names the bad field.
ConvGeometry ReadConvGeometry(const Napi::CallbackInfo& info, size_t i);
PoolGeometry ReadPoolGeometry(const Napi::CallbackInfo& info, size_t i);

// Exports convGeometryFields and poolGeometryFields.
void InitGeometry(Napi::Env env, Napi::Object exports);

}  // namespace cnn
