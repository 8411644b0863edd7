// Shared helpers for reading Node-API arguments in the kernels.
#pragma once
#include <napi.h>

#include <cstdint>
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

// Each concept file adds its functions to the exports object.
void InitMatmul(Napi::Env env, Napi::Object exports);
void InitConv(Napi::Env env, Napi::Object exports);
void InitPool(Napi::Env env, Napi::Object exports);
void InitElementwise(Napi::Env env, Napi::Object exports);
void InitReduce(Napi::Env env, Napi::Object exports);
void InitTile(Napi::Env env, Napi::Object exports);
void InitBatchNorm(Napi::Env env, Napi::Object exports);

}  // namespace cnn
