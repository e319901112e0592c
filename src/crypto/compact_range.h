// The compact range of an RFC 6962 Merkle log: its size and one hash per complete subtree (the
// "peaks"), enough to append leaves and compute the root in O(log n) memory. Snapshots carry it so a
// replay that starts from a snapshot can still check every later checkpoint's root.
#pragma once
#include <cstdint>
#include <vector>

#include "core/result.h"
#include "crypto/sha256.h"

namespace glassbook::crypto {

class CompactRange {
 public:
  CompactRange() = default;
  // Peaks as returned by peaks(); refuses a count that disagrees with the size's set bits.
  static Result<CompactRange> from_peaks(uint64_t size, std::vector<Digest> peaks);

  void append(const Digest& leaf_hash);
  uint64_t size() const { return size_; }
  // The tree head: equals MerkleLog::root() of the same leaves; empty_root() for size 0.
  Digest root() const;
  // The roots of the complete subtrees the leaves split into, largest (leftmost) first: one per set
  // bit of size().
  const std::vector<Digest>& peaks() const { return peaks_; }

  bool operator==(const CompactRange&) const = default;

 private:
  uint64_t size_ = 0;
  std::vector<Digest> peaks_;
};

}  // namespace glassbook::crypto
