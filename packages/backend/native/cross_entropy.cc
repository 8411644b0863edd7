// Row-wise softmax losses on [rows, classes]: cross-entropy on logits, log-softmax and the
// negative log-likelihood, forward and backward, one call each. Each row subtracts its maximum
// before exp, so large logits do not overflow; row sums are in double.
#include <algorithm>
#include <cmath>
#include <string>

#include "common.h"
#include "threading.h"

namespace cnn {
namespace {

// Pointer to the elements of an Int32Array argument (class ids).
const int32_t* I32(const Napi::CallbackInfo& info, size_t i) {
  auto v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(info.Env(), "argument " + std::to_string(i) + " must be an Int32Array");
  }
  return v.As<Napi::Int32Array>().Data();
}

// Checks the [rows, classes] geometry of argument `i` and the labels at `li`; returns rows.
int64_t Rows(const Napi::CallbackInfo& info, const char* k, size_t i, int64_t classes, size_t li) {
  Require(info, classes > 0, std::string(k) + ": classes must be positive");
  const int64_t n = int64_t(Len(info, i));
  Require(info, n % classes == 0, std::string(k) + ": size " + std::to_string(n) + " is not rows x " +
                                      std::to_string(classes) + " classes");
  const int64_t rows = n / classes;
  Require(info, int64_t(Len(info, li)) == rows,
          std::string(k) + ": " + std::to_string(Len(info, li)) + " labels for " + std::to_string(rows) + " rows");
  const int32_t* labels = I32(info, li);
  for (int64_t r = 0; r < rows; r++) {
    Require(info, labels[r] >= 0 && labels[r] < classes,
            std::string(k) + ": label " + std::to_string(labels[r]) + " of row " + std::to_string(r) +
                " is not a class id in [0, " + std::to_string(classes) + ")");
  }
  return rows;
}

// A row's maximum and log(sum(exp(x - max))): log-softmax is (x - max) - logSum, which keeps
// the precision that rounding max + logSum to float would lose for large values.
struct RowLse {
  float max;
  double logSum;
};

RowLse LogSumExp(const float* x, int64_t classes) {
  float mx = x[0];
  for (int64_t j = 1; j < classes; j++) mx = std::max(mx, x[j]);
  if (std::isinf(mx)) return {mx, 0.0};  // all -inf gives -inf; any +inf gives +inf (as torch)
  double s = 0;
  for (int64_t j = 0; j < classes; j++) s += std::exp(double(x[j]) - double(mx));
  return {mx, std::log(s)};
}

// crossEntropy(logits, labels, loss[1], logSumExp[rows], classes, mean)
Napi::Value CrossEntropy(const Napi::CallbackInfo& info) {
  const char* k = "crossEntropy";
  const float* x = F32(info, 0);
  const int64_t classes = I64(info, 4);
  const int64_t rows = Rows(info, k, 0, classes, 1);
  const int32_t* labels = I32(info, 1);
  float* loss = F32(info, 2);
  float* lse = F32(info, 3);
  Require(info, Len(info, 2) == 1 && int64_t(Len(info, 3)) == rows, std::string(k) + ": output sizes");
  double total = 0;
  for (int64_t r = 0; r < rows; r++) {
    const float* xr = x + r * classes;
    const RowLse l = LogSumExp(xr, classes);
    lse[r] = float(double(l.max) + l.logSum);
    total += (double(l.max) - double(xr[labels[r]])) + l.logSum;
  }
  loss[0] = float(B(info, 5) ? total / double(rows) : total);
  return info.Env().Undefined();
}

// crossEntropyGrad(dy, logits, labels, logSumExp, dLogits, classes, mean)
Napi::Value CrossEntropyGrad(const Napi::CallbackInfo& info) {
  const char* k = "crossEntropyGrad";
  const float* dy = F32(info, 0);
  const float* x = F32(info, 1);
  const int64_t classes = I64(info, 5);
  const int64_t rows = Rows(info, k, 1, classes, 2);
  const int32_t* labels = I32(info, 2);
  const float* lse = F32(info, 3);
  float* dx = F32(info, 4);
  Require(info, Len(info, 0) == 1, std::string(k) + ": dy must be a scalar");
  Require(info, int64_t(Len(info, 3)) == rows && int64_t(Len(info, 4)) == rows * classes,
          std::string(k) + ": logSumExp or dLogits size");
  const float g = B(info, 6) ? float(double(dy[0]) / double(rows)) : dy[0];
  ParallelFor(rows, [=](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * classes;
      float* dr = dx + r * classes;
      const float l = lse[r];
      for (int64_t j = 0; j < classes; j++) dr[j] = std::exp(xr[j] - l) * g;
      dr[labels[r]] -= g;
    }
  }, std::max<int64_t>(1, kParallelMin / classes));
  return info.Env().Undefined();
}

// logSoftmax(x, y, classes)
Napi::Value LogSoftmax(const Napi::CallbackInfo& info) {
  const float* x = F32(info, 0);
  float* y = F32(info, 1);
  const int64_t classes = I64(info, 2);
  const int64_t n = int64_t(Len(info, 0));
  Require(info, classes > 0 && n % classes == 0, "logSoftmax: size is not a multiple of the last axis");
  Require(info, int64_t(Len(info, 1)) == n, "logSoftmax: output size");
  ParallelFor(n / classes, [=](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * classes;
      float* yr = y + r * classes;
      const RowLse l = LogSumExp(xr, classes);
      const float ls = float(l.logSum);
      for (int64_t j = 0; j < classes; j++) yr[j] = (xr[j] - l.max) - ls;
    }
  }, std::max<int64_t>(1, kParallelMin / classes));
  return info.Env().Undefined();
}

// logSoftmaxGrad(dy, y, dx, classes): dx = dy - exp(y) * sum(dy) per row.
Napi::Value LogSoftmaxGrad(const Napi::CallbackInfo& info) {
  const float* dy = F32(info, 0);
  const float* y = F32(info, 1);
  float* dx = F32(info, 2);
  const int64_t classes = I64(info, 3);
  const int64_t n = int64_t(Len(info, 1));
  Require(info, classes > 0 && n % classes == 0, "logSoftmaxGrad: size is not a multiple of the last axis");
  Require(info, int64_t(Len(info, 0)) == n && int64_t(Len(info, 2)) == n, "logSoftmaxGrad: dy, y and dx sizes differ");
  ParallelFor(n / classes, [=](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* gr = dy + r * classes;
      const float* yr = y + r * classes;
      float* dr = dx + r * classes;
      double s = 0;
      for (int64_t j = 0; j < classes; j++) s += gr[j];
      const float sf = float(s);
      for (int64_t j = 0; j < classes; j++) dr[j] = gr[j] - std::exp(yr[j]) * sf;
    }
  }, std::max<int64_t>(1, kParallelMin / classes));
  return info.Env().Undefined();
}

// nllLoss(logProbs, labels, loss[1], classes, mean)
Napi::Value NllLoss(const Napi::CallbackInfo& info) {
  const float* x = F32(info, 0);
  const int64_t classes = I64(info, 3);
  const int64_t rows = Rows(info, "nllLoss", 0, classes, 1);
  const int32_t* labels = I32(info, 1);
  float* loss = F32(info, 2);
  Require(info, Len(info, 2) == 1, "nllLoss: loss must have 1 element");
  double total = 0;
  for (int64_t r = 0; r < rows; r++) total -= x[r * classes + labels[r]];
  loss[0] = float(B(info, 4) ? total / double(rows) : total);
  return info.Env().Undefined();
}

// nllLossGrad(dy, labels, dLogProbs, classes, mean): -dy (over rows for the mean) at each label, 0 elsewhere.
Napi::Value NllLossGrad(const Napi::CallbackInfo& info) {
  const float* dy = F32(info, 0);
  const int64_t classes = I64(info, 3);
  const int64_t rows = Rows(info, "nllLossGrad", 2, classes, 1);
  const int32_t* labels = I32(info, 1);
  float* dx = F32(info, 2);
  Require(info, Len(info, 0) == 1, "nllLossGrad: dy must be a scalar");
  const float g = B(info, 4) ? float(double(dy[0]) / double(rows)) : dy[0];
  std::fill(dx, dx + rows * classes, 0.f);
  for (int64_t r = 0; r < rows; r++) dx[r * classes + labels[r]] = -g;
  return info.Env().Undefined();
}

}  // namespace

void InitCrossEntropy(Napi::Env env, Napi::Object exports) {
  exports.Set("crossEntropy", Guarded(env, "crossEntropy", CrossEntropy));
  exports.Set("crossEntropyGrad", Guarded(env, "crossEntropyGrad", CrossEntropyGrad));
  exports.Set("logSoftmax", Guarded(env, "logSoftmax", LogSoftmax));
  exports.Set("logSoftmaxGrad", Guarded(env, "logSoftmaxGrad", LogSoftmaxGrad));
  exports.Set("nllLoss", Guarded(env, "nllLoss", NllLoss));
  exports.Set("nllLossGrad", Guarded(env, "nllLossGrad", NllLossGrad));
}

}  // namespace cnn
