// RFC 6962 / RFC 9162 Merkle log tree: iterative tree hashing, PATH and PROOF generation, and their verifiers.
#include "crypto/merkle.h"

#include <bit>
#include <string>

#include "core/assert.h"
#include "crypto/merkle_paths.h"

namespace glassbook::crypto {

namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;

Status bad(std::string message) { return Status(Error::InvalidArgument, std::move(message)); }

}  // namespace

Digest leaf_hash(std::span<const uint8_t> leaf) {
  Sha256 h;
  h.update_u8(kLeafPrefix);
  h.update(leaf.data(), leaf.size());
  return h.finish();
}

Digest node_hash(const Digest& left, const Digest& right) {
  Sha256 h;
  h.update_u8(kNodePrefix);
  h.update(left.data(), left.size());
  h.update(right.data(), right.size());
  return h.finish();
}

Digest empty_root() {
  static const Digest kEmpty = sha256(std::string_view());
  return kEmpty;
}

void MerkleLog::append_leaf_hash(const Digest& h) {
  GB_ASSERT(size_ < (uint64_t{1} << 63));
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(h);
  ++size_;
  // The new leaf completes one subtree per trailing one bit of its index: hash them upwards.
  uint64_t index = size_ - 1;
  Digest cur = h;
  for (size_t level = 0; (index & 1) != 0; ++level) {
    index >>= 1;  // parent's index at level + 1; its children are 2 * index and 2 * index + 1 (= cur)
    cur = node_hash(levels_[level][2 * index], cur);
    if (levels_.size() == level + 1) levels_.emplace_back();
    levels_[level + 1].push_back(cur);
    GB_ASSERT(levels_[level + 1].size() == index + 1);
  }
}

Result<CompactRange> MerkleLog::compact_range(uint64_t tree_size) const {
  if (tree_size > size_) return bad("compact range beyond the log's size");
  std::vector<Digest> peaks;
  uint64_t begin = 0;
  for (int h = 63; h >= 0; --h) {
    const uint64_t width = uint64_t{1} << h;
    if ((tree_size & width) == 0) continue;
    peaks.push_back(levels_[h][begin >> h]);  // a complete, aligned subtree: stored
    begin += width;
  }
  return CompactRange::from_peaks(tree_size, std::move(peaks));
}

Digest MerkleLog::range_hash(uint64_t begin, uint64_t end) const {
  GB_ASSERT(begin < end && end <= size_);
  GB_ASSERT(begin % std::bit_ceil(end - begin) == 0);
  // D[begin:end] splits into complete subtrees of decreasing size (the set bits of end - begin), and
  // MTH folds them from the right: MTH = node(c1, node(c2, ... node(c_{k-1}, c_k))). Walk the bits from
  // the lowest (rightmost subtree) up, so no buffer is needed.
  uint64_t rest = end - begin;
  uint64_t right_end = end;
  Digest acc{};
  bool first = true;
  while (rest != 0) {
    const int height = std::countr_zero(rest);
    const uint64_t start = right_end - (uint64_t{1} << height);
    const Digest& sub = levels_[static_cast<size_t>(height)][start >> height];
    acc = first ? sub : node_hash(sub, acc);
    first = false;
    right_end = start;
    rest &= rest - 1;
  }
  return acc;
}

Digest MerkleLog::root() const { return size_ == 0 ? empty_root() : range_hash(0, size_); }

Result<Digest> MerkleLog::root_at(uint64_t tree_size) const {
  if (tree_size > size_)
    return bad("root_at: tree size " + std::to_string(tree_size) + " > log size " + std::to_string(size_));
  return tree_size == 0 ? empty_root() : range_hash(0, tree_size);
}

Result<std::vector<Digest>> MerkleLog::inclusion_proof(uint64_t index, uint64_t tree_size) const {
  if (tree_size > size_)
    return bad("inclusion_proof: tree size " + std::to_string(tree_size) + " > log size " + std::to_string(size_));
  if (index >= tree_size)
    return bad("inclusion_proof: index " + std::to_string(index) + " >= tree size " + std::to_string(tree_size));
  std::vector<Digest> proof;
  for (const NodeRange& r : inclusion_path(index, tree_size)) proof.push_back(range_hash(r.begin, r.end));
  return proof;
}

Result<std::vector<Digest>> MerkleLog::consistency_proof(uint64_t old_size, uint64_t new_size) const {
  if (new_size > size_)
    return bad("consistency_proof: new size " + std::to_string(new_size) + " > log size " + std::to_string(size_));
  if (old_size > new_size)
    return bad("consistency_proof: old size " + std::to_string(old_size) + " > new size " +
               std::to_string(new_size));
  std::vector<Digest> proof;
  for (const NodeRange& r : consistency_path(old_size, new_size)) proof.push_back(range_hash(r.begin, r.end));
  return proof;
}

bool verify_inclusion(const Digest& leaf, uint64_t index, uint64_t tree_size, std::span<const Digest> proof,
                      const Digest& root) {
  if (index >= tree_size) return false;
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  Digest r = leaf;
  for (const Digest& p : proof) {
    if (sn == 0) return false;  // proof longer than the path
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      // Skip the levels where this node is a right-edge node with no sibling.
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;  // sn != 0: proof shorter than the path
}

bool verify_consistency(uint64_t old_size, uint64_t new_size, const Digest& old_root, const Digest& new_root,
                        std::span<const Digest> proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty() && old_root == empty_root();
  if (proof.empty()) return false;
  // If old_size is a power of two the old tree is a complete subtree of the new one and its root is
  // the (implicit) first element of the path; otherwise the proof's first element is that node.
  size_t next = 0;
  Digest fr, sr;
  if (std::has_single_bit(old_size)) {
    fr = sr = old_root;
  } else {
    fr = sr = proof[0];
    next = 1;
  }
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  for (; next < proof.size(); ++next) {
    const Digest& c = proof[next];
    if (sn == 0) return false;  // proof too long
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == new_root;
}

}  // namespace glassbook::crypto
