// Training-mode batch norm over the last axis (channels last): the forward with batch statistics
// and the running-statistics update, and the backward giving dx, dscale and doffset, one call each
// instead of the composite graph's dozens of kernels. Two passes over x each way, sums in double.
#include <algorithm>
#include <cmath>
#include <utility>
#include <string>
#include <vector>

#include "common.h"
#include "threading.h"

namespace cnn {
namespace {

// Per-channel sums over x viewed as [rows, c]: fn(r0, r1, acc) adds rows [r0, r1) into acc
// (`width` doubles); chunks run on the OpenMP threads and are added in thread order.
template <typename Fn>
std::vector<double> ChannelSums(int64_t rows, int64_t c, int64_t width, Fn fn) {
  const int nt = Threads();
  std::vector<double> part(size_t(nt) * width, 0.0);
  double* p = part.data();
  ParallelFor(rows, [&](int64_t r0, int64_t r1) { fn(r0, r1, p + size_t(omp_get_thread_num()) * width); },
              std::max<int64_t>(1, kParallelMin / c));
  std::vector<double> total(width, 0.0);
  for (int t = 0; t < nt; t++)
    for (int64_t j = 0; j < width; j++) total[j] += p[size_t(t) * width + j];
  return total;
}

// Checks that argument i is a Float32Array of exactly `n` elements.
void RequireLen(const Napi::CallbackInfo& info, size_t i, int64_t n, const char* kernel, const char* what) {
  Require(info, int64_t(Len(info, i)) == n,
          std::string(kernel) + ": " + what + " has " + std::to_string(Len(info, i)) + " elements, expected " +
              std::to_string(n));
}

// batchNormTrain(x, scale, offset, runningMean, runningVar, y, mean, invStd, newRunningMean,
//                newRunningVar, channels, epsilon, momentum)
Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  const char* k = "batchNormTrain";
  const float* x = F32(info, 0);
  const float* scale = F32(info, 1);
  const float* offset = F32(info, 2);
  const float* rmean = F32(info, 3);
  const float* rvar = F32(info, 4);
  float* y = F32(info, 5);
  float* mean_out = F32(info, 6);
  float* inv_out = F32(info, 7);
  float* rmean_out = F32(info, 8);
  float* rvar_out = F32(info, 9);
  const int64_t c = I64(info, 10);
  const double eps = info[11].As<Napi::Number>().DoubleValue();
  const float momentum = F(info, 12);
  const int64_t n = int64_t(Len(info, 0));
  Require(info, c > 0 && n % c == 0, std::string(k) + ": x size must be a multiple of the channel count");
  const int64_t rows = n / c;
  Require(info, rows >= 2, std::string(k) + ": training needs more than 1 value per channel");
  Require(info, eps > 0, std::string(k) + ": epsilon must be positive");
  Require(info, momentum >= 0 && momentum <= 1, std::string(k) + ": momentum must be in [0, 1]");
  RequireLen(info, 5, n, k, "y");
  const std::pair<size_t, const char*> params[] = {{1, "scale"},  {2, "offset"}, {3, "runningMean"},
                                                   {4, "runningVar"}, {6, "mean"},  {7, "invStd"},
                                                   {8, "newRunningMean"}, {9, "newRunningVar"}};
  for (const auto& [i, what] : params) RequireLen(info, i, c, k, what);

  // One pass for both statistics: sums of x - shift and of its square, in double, shifted by the
  // first row so that a mean far from 0 does not cancel (var = E[d^2] - E[d]^2 with d = x - shift).
  const float* shift = x;
  const std::vector<double> s = ChannelSums(rows, c, 2 * c, [=](int64_t r0, int64_t r1, double* acc) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * c;
      for (int64_t j = 0; j < c; j++) {
        const double d = double(xr[j]) - double(shift[j]);
        acc[j] += d;
        acc[c + j] += d * d;
      }
    }
  });
  std::vector<float> mean(c);
  std::vector<double> variance(c);
  for (int64_t j = 0; j < c; j++) {
    const double dm = s[j] / double(rows);
    mean[j] = float(double(shift[j]) + dm);
    variance[j] = std::max(0.0, s[c + j] / double(rows) - dm * dm);
  }
  const float* m = mean.data();
  std::vector<float> mul(c);
  const float keep = 1.f - momentum;
  for (int64_t j = 0; j < c; j++) {
    const double var = variance[j];
    const float inv = float(1.0 / std::sqrt(var + eps));
    mean_out[j] = m[j];
    inv_out[j] = inv;
    mul[j] = scale[j] * inv;
    rmean_out[j] = keep * rmean[j] + momentum * m[j];
    rvar_out[j] = keep * rvar[j] + momentum * float(var * double(rows) / double(rows - 1));
  }
  const float* mp = mul.data();
  ParallelFor(rows, [=](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * c;
      float* yr = y + r * c;
#pragma omp simd
      for (int64_t j = 0; j < c; j++) yr[j] = offset[j] + (xr[j] - m[j]) * mp[j];
    }
  }, std::max<int64_t>(1, kParallelMin / c));
  return info.Env().Undefined();
}

// batchNormGrad(dy, x, scale, mean, invStd, dx, dScale, dOffset, channels)
Napi::Value BatchNormGrad(const Napi::CallbackInfo& info) {
  const char* k = "batchNormGrad";
  const float* dy = F32(info, 0);
  const float* x = F32(info, 1);
  const float* scale = F32(info, 2);
  const float* mean = F32(info, 3);
  const float* inv = F32(info, 4);
  float* dx = F32(info, 5);
  float* dscale = F32(info, 6);
  float* doffset = F32(info, 7);
  const int64_t c = I64(info, 8);
  const int64_t n = int64_t(Len(info, 1));
  Require(info, c > 0 && n % c == 0, std::string(k) + ": x size must be a multiple of the channel count");
  const int64_t rows = n / c;
  Require(info, rows >= 1, std::string(k) + ": x is empty");
  RequireLen(info, 0, n, k, "dy");
  RequireLen(info, 5, n, k, "dx");
  const std::pair<size_t, const char*> params[] = {
      {2, "scale"}, {3, "mean"}, {4, "invStd"}, {6, "dScale"}, {7, "dOffset"}};
  for (const auto& [i, what] : params) RequireLen(info, i, c, k, what);

  // acc[0..c) = sum(dy), acc[c..2c) = sum(dy * (x - mean)).
  const std::vector<double> s = ChannelSums(rows, c, 2 * c, [=](int64_t r0, int64_t r1, double* acc) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * c;
      const float* gr = dy + r * c;
      for (int64_t j = 0; j < c; j++) {
        acc[j] += gr[j];
        acc[c + j] += double(gr[j]) * (double(xr[j]) - double(mean[j]));
      }
    }
  });
  // dx = a * (dy - b - (x - mean) * q) with a = scale * invStd, b = sum(dy) / M,
  // q = invStd^2 * sum(dy * (x - mean)) / M.
  std::vector<float> a(c), b(c), q(c);
  for (int64_t j = 0; j < c; j++) {
    const double iv = inv[j];
    doffset[j] = float(s[j]);
    dscale[j] = float(s[c + j] * iv);
    a[j] = float(double(scale[j]) * iv);
    b[j] = float(s[j] / double(rows));
    q[j] = float(iv * iv * s[c + j] / double(rows));
  }
  const float *ap = a.data(), *bp = b.data(), *qp = q.data();
  ParallelFor(rows, [=](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * c;
      const float* gr = dy + r * c;
      float* dr = dx + r * c;
#pragma omp simd
      for (int64_t j = 0; j < c; j++) dr[j] = ap[j] * (gr[j] - bp[j] - (xr[j] - mean[j]) * qp[j]);
    }
  }, std::max<int64_t>(1, kParallelMin / c));
  return info.Env().Undefined();
}

}  // namespace

void InitBatchNormTrain(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNormTrain", Guarded(env, "batchNormTrain", BatchNormTrain));
  exports.Set("batchNormGrad", Guarded(env, "batchNormGrad", BatchNormGrad));
}

}  // namespace cnn
