// Batched matrix multiply (tfjs BatchMatMul and _FusedMatMul) on oneDNN's matmul primitive.
#include "common.h"
#include "dnnl_context.h"
#include "threading.h"

namespace cnn {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
constexpr auto f32 = memory::data_type::f32;

struct MatmulPrim {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul prim;
};

// Per thread: each JS environment (main thread, worker_thread) has its own cache.
PrimitiveCache<MatmulPrim>& Cache() { return PerThread<PrimitiveCache<MatmulPrim>>(); }

// Logical dims {batch, rows, cols} of a row-major [batch, r, c] buffer, read transposed or not.
memory::desc MatrixDesc(int64_t batch, int64_t rows, int64_t cols, bool transposed) {
  // The buffer holds [batch, cols, rows] when transposed.
  memory::dims strides = transposed ? memory::dims{rows * cols, 1, rows}
                                    : memory::dims{rows * cols, cols, 1};
  return memory::desc({batch, rows, cols}, f32, strides);
}

// matmul(a, b, out, batchA, batchB, M, N, K, transposeA, transposeB, bias|null, relu)
// out[batch, M, N] = op(a) x op(b) (+ bias[N]) (then relu); batchA or batchB may be 1 (broadcast).
Napi::Value Matmul(const Napi::CallbackInfo& info) {
  const float* a = F32(info, 0);
  const float* b = F32(info, 1);
  float* out = F32(info, 2);
  const int64_t ba = I64(info, 3), bb = I64(info, 4);
  const int64_t m = I64(info, 5), n = I64(info, 6), k = I64(info, 7);
  const bool ta = B(info, 8), tb = B(info, 9);
  const float* bias = F32OrNull(info, 10);
  const bool relu = B(info, 11);
  const int64_t batch = ba > bb ? ba : bb;
  Require(info, ba > 0 && bb > 0 && (ba == bb || ba == 1 || bb == 1) && m > 0 && n > 0 && k > 0, "matmul: bad dims");
  Require(info, Len(info, 0) >= static_cast<size_t>(Product(info, "matmul: a", ba, m, k)), "matmul: a too small");
  Require(info, Len(info, 1) >= static_cast<size_t>(Product(info, "matmul: b", bb, k, n)), "matmul: b too small");
  Require(info, Len(info, 2) >= static_cast<size_t>(Product(info, "matmul: out", batch, m, n)),
          "matmul: out too small");
  if (bias) Require(info, Len(info, 10) == static_cast<size_t>(n), "matmul: bias must have N elements");

  const int threads = ThreadsFor(2.0 * batch * m * n * k);
  ThreadScope scope(threads);
  auto& p = Cache().Get(Key(ba, bb, m, n, k, ta, tb, bias != nullptr, relu, threads), [&] {
    auto ad = MatrixDesc(ba, m, k, ta);
    auto bd = MatrixDesc(bb, k, n, tb);
    auto cd = memory::desc({batch, m, n}, f32, tag::abc);
    dnnl::primitive_attr attr;
    if (relu) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
      attr.set_post_ops(ops);
    }
    auto desc = bias ? dnnl::matmul::desc(ad, bd, memory::desc({1, 1, n}, f32, tag::abc), cd)
                     : dnnl::matmul::desc(ad, bd, cd);
    dnnl::matmul::primitive_desc pd(desc, attr, Engine());
    return MatmulPrim{pd, dnnl::matmul(pd)};
  });
  auto& eng = Engine();
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, memory(p.pd.src_desc(), eng, const_cast<float*>(a))},
      {DNNL_ARG_WEIGHTS, memory(p.pd.weights_desc(), eng, const_cast<float*>(b))},
      {DNNL_ARG_DST, memory(p.pd.dst_desc(), eng, out)}};
  if (bias) args.emplace(DNNL_ARG_BIAS, memory(p.pd.bias_desc(), eng, const_cast<float*>(bias)));
  p.prim.execute(Stream(), args);
  Stream().wait();
  return info.Env().Undefined();
}

}  // namespace

void InitMatmul(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Guarded(env, "matmul", Matmul));
}

}  // namespace cnn
