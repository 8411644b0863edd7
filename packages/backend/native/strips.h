// Short rows (a bias of a few channels repeated over N*H*W rows) are processed in strips of whole
// rows, so that the vectorised inner loop runs over a few hundred elements instead of a few.
// Shared by the broadcasting binary ops and the row sums.
#pragma once
#include <cstdint>

namespace cnn {

// Rows shorter than this take the strip path; a strip holds at least kStripMin elements.
constexpr int64_t kStripRowMax = 64;
constexpr int64_t kStripMin = 256;

// Whole rows of `inner` elements in one strip (at least kStripMin elements, below
// kStripMin + kStripRowMax, the size of the callers' stack buffers).
constexpr int64_t RowsPerStrip(int64_t inner) { return (kStripMin + inner - 1) / inner; }

}  // namespace cnn
