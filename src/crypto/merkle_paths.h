// Which nodes of an RFC 9162 Merkle tree make up an inclusion or a consistency proof, as leaf ranges,
// so that every store of the tree's hashes (in memory, in tiles on disk) builds the same proofs.
#pragma once
#include <cstdint>
#include <vector>

namespace glassbook::crypto {

// The leaves D[begin:end] under one node of the tree; its hash is MTH(D[begin:end]).
struct NodeRange {
  uint64_t begin = 0;
  uint64_t end = 0;
  bool operator==(const NodeRange&) const = default;
};

// RFC 9162 2.1.3.1 PATH(index, D[0:tree_size]): the nodes whose hashes are the proof, from the leaf's
// sibling up to the root's child. Precondition: index < tree_size.
std::vector<NodeRange> inclusion_path(uint64_t index, uint64_t tree_size);

// RFC 9162 2.1.4.1 PROOF(old_size, D[0:new_size]); empty when old_size == 0 or old_size == new_size.
// Precondition: old_size <= new_size.
std::vector<NodeRange> consistency_path(uint64_t old_size, uint64_t new_size);

}  // namespace glassbook::crypto
