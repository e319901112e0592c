// RFC 6962 / RFC 9162 Merkle log tree (SHA-256): append-only log, roots, inclusion and consistency proofs, verifiers.
#pragma once
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "core/result.h"
#include "crypto/compact_range.h"
#include "crypto/sha256.h"

namespace glassbook::crypto {

// RFC 6962 section 2.1 hashing with domain separation between leaves and interior nodes.
Digest leaf_hash(std::span<const uint8_t> leaf);            // SHA-256(0x00 || leaf)
Digest node_hash(const Digest& left, const Digest& right);   // SHA-256(0x01 || left || right)
Digest empty_root();                                         // SHA-256(""), the root of the empty tree

// An append-only Merkle log of leaf hashes (RFC 9162 section 2.1.1: MTH, split at the largest power of
// two smaller than n; no duplication of odd nodes).
//
// Storage: for every height h it keeps the hash of each complete, aligned subtree of 2^h leaves
// (level 0 is the leaf hashes), about 64 bytes per leaf in total. The last node of each level whose
// bit is set in size() is the compact frontier ("peaks"), so:
//   append            amortised 1 node hash (at most log2 n), no recursion;
//   root(), root_at() O(log n) hashes from the stored complete subtrees;
//   inclusion_proof   O(log n) lookups plus at most log2 n hashes for the one right-edge sibling;
//   consistency_proof O(log n) likewise.
// Everything is iterative; sizes up to 2^63 are handled without recursion or overflow (memory is the
// real limit). Everything is in memory: the node keeps its log in tiles on disk instead
// (journal/tile_store.h, the same proofs); this one serves tests and small logs.
//
// Not thread-safe for concurrent append; const methods may run concurrently with each other.
class MerkleLog {
 public:
  MerkleLog() = default;

  void append_leaf_hash(const Digest& h);
  void append(std::span<const uint8_t> leaf) { append_leaf_hash(leaf_hash(leaf)); }

  uint64_t size() const { return size_; }
  // Leaf hash i. Precondition: i < size().
  const Digest& leaf(uint64_t i) const { return levels_[0][i]; }
  // The compact range of the first tree_size leaves. InvalidArgument if tree_size > size().
  Result<CompactRange> compact_range(uint64_t tree_size) const;

  // Root of the whole tree; empty_root() when size() == 0.
  Digest root() const;
  // Root of the first tree_size leaves. InvalidArgument if tree_size > size().
  Result<Digest> root_at(uint64_t tree_size) const;

  // RFC 9162 2.1.3.1 PATH(index, D[0:tree_size]), ordered from the leaf's sibling up to the root's
  // child. InvalidArgument unless index < tree_size <= size(). (A size-1 tree has an empty proof.)
  Result<std::vector<Digest>> inclusion_proof(uint64_t index, uint64_t tree_size) const;

  // RFC 9162 2.1.4.1 PROOF(old_size, D[0:new_size]). InvalidArgument unless old_size <= new_size <=
  // size(). The proof is empty when old_size == 0 or old_size == new_size (both trivially consistent).
  Result<std::vector<Digest>> consistency_proof(uint64_t old_size, uint64_t new_size) const;

 private:
  // Hash of D[begin:end], which must be a node of the RFC tree: begin a multiple of bit_ceil(end - begin)
  // (always true for the ranges PATH and PROOF visit), 0 < end - begin, end <= size().
  Digest range_hash(uint64_t begin, uint64_t end) const;

  // levels_[h][i] = MTH of leaves [i * 2^h, (i + 1) * 2^h); levels_[h].size() == size_ >> h.
  // Deques: a log of millions of records grows without ever copying a whole level (a vector's
  // doubling would hold the journal thread, which appends after every group commit, for milliseconds).
  std::vector<std::deque<Digest>> levels_;
  uint64_t size_ = 0;
};

// Verifiers for anyone holding only the proof and the roots (no log needed). They never read past the
// proof, reject proofs of the wrong length (too short, too long), and do no recursion.
// A proof's hashes bind the tree size only through the root: sizes whose paths have the same shape
// accept the same proof against the same root (e.g. leaf 0 of size 3 and of size 4). So each
// (size, root) pair must come from one trusted, signed tree head, never from separate sources.

// RFC 9162 2.1.3.2. False if index >= tree_size or the proof does not lead to root.
bool verify_inclusion(const Digest& leaf_hash, uint64_t index, uint64_t tree_size, std::span<const Digest> proof,
                      const Digest& root);

// RFC 9162 2.1.4.2, plus the trivial cases: old_size == new_size needs an empty proof and equal roots;
// old_size == 0 needs an empty proof and old_root == empty_root(). False if old_size > new_size.
bool verify_consistency(uint64_t old_size, uint64_t new_size, const Digest& old_root, const Digest& new_root,
                        std::span<const Digest> proof);

}  // namespace glassbook::crypto
