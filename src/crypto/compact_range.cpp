// Compact range: append merges equal-sized subtrees; the root folds the peaks from the right.
#include "crypto/compact_range.h"

#include <bit>
#include "core/assert.h"
#include <string>

#include "crypto/merkle.h"

namespace glassbook::crypto {

Result<CompactRange> CompactRange::from_peaks(uint64_t size, std::vector<Digest> peaks) {
  if (static_cast<size_t>(std::popcount(size)) != peaks.size())
    return Status(Error::Corruption, "compact range: " + std::to_string(peaks.size()) + " peaks for a tree of size " +
                                         std::to_string(size));
  CompactRange r;
  r.size_ = size;
  r.peaks_ = std::move(peaks);
  return r;
}

void CompactRange::append(const Digest& leaf_hash) {
  GB_ASSERT(size_ < (uint64_t{1} << 63));
  Digest cur = leaf_hash;
  // Each trailing one bit of the size is a subtree of the new leaf's size: merge it into the leaf's.
  for (uint64_t s = size_; (s & 1) != 0; s >>= 1) {
    cur = node_hash(peaks_.back(), cur);
    peaks_.pop_back();
  }
  peaks_.push_back(cur);
  ++size_;
}

Digest CompactRange::root() const {
  if (peaks_.empty()) return empty_root();
  Digest acc = peaks_.back();
  for (size_t i = peaks_.size() - 1; i-- > 0;) acc = node_hash(peaks_[i], acc);
  return acc;
}

}  // namespace glassbook::crypto
