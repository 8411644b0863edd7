// Thread helpers: our own loops use OpenMP, the same runtime (libgomp) oneDNN uses,
// so both share one pool of threads sized to the cores.
#pragma once
#include <omp.h>

#include <cstdint>
#include <cstdlib>

namespace cnn {

// Below this many elements a loop runs on one thread. Measured on the 2-core machine of this
// repository (scripts/measure-threading.ts, median µs per same-shape add, OpenMP waiting passively;
// the machine's 1-min load was 15-23 from other jobs, plus one busy neighbour in the second row):
//   elements        32768  131072  392000  784000  1568000
//   1 thread            8      24      60     144     1287
//   2 threads          17      35      81     171     3376
//   1 thread, nbr       8      24      66     187    29730
//   2 threads, nbr     21      39      81     271     3332
// Element-wise loops are memory-bound: a second thread never paid off up to 784 000 elements
// (the largest activation of tutorial 004), only sometimes beyond.
constexpr int64_t kParallelMin = 1 << 20;

inline int Threads() { return omp_get_max_threads(); }

// Below this many flops a oneDNN primitive runs on one thread: for small layers the fork/join
// costs more than it saves, and when other processes keep the cores busy every barrier can wait
// a whole scheduler time slice for a descheduled thread. Same measurement as above, conv forward
// / backward-data / backward-filter and matmul at the tutorials' sizes: up to 40 Mflop one thread
// always won (e.g. 004 conv1 dw: 0.5 ms vs 16-36 ms), at 70-82 Mflop the winner changed from run
// to run, from 280 Mflop up two threads won 13 of 15 comparisons (000 conv2 dw: 125 vs 84 ms).
constexpr double kParallelFlops = 1e8;

// The flop threshold in use: kParallelFlops, or CNN_NATIVE_PARALLEL_FLOPS (read once) to measure
// or tune it on another machine.
inline double ParallelFlops() {
  static const double v = [] {
    const char* env = std::getenv("CNN_NATIVE_PARALLEL_FLOPS");
    char* end = nullptr;
    const double parsed = env ? std::strtod(env, &end) : -1;
    return env && end != env && parsed >= 0 ? parsed : kParallelFlops;
  }();
  return v;
}

// Threads to use for a primitive of `flops` work.
inline int ThreadsFor(double flops) {
  static const int all = omp_get_max_threads();
  return flops < ParallelFlops() ? 1 : all;
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
