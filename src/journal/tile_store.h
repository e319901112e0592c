// The Merkle log of the journal's records kept on disk as C2SP tlog-tiles (height 8): full tiles written
// once, the right edge in memory, a bounded cache of tiles read back and checked; roots and proofs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "crypto/compact_range.h"
#include "crypto/merkle_tile.h"
#include "journal/storage.h"
#include "journal/tile_path.h"

namespace glassbook::journal {

inline constexpr const char* kTileDirectory = "tile";  // under the journal's directory: tile/<L>/<N>...

struct TileStoreOptions {
  // Full tiles kept in memory after being read back (each with its internal nodes: 511 hashes,
  // 16 KiB). 64 tiles (1 MiB) hold every tile one inclusion proof touches at any log size, twice over.
  size_t cache_tiles = 64;
};

// What the store holds in memory, in 32-byte hashes: bounded by the tree's height, never by its size.
struct TileFootprint {
  size_t edge_hashes = 0;    // the partial tile of every level, internal nodes included (<= 511 each)
  size_t cached_hashes = 0;  // the cached full tiles' (<= cache_tiles * 511)
  size_t cached_tiles = 0;
  size_t levels = 0;         // tile levels in use: ceil(log256(size))
  size_t total() const { return edge_hashes + cached_hashes; }
};

// Layout (c2sp.org/tlog-tiles): tile/<L>/<N> holds the 256 hashes, 32 bytes each, of the complete
// subtrees of height 8*L that cover leaves [N * 256^(L+1), (N+1) * 256^(L+1)); level 0 holds the leaf
// hashes. A full tile is written once, when the leaf that completes it is appended. The partial tile
// of each level (tile/<L>/<N>.p/<W>) is written by write_partial_tiles() (the node calls it at every
// checkpoint, so the partial tiles of every checkpointed size exist on disk) and never read back: the
// store serves partial tiles from memory or as prefixes of full tiles.
//
// Tiles are derived from the journal, which stays the source of truth: they are never fsynced (a torn
// or lost tile after a crash is rebuilt at the next start), and a tile read back is trusted only once
// its hashes hash to the entry its parent tile (or the in-memory right edge) holds for it, so a damaged
// or tampered tile file is reported as Error::Corruption, never served or used in a proof.
//
// Thread-safe: one mutex guards the edge and the cache; reads that miss the cache hold it while they
// read (8 KiB per tile, at most ceil(log256(n)) tiles a lookup).
class TileStore {
 public:
  // Opens the tiles under <dir>/tile for a rebuild: the caller appends every leaf hash of the journal
  // (record_hash of seq 0, 1, ...) in order, then calls finish_rebuild(). While rebuilding, each tile
  // completed is compared with its file: a matching file is left alone; a missing one is written; a
  // damaged one (other bytes, a torn write) is rewritten and described in repaired().
  static Result<std::unique_ptr<TileStore>> open(const std::string& dir, Storage& storage,
                                                 TileStoreOptions options = {});

  // Appends one leaf hash; writes the full tiles it completes. Error::Io when a tile cannot be written
  // (the store is then failed: every later append returns the error).
  Status append(const crypto::Digest& leaf_hash);
  // Ends the rebuild: writes the partial tiles of the current size. Later appends write without reading.
  Status finish_rebuild();
  // Writes the partial tile of every level for the current size (tile/<L>/<N>.p/<W>).
  Status write_partial_tiles();

  uint64_t size() const;
  crypto::Digest root() const;  // never reads a file: the root's nodes are all in the right edge
  // InvalidArgument beyond size(); Corruption when a tile needed is damaged or missing; Io.
  Result<crypto::Digest> root_at(uint64_t tree_size) const;
  Result<crypto::Digest> leaf(uint64_t index) const;
  Result<crypto::CompactRange> compact_range(uint64_t tree_size) const;
  // The same proofs as crypto::MerkleLog's (RFC 9162 PATH and PROOF), with the same refusals.
  Result<std::vector<crypto::Digest>> inclusion_proof(uint64_t index, uint64_t tree_size) const;
  Result<std::vector<crypto::Digest>> consistency_proof(uint64_t old_size, uint64_t new_size) const;
  // The bytes of hash tile `coord` as served (width * 32 bytes). InvalidArgument for an entry bundle,
  // or a tile the log does not hold yet (its last hash would cover leaves beyond size()); Corruption
  // when its file is damaged or missing.
  Result<std::string> tile(const TileCoord& coord) const;

  TileFootprint footprint() const;
  // The tiles the rebuild found missing or damaged and rewrote ("tile/0/005: ...").
  std::vector<std::string> repaired() const;
  // Where the tile files live: <dir>/tile.
  const std::string& directory() const { return tile_dir_; }

 private:
  using TileKey = std::pair<unsigned, uint64_t>;  // (level, index) of a full tile

  TileStore(std::string dir, Storage& storage, TileStoreOptions options);
  // All under mu_.
  Result<crypto::Digest> subtree_hash(unsigned height, uint64_t index) const;  // (index + 1) << height <= size_
  Result<crypto::Digest> range_hash(uint64_t begin, uint64_t end) const;       // a node of the RFC tree
  Result<const crypto::TileHashes*> full_tile(unsigned level, uint64_t index) const;
  void cache_insert(const TileKey& key, crypto::TileHashes tile) const;
  Status complete_tile(unsigned level, uint64_t index, const crypto::TileHashes& tile);
  Status write_file(const TileCoord& coord, const std::string& bytes);
  std::string file_of(const TileCoord& coord) const { return dir_ + "/" + tile_path(coord); }

  const std::string dir_;       // the journal's directory
  const std::string tile_dir_;  // dir_/tile
  Storage& storage_;
  const TileStoreOptions options_;

  mutable std::mutex mu_;
  uint64_t size_ = 0;
  bool rebuilding_ = true;
  Status failure_;
  // edge_[L]: the partial tile at level L, width (size_ >> 8L) % 256, index size_ >> 8(L+1).
  std::vector<crypto::TileHashes> edge_;
  std::vector<std::string> repaired_;
  // Least recently used first out; entries are full tiles whose root matched their parent's hash.
  mutable std::list<std::pair<TileKey, crypto::TileHashes>> lru_;
  mutable std::map<TileKey, std::list<std::pair<TileKey, crypto::TileHashes>>::iterator> cached_;
};

}  // namespace glassbook::journal
