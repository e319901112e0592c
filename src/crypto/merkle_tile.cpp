// TileHashes: a tile's hashes and its internal Merkle nodes, built incrementally.
#include "crypto/merkle_tile.h"

#include <cstring>
#include <string>

#include "core/assert.h"
#include "crypto/merkle.h"

namespace glassbook::crypto {

Result<TileHashes> TileHashes::from_bytes(std::string_view bytes) {
  if (bytes.empty() || bytes.size() % kTileHashBytes != 0 || bytes.size() > kFullTileBytes)
    return Status(Error::InvalidArgument,
                  "a tile is 1 to 256 hashes of 32 bytes, not " + std::to_string(bytes.size()) + " bytes");
  TileHashes tile;
  for (size_t at = 0; at < bytes.size(); at += kTileHashBytes) {
    Digest d;
    std::memcpy(d.data(), bytes.data() + at, kTileHashBytes);
    tile.append(d);
  }
  return tile;
}

void TileHashes::append(const Digest& hash) {
  GB_ASSERT(width() < kTileWidth);
  levels_[0].push_back(hash);
  // The new hash completes one node per trailing one bit of its index within the tile.
  unsigned index = width() - 1;
  for (unsigned r = 0; (index & 1) != 0; ++r) {
    index >>= 1;
    levels_[r + 1].push_back(node_hash(levels_[r][2 * index], levels_[r][2 * index + 1]));
  }
}

void TileHashes::clear() {
  for (auto& level : levels_) level.clear();
}

const Digest& TileHashes::node(unsigned r, unsigned k) const {
  GB_ASSERT(r <= kTileHeight && ((k + 1u) << r) <= width());
  return levels_[r][k];
}

std::string TileHashes::bytes(unsigned width) const {
  GB_ASSERT(width <= this->width());
  std::string out(width * kTileHashBytes, '\0');
  for (unsigned i = 0; i < width; ++i) std::memcpy(out.data() + i * kTileHashBytes, levels_[0][i].data(), kTileHashBytes);
  return out;
}

size_t TileHashes::resident_hashes() const {
  size_t n = 0;
  for (const auto& level : levels_) n += level.size();
  return n;
}

}  // namespace glassbook::crypto
