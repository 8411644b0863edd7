// Max pooling (NHWC) forward and input gradient, threaded over images (or channels for one image).
// Semantics follow tfjs: padding never wins, NaN never wins, the first strictly greater value in
// row-major window order is the max (a window of only NaN/-inf gives -inf and no gradient).
#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "common.h"
#include "geometry.h"
#include "threading.h"

namespace cnn {
namespace {

constexpr float kLowest = -std::numeric_limits<float>::infinity();

// The tutorials' 2x2 window, stride 2, no padding, every window inside the image: windows do not
// overlap, so the fast path needs no per-channel scratch and writes each gradient once.
bool IsTwoByTwo(const PoolGeometry& g) {
  return g.kh == 2 && g.kw == 2 && g.sh == 2 && g.sw == 2 && g.pt == 0 && g.pl == 0 && 2 * g.oh <= g.h &&
         2 * g.ow <= g.w;
}

// Runs body(b, c0, c1) over images, or over channel slices when there is one image.
template <typename Body>
void ForSlices(const PoolGeometry& g, Body body) {
  const int64_t work = g.n * g.h * g.w * g.c;
  const int64_t slices = g.n > 1 ? g.n : std::min<int64_t>(g.c, Threads());
  const int64_t per = (g.c + slices - 1) / slices;
  auto run = [&](int64_t s0, int64_t s1) {
    for (int64_t s = s0; s < s1; s++) {
      if (g.n > 1) {
        body(s, 0, g.c);
      } else if (s * per < g.c) {
        body(0, s * per, std::min(g.c, (s + 1) * per));
      }
    }
  };
  ParallelFor(slices, run, work < kParallelMin ? slices + 1 : 1);
}

// Visits every output pixel of image b, channels [c0, c1): fn(outIndexBase, max, argmax) per channel
// where argmax is the flat input index (or -1 when the window only saw padding, NaN or -inf).
template <typename Fn>
void ScanImage(const PoolGeometry& g, const float* x, int64_t b, int64_t c0, int64_t c1, float* best,
               int64_t* arg, Fn fn) {
  const float* img = x + b * g.h * g.w * g.c;
  for (int64_t oy = 0; oy < g.oh; oy++) {
    const int64_t y0 = oy * g.sh - g.pt;
    const int64_t ya = std::max<int64_t>(y0, 0), yb = std::min<int64_t>(y0 + g.kh, g.h);
    for (int64_t ox = 0; ox < g.ow; ox++) {
      const int64_t x0 = ox * g.sw - g.pl;
      const int64_t xa = std::max<int64_t>(x0, 0), xb = std::min<int64_t>(x0 + g.kw, g.w);
      for (int64_t c = c0; c < c1; c++) {
        best[c] = kLowest;
        arg[c] = -1;
      }
      for (int64_t y = ya; y < yb; y++) {
        for (int64_t xx = xa; xx < xb; xx++) {
          const int64_t base = (y * g.w + xx) * g.c;
          const float* px = img + base;
          for (int64_t c = c0; c < c1; c++) {
            if (px[c] > best[c]) {
              best[c] = px[c];
              arg[c] = base + c;
            }
          }
        }
      }
      fn(((b * g.oh + oy) * g.ow + ox) * g.c, best, arg);
    }
  }
}

// Generic path: body gets per-thread scratch for the running max and argmax of each channel.
template <typename Body>
void ForSlicesWithScratch(const PoolGeometry& g, Body body) {
  // Allocated here: an exception inside an OpenMP region would terminate the process.
  std::vector<float> bests(size_t(Threads()) * g.c);
  std::vector<int64_t> args(size_t(Threads()) * g.c);
  ForSlices(g, [&](int64_t b, int64_t c0, int64_t c1) {
    const size_t t = size_t(omp_get_thread_num());
    body(b, c0, c1, bests.data() + t * g.c, args.data() + t * g.c);
  });
}

// 2x2 forward of image b, channels [c0, c1): the same compare sequence as ScanImage (row-major,
// strictly greater), written as selects so the channel loop vectorises.
void TwoByTwo(const PoolGeometry& g, const float* x, float* y, int64_t b, int64_t c0, int64_t c1) {
  const int64_t C = g.c, row = g.w * C;
  for (int64_t oy = 0; oy < g.oh; oy++) {
    const float* r0 = x + (b * g.h + 2 * oy) * row;
    float* out = y + (b * g.oh + oy) * g.ow * C;
    for (int64_t ox = 0; ox < g.ow; ox++) {
      const float* __restrict p = r0 + 2 * ox * C;
      const float* __restrict q = p + row;
      float* __restrict o = out + ox * C;
#pragma omp simd
      for (int64_t c = c0; c < c1; c++) {
        float m = kLowest;
        m = p[c] > m ? p[c] : m;
        m = p[C + c] > m ? p[C + c] : m;
        m = q[c] > m ? q[c] : m;
        m = q[C + c] > m ? q[C + c] : m;
        o[c] = m;
      }
    }
  }
}

// 2x2 gradient of image b, channels [c0, c1): the window position that won gets dy, the other
// three get 0 (windows do not overlap, so nothing accumulates).
void TwoByTwoGrad(const PoolGeometry& g, const float* dy, const float* x, float* dx, int64_t b, int64_t c0,
                  int64_t c1) {
  const int64_t C = g.c, row = g.w * C;
  if (2 * g.oh != g.h || 2 * g.ow != g.w) {
    // A last row or column outside every window gets no gradient.
    float* dimg = dx + b * g.h * row;
    for (int64_t p = 0; p < g.h * g.w; p++) std::memset(dimg + p * C + c0, 0, sizeof(float) * (c1 - c0));
  }
  for (int64_t oy = 0; oy < g.oh; oy++) {
    const int64_t top = (b * g.h + 2 * oy) * row;
    const float* d = dy + (b * g.oh + oy) * g.ow * C;
    for (int64_t ox = 0; ox < g.ow; ox++) {
      const float* __restrict p = x + top + 2 * ox * C;
      const float* __restrict q = p + row;
      float* __restrict dp = dx + top + 2 * ox * C;
      float* __restrict dq = dp + row;
      const float* __restrict dd = d + ox * C;
#pragma omp simd
      for (int64_t c = c0; c < c1; c++) {
        // Loads first, then selects only; `omp simd` because gcc 12 gives up on this loop by itself
        // (channels are independent, the windows read x and write disjoint parts of dx).
        const float a = p[c], b2 = p[C + c], e = q[c], f = q[C + c], d = dd[c];
        float m = kLowest;
        m = a > m ? a : m;
        m = b2 > m ? b2 : m;
        m = e > m ? e : m;
        m = f > m ? f : m;
        // The strictly-greater scan keeps the first value equal to the max (-0 == +0 included), so
        // dy goes to the first position equal to m; m == -inf means only NaN or -inf: no winner.
        float r = m > kLowest ? d : 0.0f;
        dp[c] = a == m ? r : 0.0f;
        r = a == m ? 0.0f : r;
        dp[C + c] = b2 == m ? r : 0.0f;
        r = b2 == m ? 0.0f : r;
        dq[c] = e == m ? r : 0.0f;
        dq[C + c] = e == m ? 0.0f : r;
      }
    }
  }
}

// maxPool(x, y, geometry)
Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  auto g = ReadPoolGeometry(info, 2);
  const float* x = F32(info, 0);
  float* y = F32(info, 1);
  Require(info, Len(info, 0) == size_t(g.n * g.h * g.w * g.c), "maxPool: x size");
  Require(info, Len(info, 1) == size_t(g.n * g.oh * g.ow * g.c), "maxPool: y size");
  if (IsTwoByTwo(g)) {
    ForSlices(g, [&](int64_t b, int64_t c0, int64_t c1) { TwoByTwo(g, x, y, b, c0, c1); });
    return info.Env().Undefined();
  }
  ForSlicesWithScratch(g, [&](int64_t b, int64_t c0, int64_t c1, float* best, int64_t* arg) {
    ScanImage(g, x, b, c0, c1, best, arg, [&](int64_t o, const float* m, const int64_t*) {
      for (int64_t c = c0; c < c1; c++) y[o + c] = m[c];
    });
  });
  return info.Env().Undefined();
}

// maxPoolGrad(dy, x, dx, geometry): routes each dy to the input pixel that was the max.
Napi::Value MaxPoolGrad(const Napi::CallbackInfo& info) {
  auto g = ReadPoolGeometry(info, 3);
  const float* dy = F32(info, 0);
  const float* x = F32(info, 1);
  float* dx = F32(info, 2);
  Require(info, Len(info, 0) == size_t(g.n * g.oh * g.ow * g.c), "maxPoolGrad: dy size");
  Require(info, Len(info, 1) == size_t(g.n * g.h * g.w * g.c), "maxPoolGrad: x size");
  Require(info, Len(info, 2) == size_t(g.n * g.h * g.w * g.c), "maxPoolGrad: dx size");
  if (IsTwoByTwo(g)) {
    ForSlices(g, [&](int64_t b, int64_t c0, int64_t c1) { TwoByTwoGrad(g, dy, x, dx, b, c0, c1); });
    return info.Env().Undefined();
  }
  const int64_t image = g.h * g.w * g.c;
  ForSlicesWithScratch(g, [&](int64_t b, int64_t c0, int64_t c1, float* best, int64_t* arg) {
    float* dimg = dx + b * image;
    for (int64_t p = 0; p < g.h * g.w; p++) std::memset(dimg + p * g.c + c0, 0, sizeof(float) * (c1 - c0));
    ScanImage(g, x, b, c0, c1, best, arg, [&](int64_t o, const float*, const int64_t* a) {
      for (int64_t c = c0; c < c1; c++) {
        if (a[c] >= 0) dimg[a[c]] += dy[o + c];
      }
    });
  });
  return info.Env().Undefined();
}

}  // namespace

void InitPool(Napi::Env env, Napi::Object exports) {
  exports.Set("maxPool", Guarded(env, "maxPool", MaxPool));
  exports.Set("maxPoolGrad", Guarded(env, "maxPoolGrad", MaxPoolGrad));
}

}  // namespace cnn
