// Numpy-style broadcasting of two shapes into the fewest loop dimensions: both shapes are aligned
// on the right, a dimension an input repeats gets stride 0, dimensions of size 1 disappear, and
// neighbours that stay contiguous (or repeated) for both inputs merge. [N,H,W,C] + [C] becomes
// one dimension [NHW, C] with b's strides [0, 1]; [N,H,W,C] + [N,1,1,C] becomes [N, HW, C].
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace cnn {

constexpr int kMaxBroadcastRank = 6;

struct BroadcastPlan {
  int rank = 0;                      // loop dimensions after merging, >= 1
  int64_t dims[kMaxBroadcastRank];   // sizes, outermost first
  int64_t sa[kMaxBroadcastRank];     // a's element stride per dimension (0: repeated)
  int64_t sb[kMaxBroadcastRank];     // b's
  int64_t size = 1;                  // output elements
};

// Fills `plan` from the two input shapes; returns an error message, empty when the shapes broadcast.
inline std::string PlanBroadcast(const std::vector<int64_t>& a, const std::vector<int64_t>& b, BroadcastPlan* plan) {
  const size_t rank = a.size() > b.size() ? a.size() : b.size();
  if (rank > size_t(kMaxBroadcastRank)) return "more than 6 dimensions";
  std::vector<int64_t> da(rank, 1), db(rank, 1), out(rank), sa(rank), sb(rank);
  for (size_t i = 0; i < a.size(); i++) da[rank - a.size() + i] = a[i];
  for (size_t i = 0; i < b.size(); i++) db[rank - b.size() + i] = b[i];
  int64_t stepA = 1, stepB = 1;
  for (size_t d = rank; d-- > 0;) {
    if (da[d] < 0 || db[d] < 0) return "negative dimension";
    if (da[d] != db[d] && da[d] != 1 && db[d] != 1) return "shapes do not broadcast";
    out[d] = da[d] == 1 ? db[d] : da[d];
    sa[d] = da[d] == 1 ? 0 : stepA;
    sb[d] = db[d] == 1 ? 0 : stepB;
    stepA *= da[d];
    stepB *= db[d];
  }
  // Merge from the innermost dimension outwards, skipping size-1 dimensions.
  int64_t dims[kMaxBroadcastRank], ra[kMaxBroadcastRank], rb[kMaxBroadcastRank];
  int n = 0;
  plan->size = 1;
  for (size_t d = rank; d-- > 0;) {
    plan->size *= out[d];
    if (out[d] == 1) continue;
    if (n > 0 && sa[d] == ra[n - 1] * dims[n - 1] && sb[d] == rb[n - 1] * dims[n - 1]) {
      dims[n - 1] *= out[d];
      continue;
    }
    dims[n] = out[d];
    ra[n] = sa[d];
    rb[n] = sb[d];
    n++;
  }
  if (n == 0) {  // every dimension is 1: one element
    dims[0] = 1;
    ra[0] = 0;
    rb[0] = 0;
    n = 1;
  }
  plan->rank = n;
  for (int i = 0; i < n; i++) {  // back to outermost first
    plan->dims[i] = dims[n - 1 - i];
    plan->sa[i] = ra[n - 1 - i];
    plan->sb[i] = rb[n - 1 - i];
  }
  return "";
}

}  // namespace cnn
