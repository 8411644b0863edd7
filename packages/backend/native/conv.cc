// 2-D convolution (NHWC data, HWIO filters, as tfjs) on oneDNN: forward, input and filter gradients.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common.h"
#include "dnnl_context.h"
#include "geometry.h"
#include "staged.h"
#include "threading.h"

namespace cnn {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
constexpr auto f32 = memory::data_type::f32;
constexpr auto kDirect = dnnl::algorithm::convolution_direct;

bool Verbose() {
  static bool v = std::getenv("CNN_NATIVE_VERBOSE") != nullptr;
  return v;
}

template <typename PD>
void Log(const char* what, const ConvGeometry& g, const PD& pd) {
  if (Verbose()) std::fprintf(stderr, "cnn_native %s %s: %s\n", what, g.Key().c_str(), pd.impl_info_str());
}

struct Forward {
  dnnl::convolution_forward prim;
  Staged x, w, b, y;
};
struct BackwardData {
  dnnl::convolution_backward_data prim;
  Staged dy, w, dx;
};
struct BackwardWeights {
  dnnl::convolution_backward_weights prim;
  Staged x, dy, dw;
};

// Per thread: each JS environment (main thread, worker_thread) has its own caches.
PrimitiveCache<Forward>& ForwardCache() { return PerThread<PrimitiveCache<Forward>>(); }
PrimitiveCache<BackwardData>& BackwardDataCache() { return PerThread<PrimitiveCache<BackwardData>>(); }
PrimitiveCache<BackwardWeights>& BackwardWeightsCache() { return PerThread<PrimitiveCache<BackwardWeights>>(); }

// Weights with format "any": oneDNN picks its fastest (blocked) layout, Staged reorders (tiny).
memory::desc Any(const memory::desc& d) { return memory::desc(d.dims(), f32, tag::any); }

// Activations stay in the caller's NHWC: at the tutorials' sizes oneDNN's NHWC kernels (brgconv
// forward, avx512 backward) beat its blocked ones even before counting the reorders in and out
// (002 step: 5.6 vs 8.7 ms of convolution). CNN_NATIVE_CONV_LAYOUT=blocked (read once) brings the
// blocked layouts back to compare on another machine.
bool BlockedActivations() {
  static const bool v = [] {
    const char* env = std::getenv("CNN_NATIVE_CONV_LAYOUT");
    return env != nullptr && std::string(env) == "blocked";
  }();
  return v;
}
memory::desc Act(const memory::desc& d) { return BlockedActivations() ? Any(d) : d; }

dnnl::convolution_forward::primitive_desc ForwardPd(const ConvGeometry& g, bool bias, const dnnl::primitive_attr& attr) {
  const auto kind = dnnl::prop_kind::forward_training;
  auto d = bias ? dnnl::convolution_forward::desc(kind, kDirect, Act(g.Src()), Any(g.Weights()), g.Bias(),
                                                  Act(g.Dst()), g.Strides(), g.Dilates(), g.PadL(), g.PadR())
                : dnnl::convolution_forward::desc(kind, kDirect, Act(g.Src()), Any(g.Weights()), Act(g.Dst()),
                                                  g.Strides(), g.Dilates(), g.PadL(), g.PadR());
  return dnnl::convolution_forward::primitive_desc(d, attr, Engine());
}

// conv2d(x, filter, bias|null, y, geometry, relu)
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  auto g = ReadConvGeometry(info, 4);
  ThreadScope threads(ThreadsFor(g.Flops()));
  float* bias = F32OrNull(info, 2);
  const bool relu = B(info, 5);
  Require(info, Len(info, 0) == size_t(g.n * g.h * g.w * g.c), "conv2d: x size");
  Require(info, Len(info, 1) == size_t(g.kh * g.kw * g.c * g.o), "conv2d: filter size");
  Require(info, Len(info, 3) == size_t(g.n * g.oh * g.ow * g.o), "conv2d: y size");
  if (bias) Require(info, Len(info, 2) == size_t(g.o), "conv2d: bias size");
  auto& p = ForwardCache().Get(g.Key() + (bias ? "b" : "") + (relu ? "r" : ""), [&] {
    dnnl::primitive_attr attr;
    if (relu) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
      attr.set_post_ops(ops);
    }
    auto pd = ForwardPd(g, bias, attr);
    Log("conv2d", g, pd);
    return Forward{dnnl::convolution_forward(pd), Staged(g.Src(), pd.src_desc(), true),
                   Staged(g.Weights(), pd.weights_desc(), true), Staged(g.Bias(), g.Bias(), true),
                   Staged(g.Dst(), pd.dst_desc(), false)};
  });
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, p.x.In(F32(info, 0))},
                                       {DNNL_ARG_WEIGHTS, p.w.In(F32(info, 1))},
                                       {DNNL_ARG_DST, p.y.Out(F32(info, 3))}};
  if (bias) args.emplace(DNNL_ARG_BIAS, p.b.In(bias));
  p.prim.execute(Stream(), args);
  p.y.Finish();
  Stream().wait();
  return info.Env().Undefined();
}

// conv2dBackpropInput(dy, filter, dx, geometry)
Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo& info) {
  auto g = ReadConvGeometry(info, 3);
  ThreadScope threads(ThreadsFor(g.Flops()));
  Require(info, Len(info, 0) == size_t(g.n * g.oh * g.ow * g.o), "conv2dBackpropInput: dy size");
  Require(info, Len(info, 1) == size_t(g.kh * g.kw * g.c * g.o), "conv2dBackpropInput: filter size");
  Require(info, Len(info, 2) == size_t(g.n * g.h * g.w * g.c), "conv2dBackpropInput: dx size");
  auto& p = BackwardDataCache().Get(g.Key(), [&] {
    auto hint = ForwardPd(g, false, dnnl::primitive_attr());
    dnnl::convolution_backward_data::desc d(kDirect, Act(g.Src()), Any(g.Weights()), Act(g.Dst()), g.Strides(),
                                            g.Dilates(), g.PadL(), g.PadR());
    dnnl::convolution_backward_data::primitive_desc pd(d, Engine(), hint);
    Log("conv2dBackpropInput", g, pd);
    return BackwardData{dnnl::convolution_backward_data(pd), Staged(g.Dst(), pd.diff_dst_desc(), true),
                        Staged(g.Weights(), pd.weights_desc(), true), Staged(g.Src(), pd.diff_src_desc(), false)};
  });
  p.prim.execute(Stream(), {{DNNL_ARG_DIFF_DST, p.dy.In(F32(info, 0))},
                            {DNNL_ARG_WEIGHTS, p.w.In(F32(info, 1))},
                            {DNNL_ARG_DIFF_SRC, p.dx.Out(F32(info, 2))}});
  p.dx.Finish();
  Stream().wait();
  return info.Env().Undefined();
}

// conv2dBackpropFilter(x, dy, dfilter, geometry)
Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo& info) {
  auto g = ReadConvGeometry(info, 3);
  ThreadScope threads(ThreadsFor(g.Flops()));
  Require(info, Len(info, 0) == size_t(g.n * g.h * g.w * g.c), "conv2dBackpropFilter: x size");
  Require(info, Len(info, 1) == size_t(g.n * g.oh * g.ow * g.o), "conv2dBackpropFilter: dy size");
  Require(info, Len(info, 2) == size_t(g.kh * g.kw * g.c * g.o), "conv2dBackpropFilter: dfilter size");
  auto& p = BackwardWeightsCache().Get(g.Key(), [&] {
    auto hint = ForwardPd(g, false, dnnl::primitive_attr());
    dnnl::convolution_backward_weights::desc d(kDirect, Act(g.Src()), Any(g.Weights()), Act(g.Dst()), g.Strides(),
                                               g.Dilates(), g.PadL(), g.PadR());
    dnnl::convolution_backward_weights::primitive_desc pd(d, Engine(), hint);
    Log("conv2dBackpropFilter", g, pd);
    return BackwardWeights{dnnl::convolution_backward_weights(pd), Staged(g.Src(), pd.src_desc(), true),
                           Staged(g.Dst(), pd.diff_dst_desc(), true),
                           Staged(g.Weights(), pd.diff_weights_desc(), false)};
  });
  p.prim.execute(Stream(), {{DNNL_ARG_SRC, p.x.In(F32(info, 0))},
                            {DNNL_ARG_DIFF_DST, p.dy.In(F32(info, 1))},
                            {DNNL_ARG_DIFF_WEIGHTS, p.dw.Out(F32(info, 2))}});
  p.dw.Finish();
  Stream().wait();
  return info.Env().Undefined();
}

}  // namespace

void InitConv(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Guarded(env, "conv2d", Conv2d));
  exports.Set("conv2dBackpropInput", Guarded(env, "conv2dBackpropInput", Conv2dBackpropInput));
  exports.Set("conv2dBackpropFilter", Guarded(env, "conv2dBackpropFilter", Conv2dBackpropFilter));
}

}  // namespace cnn
