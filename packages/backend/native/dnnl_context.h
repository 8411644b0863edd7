// One oneDNN engine and stream for the process, plus a cache of primitives by shape key.
#pragma once
#include <oneapi/dnnl/dnnl.hpp>

#include <memory>
#include <string>
#include <unordered_map>

namespace cnn {

dnnl::engine& Engine();
dnnl::stream& Stream();

// Caches anything built for one shape (primitives, staging buffers) under a key. Entries hold
// memory, so a process that sees many shapes starts over after kMaxEntries of them.
// Not thread-safe: the addon is called from one JS thread.
template <typename T>
class PrimitiveCache {
 public:
  static constexpr size_t kMaxEntries = 64;

  template <typename Make>
  T& Get(const std::string& key, Make make) {
    auto it = map_.find(key);
    if (it == map_.end()) {
      if (map_.size() >= kMaxEntries) map_.clear();
      it = map_.emplace(key, std::make_unique<T>(make())).first;
    }
    return *it->second;
  }

 private:
  std::unordered_map<std::string, std::unique_ptr<T>> map_;
};

// Joins integers into a cache key.
template <typename... Ints>
std::string Key(Ints... v) {
  std::string k;
  ((k += std::to_string(static_cast<long long>(v)), k += ','), ...);
  return k;
}

}  // namespace cnn
