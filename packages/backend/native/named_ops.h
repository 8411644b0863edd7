// Things that cross from JavaScript by name: a table of {name, op} entries per kernel family, looked
// up by the string argument 0, and the tables listed back to JavaScript (op names, the geometries'
// field names) for a test to compare with its own lists.
#pragma once
#include <string>

#include "common.h"

namespace cnn {

// The op named by argument 0 among `table` (a RangeError naming the unknown op otherwise).
template <typename Entry, size_t N>
auto OpNamed(const Napi::CallbackInfo& info, const Entry (&table)[N], const char* fn) {
  Require(info, info[0].IsString(), std::string(fn) + ": the op must be a string");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  for (const auto& entry : table)
    if (name == entry.name) return entry.op;
  throw Napi::RangeError::New(info.Env(), std::string(fn) + ": unknown op '" + name + "'");
}

inline const char* NameOf(const char* name) { return name; }
template <typename Entry>
const char* NameOf(const Entry& entry) {
  return entry.name;
}

// The names of a table (of {name, op} entries, or of plain names) as a JavaScript array, in order.
template <typename T, size_t N>
Napi::Array Names(Napi::Env env, const T (&table)[N]) {
  auto names = Napi::Array::New(env, N);
  for (size_t i = 0; i < N; i++) names.Set(uint32_t(i), NameOf(table[i]));
  return names;
}

}  // namespace cnn
