// TileHashes: every node inside a tile equals the Merkle log's node over the same hashes; the bytes as
// served round-trip; malformed tile bytes are refused.
#include <gtest/gtest.h>

#include "crypto/merkle.h"
#include "crypto/merkle_tile.h"

namespace glassbook::crypto {
namespace {

Digest leaf_of(uint64_t i) { return sha256("leaf " + std::to_string(i)); }

TEST(TileHashes, NodesEqualTheLogsSubtreeRoots) {
  MerkleLog log;
  TileHashes tile;
  for (unsigned i = 0; i < kTileWidth; ++i) {
    log.append_leaf_hash(leaf_of(i));
    tile.append(leaf_of(i));
    ASSERT_EQ(tile.width(), i + 1);
    const unsigned w = tile.width();
    if (w != 1 && w != 2 && w != 3 && w != 7 && w != 100 && w != 255 && w != 256) continue;
    // The complete nodes so far: node(r, k) is the root of leaves [k * 2^r, (k + 1) * 2^r).
    for (unsigned r = 0; r <= kTileHeight; ++r)
      for (unsigned k = 0; ((k + 1) << r) <= tile.width(); ++k) {
        MerkleLog sub;
        for (unsigned j = k << r; j < ((k + 1) << r); ++j) sub.append_leaf_hash(leaf_of(j));
        if (r == 0) EXPECT_EQ(tile.node(r, k), leaf_of(k));
        else if (k == 0) EXPECT_EQ(tile.node(r, k), log.root_at(1u << r).value()) << r;
        else EXPECT_EQ(tile.node(r, k), sub.root()) << r << " " << k;
      }
  }
  EXPECT_TRUE(tile.full());
  EXPECT_EQ(tile.node(kTileHeight, 0), log.root());
  EXPECT_EQ(tile.resident_hashes(), 511u);
}

TEST(TileHashes, BytesRoundTripAndPartialPrefixes) {
  TileHashes tile;
  for (unsigned i = 0; i < 100; ++i) tile.append(leaf_of(i));
  const std::string bytes = tile.bytes();
  ASSERT_EQ(bytes.size(), 100 * kTileHashBytes);
  auto back = TileHashes::from_bytes(bytes);
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(back->width(), 100u);
  EXPECT_EQ(back->node(6, 0), tile.node(6, 0));
  EXPECT_EQ(tile.bytes(7), bytes.substr(0, 7 * kTileHashBytes));
}

TEST(TileHashes, RefusesBytesThatAreNotATile) {
  EXPECT_EQ(TileHashes::from_bytes("").status().code(), Error::InvalidArgument);
  EXPECT_EQ(TileHashes::from_bytes(std::string(33, 'a')).status().code(), Error::InvalidArgument);
  EXPECT_EQ(TileHashes::from_bytes(std::string(kFullTileBytes + 32, 'a')).status().code(), Error::InvalidArgument);
  EXPECT_TRUE(TileHashes::from_bytes(std::string(kFullTileBytes, 'a')).is_ok());
}

}  // namespace
}  // namespace glassbook::crypto
