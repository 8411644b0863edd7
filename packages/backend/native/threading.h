// Thread helpers: our own loops use OpenMP, the same runtime (libgomp) oneDNN uses,
// so both share one pool of threads sized to the cores.
#pragma once
#include <omp.h>

#include <cstdint>

namespace cnn {

// Below this many elements a loop runs on one thread (fork/join costs a few µs).
constexpr int64_t kParallelMin = 1 << 15;

inline int Threads() { return omp_get_max_threads(); }

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
