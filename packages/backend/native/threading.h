// Thread helpers: our own loops use OpenMP, the same runtime (libgomp) oneDNN uses,
// so both share one pool of threads sized to the cores.
#pragma once
#include <omp.h>

#include <cstdint>

namespace cnn {

// Below this many elements a loop runs on one thread (fork/join costs a few µs).
constexpr int64_t kParallelMin = 1 << 15;

inline int Threads() { return omp_get_max_threads(); }

// Below this many flops a oneDNN primitive runs on one thread: for small layers the fork/join
// costs more than it saves, and when other processes keep the cores busy every barrier can wait
// a whole scheduler time slice for a descheduled thread.
constexpr double kParallelFlops = 8e6;

// Threads to use for a primitive of `flops` work.
inline int ThreadsFor(double flops) {
  static const int all = omp_get_max_threads();
  return flops < kParallelFlops ? 1 : all;
}

// Sets the OpenMP thread count of the calling thread's next parallel regions, restores it after.
class ThreadScope {
 public:
  explicit ThreadScope(int n) : prev_(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~ThreadScope() { omp_set_num_threads(prev_); }
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  int prev_;
};

// Calls fn(begin, end) over [0, n) split in contiguous chunks, one per thread.
template <typename Fn>
inline void ParallelFor(int64_t n, Fn fn, int64_t grain = kParallelMin) {
  if (n < grain || Threads() == 1) {
    fn(int64_t{0}, n);
    return;
  }
#pragma omp parallel
  {
    const int64_t t = omp_get_thread_num();
    const int64_t nt = omp_get_num_threads();
    const int64_t chunk = (n + nt - 1) / nt;
    const int64_t b = t * chunk;
    const int64_t e = b + chunk < n ? b + chunk : n;
    if (b < e) fn(b, e);
  }
}

}  // namespace cnn
