// Entry point of the cnn_native addon: each concept file registers its own functions.
#include <malloc.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdlib>

#include "common.h"
#include "geometry.h"
#include "threading.h"

namespace cnn {

// Fused training kernels (batchnorm_train.cc, cross_entropy.cc).
void InitBatchNormTrain(Napi::Env env, Napi::Object exports);
void InitCrossEntropy(Napi::Env env, Napi::Object exports);
// Fused optimizer updates (optimizers.cc).
void InitOptimizers(Napi::Env env, Napi::Object exports);

namespace {

// Library and thread count, shown by nativeStatus().
Napi::Value Info(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const dnnl_version_t* v = dnnl_version();
  auto o = Napi::Object::New(env);
  o.Set("library", "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                       std::to_string(v->patch) + " (OpenMP)");
  o.Set("threads", Threads());
  return o;
}

// Keeps big freed blocks (tensor buffers of up to 32 MiB) in the heap instead of unmapping them, so
// the next tensor reuses memory that is already paged in: a fresh mmap costs a page fault per 4 KiB
// on first write, ~3 ms for one 5 MB activation. CNN_NATIVE_MALLOPT=0 leaves malloc alone.
void TuneMalloc() {
  const char* env = std::getenv("CNN_NATIVE_MALLOPT");
  if (env && env[0] == '0') return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  TuneMalloc();
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  InitMatmul(env, exports);
  InitGeometry(env, exports);
  InitConv(env, exports);
  InitPool(env, exports);
  InitBinary(env, exports);
  InitUnary(env, exports);
  InitReduce(env, exports);
  InitTile(env, exports);
  InitBatchNorm(env, exports);
  InitOptimizers(env, exports);
  InitBatchNormTrain(env, exports);
  InitCrossEntropy(env, exports);
  return exports;
}

}  // namespace cnn

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return cnn::Init(env, exports); }

NODE_API_MODULE(cnn_native, InitAddon)
