// One tile of a C2SP tlog-tiles Merkle tree (up to 256 hashes at one tile level) with every complete
// subtree inside it, so that any tree node lying within the tile is looked up, never rehashed.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/sha256.h"

namespace glassbook::crypto {

inline constexpr unsigned kTileHeight = 8;                       // tlog-tiles: tiles of height 8
inline constexpr unsigned kTileWidth = 1u << kTileHeight;        // 256 hashes in a full tile
inline constexpr size_t kTileHashBytes = 32;                     // SHA-256
inline constexpr size_t kFullTileBytes = kTileWidth * kTileHashBytes;  // 8,192 bytes

// A tile at level L holds consecutive hashes of complete subtrees of height 8*L (level 0: leaf hashes).
// node(r, k) is the Merkle Tree Hash of its hashes [k * 2^r, (k + 1) * 2^r), a node of height 8*L + r
// of the whole tree; node(8, 0) is the tile's root, which is one hash of the tile at level L + 1.
// Holds at most 511 hashes (256 + 128 + ... + 1): appending a hash costs amortised one node hash.
class TileHashes {
 public:
  TileHashes() = default;
  // The tile as served (width hashes of 32 bytes, concatenated): InvalidArgument unless its size is a
  // non-zero multiple of 32 of at most 8,192 bytes. Hashes its internal nodes (at most 255 node hashes).
  static Result<TileHashes> from_bytes(std::string_view bytes);

  // Precondition: width() < kTileWidth.
  void append(const Digest& hash);
  void clear();

  unsigned width() const { return static_cast<unsigned>(levels_[0].size()); }
  bool full() const { return width() == kTileWidth; }
  const Digest& hash(unsigned i) const { return levels_[0][i]; }  // precondition: i < width()
  // Precondition: r <= 8 and (k + 1) << r <= width().
  const Digest& node(unsigned r, unsigned k) const;
  // The first `width` hashes as served (a partial tile of that width). Precondition: width <= width().
  std::string bytes(unsigned width) const;
  std::string bytes() const { return bytes(width()); }
  // Hashes held, internal nodes included (what the tile costs in memory, in 32-byte units).
  size_t resident_hashes() const;

 private:
  std::array<std::vector<Digest>, kTileHeight + 1> levels_;  // levels_[r].size() == width() >> r
};

}  // namespace glassbook::crypto
