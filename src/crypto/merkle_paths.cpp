// PATH and PROOF of RFC 9162 unrolled from the root down (no recursion), as node ranges.
#include "crypto/merkle_paths.h"

#include <algorithm>
#include <bit>

#include "core/assert.h"

namespace glassbook::crypto {

namespace {

// Largest power of two strictly smaller than n; requires n >= 2.
uint64_t split_point(uint64_t n) {
  GB_ASSERT(n >= 2);
  return std::bit_floor(n - 1);
}

}  // namespace

std::vector<NodeRange> inclusion_path(uint64_t index, uint64_t tree_size) {
  GB_ASSERT(index < tree_size);
  // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])  if m < k
  //               = PATH(m - k, D[k:n]) : MTH(D[0:k]) otherwise;
  // the siblings come out root-first, so reverse at the end.
  std::vector<NodeRange> path;
  path.reserve(64);
  uint64_t begin = 0, end = tree_size;
  while (end - begin > 1) {
    const uint64_t mid = begin + split_point(end - begin);
    if (index < mid) {
      path.push_back({mid, end});
      end = mid;
    } else {
      path.push_back({begin, mid});
      begin = mid;
    }
  }
  std::reverse(path.begin(), path.end());
  return path;
}

std::vector<NodeRange> consistency_path(uint64_t old_size, uint64_t new_size) {
  GB_ASSERT(old_size <= new_size);
  std::vector<NodeRange> path;
  if (old_size == 0 || old_size == new_size) return path;
  // SUBPROOF(m, D[n], b) = [] if m == n and b, [MTH(D[n])] if m == n and not b;
  //   = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])            if m <= k
  //   = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])    otherwise.
  // Unrolled with absolute positions (old_size stays fixed), then reversed.
  path.reserve(64);
  uint64_t begin = 0, end = new_size;
  bool whole_old_tree = true;  // b: D[begin:end] still starts at 0, so the verifier knows its hash
  while (old_size != end) {
    // Here begin < old_size < end, so end - begin >= 2.
    const uint64_t mid = begin + split_point(end - begin);
    if (old_size <= mid) {
      path.push_back({mid, end});
      end = mid;
    } else {
      path.push_back({begin, mid});
      begin = mid;
      whole_old_tree = false;
    }
  }
  if (!whole_old_tree) path.push_back({begin, end});
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace glassbook::crypto
