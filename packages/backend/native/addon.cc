// Entry point of the cnn_native addon: each concept file registers its own functions.
#include <oneapi/dnnl/dnnl.hpp>

#include "common.h"
#include "threading.h"

namespace cnn {
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

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  InitMatmul(env, exports);
  InitConv(env, exports);
  InitPool(env, exports);
  InitElementwise(env, exports);
  InitReduce(env, exports);
  return exports;
}

}  // namespace cnn

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return cnn::Init(env, exports); }

NODE_API_MODULE(cnn_native, InitAddon)
