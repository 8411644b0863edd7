// A tensor in the caller's layout (NHWC / HWIO float32) staged through the layout a oneDNN
// primitive prefers (e.g. blocked nChw16c), with the reorder built once per shape.
#pragma once
#include <oneapi/dnnl/dnnl.hpp>

#include <optional>

#include "dnnl_context.h"

namespace cnn {

class Staged {
 public:
  Staged(const dnnl::memory::desc& user, const dnnl::memory::desc& inner, bool input)
      : user_(user, Engine(), DNNL_MEMORY_NONE) {
    if (user == inner) return;
    buf_.emplace(inner, Engine());
    if (input) {
      reorder_.emplace(dnnl::reorder(user_, *buf_));
    } else {
      reorder_.emplace(dnnl::reorder(*buf_, user_));
    }
  }

  // For an input: the memory to pass to the primitive, reordered from data if needed.
  dnnl::memory In(const float* data) {
    user_.set_data_handle(const_cast<float*>(data));
    if (!buf_) return user_;
    reorder_->execute(Stream(), user_, *buf_);
    return *buf_;
  }

  // For an output: the memory the primitive writes; call Finish() after it ran.
  dnnl::memory Out(float* data) {
    user_.set_data_handle(data);
    return buf_ ? *buf_ : user_;
  }

  void Finish() {
    if (buf_) reorder_->execute(Stream(), *buf_, user_);
  }

 private:
  dnnl::memory user_;
  std::optional<dnnl::memory> buf_;
  std::optional<dnnl::reorder> reorder_;
};

}  // namespace cnn
