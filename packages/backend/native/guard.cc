// Guarded(): the one place where C++ exceptions of the kernels become JS errors. node-addon-api
// only converts Napi::Error by itself; a dnnl::error or std::bad_alloc escaping a callback would
// call std::terminate (SIGABRT). Each error gets `code` for the TypeScript side (kernels/util.ts):
//   (none)               bad arguments: the RangeError / TypeError thrown by the checks
//   CNN_NATIVE_ONEDNN    oneDNN refused or failed (its status and message are in the text)
//   CNN_NATIVE_MEMORY    an allocation failed (std::bad_alloc, or oneDNN's out_of_memory)
//   CNN_NATIVE_INTERNAL  any other C++ exception
#include <oneapi/dnnl/dnnl.hpp>

#include <new>
#include <string>

#include "common.h"

namespace cnn {
namespace {

Napi::Error Tagged(Napi::Env env, const std::string& message, const char* code) {
  auto e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  return e;
}

}  // namespace

Napi::Function Guarded(Napi::Env env, const char* name, KernelFn fn) {
  return Napi::Function::New(
      env,
      [name, fn](const Napi::CallbackInfo& info) -> Napi::Value {
        try {
          return fn(info);
        } catch (const Napi::Error&) {
          throw;  // the argument checks' RangeError / TypeError, as they are
        } catch (const dnnl::error& e) {
          const bool oom = e.status == dnnl_out_of_memory;
          throw Tagged(info.Env(),
                       std::string(name) + ": oneDNN " + (oom ? "ran out of memory" : "failed") + " (status " +
                           std::to_string(static_cast<int>(e.status)) + "): " + e.what(),
                       oom ? "CNN_NATIVE_MEMORY" : "CNN_NATIVE_ONEDNN");
        } catch (const std::bad_alloc&) {
          throw Tagged(info.Env(), std::string(name) + ": out of memory (allocation failed)", "CNN_NATIVE_MEMORY");
        } catch (const std::exception& e) {
          throw Tagged(info.Env(), std::string(name) + ": " + e.what(), "CNN_NATIVE_INTERNAL");
        } catch (...) {
          throw Tagged(info.Env(), std::string(name) + ": unknown C++ exception", "CNN_NATIVE_INTERNAL");
        }
      },
      name);
}

}  // namespace cnn
