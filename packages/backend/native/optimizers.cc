// Fused optimizer updates (SGD, Adam / AdamW): one pass over a parameter instead of a dozen tfjs
// ops, each writing a fresh buffer. The results must equal the composite tfjs path bit for bit, so
// every step is the same float32 operation in the same order, and the compiler may not contract
// a * b + c into a fused multiply-add (one rounding instead of two; -march=native offers FMA).
// The pragma comes first so that everything in this file, inlined helpers too, is compiled so.
#pragma GCC optimize("fp-contract=off")

#include <cmath>
#include <string>

#include "common.h"
#include "threading.h"

namespace cnn {
namespace {

// Throws the RangeError that kernels/optimizers.ts turns into a NativeKernelError.
void RequireLength(const Napi::CallbackInfo& info, const char* kernel, size_t i, size_t n, const char* what) {
  Require(info, Len(info, i) == n,
          std::string(kernel) + ": " + what + " has " + std::to_string(Len(info, i)) + " elements, param has " +
              std::to_string(n));
}

struct SgdConstants {
  float lr, momentum, oneMinusDampening, weightDecay;
};

template <bool kDecay, bool kMomentum, bool kNesterov, bool kInit>
void SgdLoop(const float* p, const float* g, const float* buf, float* pOut, float* bufOut, int64_t n,
             SgdConstants c) {
  ParallelFor(n, [=](int64_t s, int64_t e) {
#pragma omp simd
    for (int64_t i = s; i < e; i++) {
      const float pi = p[i];
      float gi = g[i];
      if constexpr (kDecay) gi = gi + pi * c.weightDecay;
      if constexpr (kMomentum) {
        float b;
        if constexpr (kInit) {
          b = gi;
        } else {
          b = buf[i] * c.momentum + gi * c.oneMinusDampening;
        }
        bufOut[i] = b;
        if constexpr (kNesterov) {
          gi = gi + b * c.momentum;
        } else {
          gi = b;
        }
      }
      pOut[i] = pi - gi * c.lr;
    }
  });
}

template <bool kDecay, bool kMomentum, bool kNesterov>
void SgdInit(bool init, const float* p, const float* g, const float* buf, float* pOut, float* bufOut, int64_t n,
             SgdConstants c) {
  if (init) {
    SgdLoop<kDecay, kMomentum, kNesterov, true>(p, g, buf, pOut, bufOut, n, c);
  } else {
    SgdLoop<kDecay, kMomentum, kNesterov, false>(p, g, buf, pOut, bufOut, n, c);
  }
}

template <bool kDecay>
void SgdMomentum(bool momentum, bool nesterov, bool init, const float* p, const float* g, const float* buf,
                 float* pOut, float* bufOut, int64_t n, SgdConstants c) {
  if (!momentum) {
    SgdLoop<kDecay, false, false, false>(p, g, buf, pOut, bufOut, n, c);
  } else if (nesterov) {
    SgdInit<kDecay, true, true>(init, p, g, buf, pOut, bufOut, n, c);
  } else {
    SgdInit<kDecay, true, false>(init, p, g, buf, pOut, bufOut, n, c);
  }
}

// sgdUpdate(param, grad, momentumBuffer|null, paramOut, momentumBufferOut|null, lr, momentum,
//           oneMinusDampening, weightDecay, applyWeightDecay, nesterov, initialize)
// Outputs may be the input arrays themselves (in place): element i is read before it is written.
Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  const float* p = F32(info, 0);
  const float* g = F32(info, 1);
  const float* buf = F32OrNull(info, 2);
  float* pOut = F32(info, 3);
  float* bufOut = F32OrNull(info, 4);
  const SgdConstants c{F(info, 5), F(info, 6), F(info, 7), F(info, 8)};
  const bool decay = B(info, 9), nesterov = B(info, 10), init = B(info, 11);
  const size_t n = Len(info, 0);
  RequireLength(info, "sgdUpdate", 1, n, "grad");
  RequireLength(info, "sgdUpdate", 3, n, "paramOut");
  Require(info, (buf == nullptr) == (bufOut == nullptr), "sgdUpdate: momentumBuffer and its output go together");
  if (buf) {
    RequireLength(info, "sgdUpdate", 2, n, "momentumBuffer");
    RequireLength(info, "sgdUpdate", 4, n, "momentumBufferOut");
  }
  Require(info, !nesterov || buf, "sgdUpdate: nesterov needs a momentumBuffer");
  const int64_t len = static_cast<int64_t>(n);
  if (decay) {
    SgdMomentum<true>(buf != nullptr, nesterov, init, p, g, buf, pOut, bufOut, len, c);
  } else {
    SgdMomentum<false>(buf != nullptr, nesterov, init, p, g, buf, pOut, bufOut, len, c);
  }
  return info.Env().Undefined();
}

struct AdamConstants {
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, l2, decayFactor, biasCorrection2Sqrt, eps, stepSize;
};

struct AdamArrays {
  const float *p, *g, *m, *v;
  float *pOut, *mOut, *vOut;
};

template <bool kL2, bool kDecay, bool kInit>
void AdamLoop(AdamArrays a, int64_t n, AdamConstants c) {
  ParallelFor(n, [=](int64_t s, int64_t e) {
#pragma omp simd
    for (int64_t i = s; i < e; i++) {
      float pi = a.p[i];
      float gi = a.g[i];
      if constexpr (kDecay) pi = pi * c.decayFactor;
      if constexpr (kL2) gi = gi + pi * c.l2;
      const float g2 = gi * gi;
      float m, v;
      if constexpr (kInit) {
        m = gi * c.oneMinusBeta1;
        v = g2 * c.oneMinusBeta2;
      } else {
        m = a.m[i] * c.beta1 + gi * c.oneMinusBeta1;
        v = a.v[i] * c.beta2 + g2 * c.oneMinusBeta2;
      }
      a.mOut[i] = m;
      a.vOut[i] = v;
      const float denom = std::sqrt(v) / c.biasCorrection2Sqrt + c.eps;
      a.pOut[i] = pi - (m / denom) * c.stepSize;
    }
  });
}

template <bool kL2, bool kDecay>
void AdamInit(bool init, AdamArrays a, int64_t n, AdamConstants c) {
  if (init) {
    AdamLoop<kL2, kDecay, true>(a, n, c);
  } else {
    AdamLoop<kL2, kDecay, false>(a, n, c);
  }
}

// adamUpdate(param, grad, expAvg, expAvgSq, paramOut, expAvgOut, expAvgSqOut, beta1, oneMinusBeta1,
//            beta2, oneMinusBeta2, l2, applyL2, decayFactor, applyDecay, biasCorrection2Sqrt, eps,
//            stepSize, initialize)
// Outputs may be the input arrays themselves (in place).
Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  const AdamArrays a{F32(info, 0), F32(info, 1), F32(info, 2), F32(info, 3), F32(info, 4), F32(info, 5), F32(info, 6)};
  const size_t n = Len(info, 0);
  RequireLength(info, "adamUpdate", 1, n, "grad");
  RequireLength(info, "adamUpdate", 2, n, "expAvg");
  RequireLength(info, "adamUpdate", 3, n, "expAvgSq");
  RequireLength(info, "adamUpdate", 4, n, "paramOut");
  RequireLength(info, "adamUpdate", 5, n, "expAvgOut");
  RequireLength(info, "adamUpdate", 6, n, "expAvgSqOut");
  const AdamConstants c{F(info, 7), F(info, 8),  F(info, 9),  F(info, 10), F(info, 11),
                        F(info, 13), F(info, 15), F(info, 16), F(info, 17)};
  const bool l2 = B(info, 12), decay = B(info, 14), init = B(info, 18);
  Require(info, !(l2 && decay), "adamUpdate: L2 and decoupled decay exclude each other");
  const int64_t len = static_cast<int64_t>(n);
  if (l2) {
    AdamInit<true, false>(init, a, len, c);
  } else if (decay) {
    AdamInit<false, true>(init, a, len, c);
  } else {
    AdamInit<false, false>(init, a, len, c);
  }
  return info.Env().Undefined();
}

}  // namespace

void InitOptimizers(Napi::Env env, Napi::Object exports) {
  exports.Set("sgdUpdate", Guarded(env, "sgdUpdate", SgdUpdate));
  exports.Set("adamUpdate", Guarded(env, "adamUpdate", AdamUpdate));
}

}  // namespace cnn
