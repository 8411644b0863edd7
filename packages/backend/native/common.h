// Shared helpers for reading Node-API arguments in the kernels.
#pragma once
#include <napi.h>

#include <cstdint>
#include <limits>
#include <string>

namespace cnn {

// Pointer to the elements of a Float32Array argument (zero copy).
inline float* F32(const Napi::CallbackInfo& info, size_t i) {
  auto v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(info.Env(), "argument " + std::to_string(i) + " must be a Float32Array");
  }
  return v.As<Napi::Float32Array>().Data();
}

// Same, but null/undefined gives nullptr (optional inputs such as a bias).
inline float* F32OrNull(const Napi::CallbackInfo& info, size_t i) {
  if (info[i].IsNull() || info[i].IsUndefined()) return nullptr;
  return F32(info, i);
}

inline size_t Len(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsTypedArray()) {
    throw Napi::TypeError::New(info.Env(), "argument " + std::to_string(i) + " must be a typed array");
  }
  return info[i].As<Napi::TypedArray>().ElementLength();
}

inline int64_t I64(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), "argument " + std::to_string(i) + " must be a number");
  }
  return info[i].As<Napi::Number>().Int64Value();
}

inline float F(const Napi::CallbackInfo& info, size_t i) {
  return info[i].As<Napi::Number>().FloatValue();
}

inline bool B(const Napi::CallbackInfo& info, size_t i) { return info[i].ToBoolean().Value(); }

inline void Require(const Napi::CallbackInfo& info, bool ok, const std::string& what) {
  if (!ok) throw Napi::RangeError::New(info.Env(), what);
}

// Product of non-negative sizes; throws a RangeError instead of overflowing int64.
template <typename... Ints>
int64_t Product(const Napi::CallbackInfo& info, const char* what, Ints... v) {
  int64_t p = 1;
  for (int64_t d : {static_cast<int64_t>(v)...}) {
    Require(info, d >= 0, std::string(what) + ": negative size");
    Require(info, d == 0 || p <= std::numeric_limits<int64_t>::max() / d, std::string(what) + ": size overflows");
    p *= d;
  }
  return p;
}

// A JS function that runs `fn` and turns every C++ exception (oneDNN errors, std::bad_alloc,
// anything else) into a JS Error whose message starts with the function's name and whose `code`
// says which kind it was: nothing thrown by a kernel may end the process.
using KernelFn = Napi::Value (*)(const Napi::CallbackInfo&);
Napi::Function Guarded(Napi::Env env, const char* name, KernelFn fn);

// Each concept file adds its functions to the exports object.
void InitMatmul(Napi::Env env, Napi::Object exports);
void InitConv(Napi::Env env, Napi::Object exports);
void InitPool(Napi::Env env, Napi::Object exports);
void InitBinary(Napi::Env env, Napi::Object exports);
void InitUnary(Napi::Env env, Napi::Object exports);
void InitReduce(Napi::Env env, Napi::Object exports);
void InitTile(Napi::Env env, Napi::Object exports);
void InitBatchNorm(Napi::Env env, Napi::Object exports);

}  // namespace cnn
