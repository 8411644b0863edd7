// A oneDNN engine and stream per thread, plus caches of primitives by shape key.
#pragma once
#include <oneapi/dnnl/dnnl.hpp>

#include <list>
#include <memory>
#include <utility>
#include <string>
#include <unordered_map>

namespace cnn {

dnnl::engine& Engine();
dnnl::stream& Stream();

// Caches anything built for one shape (primitives, staging buffers) under a key, keeping the
// kMaxEntries most recently used: a new shape beyond that evicts the least recently used one, so
// a training loop's handful of shapes stays cached however many other shapes pass by.
// Not thread-safe: use one per thread through PerThread().
template <typename T>
class PrimitiveCache {
 public:
  static constexpr size_t kMaxEntries = 64;

  template <typename Make>
  T& Get(const std::string& key, Make make) {
    auto it = map_.find(key);
    if (it != map_.end()) {
      order_.splice(order_.begin(), order_, it->second);  // now the most recent
      return *it->second->second;
    }
    // Build first: if make() throws, the cache is unchanged.
    auto value = std::make_unique<T>(make());
    if (map_.size() >= kMaxEntries) {
      map_.erase(order_.back().first);
      order_.pop_back();
    }
    order_.emplace_front(key, std::move(value));
    map_.emplace(key, order_.begin());
    return *order_.front().second;
  }

  size_t Size() const { return map_.size(); }

 private:
  using Entry = std::pair<std::string, std::unique_ptr<T>>;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> map_;
};

// The calling thread's instance of T (e.g. a PrimitiveCache), created after that thread's engine and
// stream, so that it is destroyed before them when the thread (a worker_thread) ends.
template <typename T>
T& PerThread() {
  Engine();
  Stream();
  static thread_local T value;
  return value;
}

// Joins integers into a cache key.
template <typename... Ints>
std::string Key(Ints... v) {
  std::string k;
  ((k += std::to_string(static_cast<long long>(v)), k += ','), ...);
  return k;
}

}  // namespace cnn
