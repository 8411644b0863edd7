#include "dnnl_context.h"

namespace cnn {

// One engine and stream per thread: each JS environment (the main thread, each worker_thread) runs on
// its own thread, so each gets its own, as it gets its own primitive caches (see PerThread).

dnnl::engine& Engine() {
  static thread_local dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& Stream() {
  static thread_local dnnl::stream stream(Engine());
  return stream;
}

}  // namespace cnn
