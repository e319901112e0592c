// TileStore: the same roots and proofs as the in-memory Merkle log at many sizes, tiles on disk in the
// tlog-tiles layout, a rebuild that rewrites torn or damaged tiles, damage caught when a tile is read
// back, and memory bounded by the tree's height and the cache, not by the log's size.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "crypto/merkle.h"
#include "journal/tile_store.h"
#include "journal_test_util.h"

namespace glassbook::journal {
namespace {

using testing::TempDir;

crypto::Digest leaf_of(uint64_t i) { return crypto::sha256("record " + std::to_string(i)); }

std::unique_ptr<TileStore> open_store(const std::string& dir, size_t cache_tiles = 64) {
  auto s = TileStore::open(dir, file_storage(), TileStoreOptions{cache_tiles});
  EXPECT_TRUE(s.is_ok()) << s.status().to_string();
  return std::move(s).value();
}

// Appends leaves [from, to) to both.
void grow(TileStore& store, crypto::MerkleLog& log, uint64_t from, uint64_t to) {
  for (uint64_t i = from; i < to; ++i) {
    ASSERT_TRUE(store.append(leaf_of(i)).is_ok());
    log.append_leaf_hash(leaf_of(i));
  }
}

// Roots, compact ranges and proofs of the store and the log agree for tree size `n` (and the store's
// answers verify against the log's root).
void expect_same_at(const TileStore& store, const crypto::MerkleLog& log, uint64_t n) {
  ASSERT_EQ(store.root_at(n).value(), log.root_at(n).value()) << n;
  EXPECT_EQ(store.compact_range(n).value(), log.compact_range(n).value()) << n;
  if (n == 0) return;
  for (uint64_t i : {uint64_t{0}, n / 3, n / 2, n - 1, n > 256 ? uint64_t{255} : 0, n > 300 ? uint64_t{256} : 0}) {
    auto p = store.inclusion_proof(i, n);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    EXPECT_EQ(*p, log.inclusion_proof(i, n).value()) << i << " of " << n;
    EXPECT_TRUE(crypto::verify_inclusion(leaf_of(i), i, n, *p, log.root_at(n).value()));
    EXPECT_EQ(store.leaf(i).value(), leaf_of(i));
  }
  for (uint64_t old : {uint64_t{1}, n / 2, n - 1, uint64_t{255}, uint64_t{256}, uint64_t{257}}) {
    if (old > n) continue;
    auto p = store.consistency_proof(old, n);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    EXPECT_EQ(*p, log.consistency_proof(old, n).value()) << old << " to " << n;
  }
}

// Reads a file whole (empty when missing).
std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(TileStore, ProofsEqualTheInMemoryLogsAtManySizes) {
  TempDir dir;
  auto store = open_store(dir.path(), 2);  // a tiny cache: most lookups read tiles back from disk
  ASSERT_TRUE(store->finish_rebuild().is_ok());
  crypto::MerkleLog log;
  expect_same_at(*store, log, 0);
  EXPECT_EQ(store->root(), crypto::empty_root());
  uint64_t at = 0;
  for (uint64_t n : {1, 2, 3, 255, 256, 257, 511, 512, 513, 1000, 65535, 65536, 65537, 70000}) {
    grow(*store, log, at, n);
    at = n;
    EXPECT_EQ(store->root(), log.root()) << n;
    expect_same_at(*store, log, n);
  }
  // Older sizes after the log grew: their nodes now come from full tiles on disk.
  for (uint64_t n : {1, 255, 256, 257, 4097, 65535, 65536, 65537, 69999}) expect_same_at(*store, log, n);
  EXPECT_EQ(store->inclusion_proof(70000, 70000).status().code(), Error::InvalidArgument);
  EXPECT_EQ(store->root_at(70001).status().code(), Error::InvalidArgument);
  EXPECT_EQ(store->consistency_proof(2, 1).status().code(), Error::InvalidArgument);
}

// The spec's example: a tree of 70,000 leaves is 273 full level-0 tiles, a partial level-0 tile of
// width 112, one full level-1 tile, a partial level-1 tile of width 17 and a partial level-2 tile of 1.
TEST(TileStore, WritesTheSpecsLayoutAndServesTiles) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store->finish_rebuild().is_ok());
  crypto::MerkleLog log;
  grow(*store, log, 0, 70000);
  ASSERT_TRUE(store->write_partial_tiles().is_ok());
  const std::string t = dir.path() + "/tile/";
  EXPECT_EQ(file_bytes(t + "0/000").size(), 8192u);
  EXPECT_EQ(file_bytes(t + "0/272").size(), 8192u);
  EXPECT_FALSE(std::filesystem::exists(t + "0/273"));
  EXPECT_EQ(file_bytes(t + "0/273.p/112").size(), 112u * 32);
  EXPECT_EQ(file_bytes(t + "1/000").size(), 8192u);
  EXPECT_EQ(file_bytes(t + "1/001.p/17").size(), 17u * 32);
  EXPECT_EQ(file_bytes(t + "2/000.p/1").size(), 32u);

  // Level 0 holds the leaf hashes; level 1 the roots of full level-0 tiles.
  std::string expected;
  for (uint64_t i = 256 * 5; i < 256 * 6; ++i) expected.append(reinterpret_cast<const char*>(leaf_of(i).data()), 32);
  EXPECT_EQ(store->tile({false, 0, 5, 256}).value(), expected);
  EXPECT_EQ(store->tile({false, 0, 5, 10}).value(), expected.substr(0, 320));  // a partial tile of a full one
  const std::string level1 = store->tile({false, 1, 0, 256}).value();
  crypto::MerkleLog tile7;
  for (uint64_t i = 256 * 7; i < 256 * 8; ++i) tile7.append_leaf_hash(leaf_of(i));
  EXPECT_EQ(level1.substr(32 * 7, 32), std::string(reinterpret_cast<const char*>(tile7.root().data()), 32));
  EXPECT_EQ(store->tile({false, 0, 273, 112}).value(), file_bytes(t + "0/273.p/112"));
  EXPECT_EQ(store->tile({false, 2, 0, 1}).value(), file_bytes(t + "2/000.p/1"));
  // Beyond the log: a full tile that is still partial, a partial wider than the edge, a level too high.
  EXPECT_EQ(store->tile({false, 0, 273, 256}).status().code(), Error::InvalidArgument);
  EXPECT_EQ(store->tile({false, 0, 273, 113}).status().code(), Error::InvalidArgument);
  EXPECT_EQ(store->tile({false, 0, 274, 1}).status().code(), Error::InvalidArgument);
  EXPECT_EQ(store->tile({false, 3, 0, 1}).status().code(), Error::InvalidArgument);
  EXPECT_EQ(store->tile({false, 0, UINT64_MAX, 1}).status().code(), Error::InvalidArgument);
  EXPECT_EQ(store->tile({true, 0, 0, 256}).status().code(), Error::InvalidArgument);
}

// A restart rebuilds from the journal's leaves: a torn partial tile, a torn full tile, a damaged one
// and a missing one are rewritten, and the proofs are the same as before.
TEST(TileStore, RestartRewritesTornAndDamagedTiles) {
  TempDir dir;
  crypto::MerkleLog log;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store->finish_rebuild().is_ok());
    grow(*store, log, 0, 1000);
    ASSERT_TRUE(store->write_partial_tiles().is_ok());
  }
  const std::string t = dir.path() + "/tile/0/";
  const std::string whole_partial = file_bytes(t + "003.p/232");
  const std::string whole_tile1 = file_bytes(t + "001");
  ASSERT_EQ(whole_partial.size(), 232u * 32);
  std::filesystem::resize_file(t + "003.p/232", 100);  // torn
  std::filesystem::resize_file(t + "000", 4000);       // torn
  {
    std::fstream f(t + "001", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(77);
    f.put('\x5a');  // a flipped byte
  }
  std::filesystem::remove(t + "002");

  auto store = open_store(dir.path());
  for (uint64_t i = 0; i < 1000; ++i) ASSERT_TRUE(store->append(leaf_of(i)).is_ok());
  ASSERT_TRUE(store->finish_rebuild().is_ok());
  const auto repaired = store->repaired();
  ASSERT_EQ(repaired.size(), 3u);
  EXPECT_NE(repaired[0].find("tile/0/000: 4000 bytes, not 8192 (a torn write)"), std::string::npos) << repaired[0];
  EXPECT_NE(repaired[1].find("tile/0/001: other hashes than the journal's (damaged)"), std::string::npos) << repaired[1];
  EXPECT_NE(repaired[2].find("tile/0/002: missing"), std::string::npos) << repaired[2];
  EXPECT_EQ(file_bytes(t + "003.p/232"), whole_partial);
  EXPECT_EQ(file_bytes(t + "001"), whole_tile1);
  EXPECT_EQ(file_bytes(t + "000").size(), 8192u);
  for (uint64_t n : {1, 256, 700, 1000}) expect_same_at(*store, log, n);

  // A second restart over whole tiles rewrites nothing.
  auto again = open_store(dir.path());
  for (uint64_t i = 0; i < 1000; ++i) ASSERT_TRUE(again->append(leaf_of(i)).is_ok());
  ASSERT_TRUE(again->finish_rebuild().is_ok());
  EXPECT_TRUE(again->repaired().empty());
}

// A tile damaged on disk while the node runs is caught when it is read back: never served, never
// used in a proof.
TEST(TileStore, ATileDamagedWhileRunningIsDetectedNotTrusted) {
  TempDir dir;
  auto store = open_store(dir.path(), 1);
  ASSERT_TRUE(store->finish_rebuild().is_ok());
  crypto::MerkleLog log;
  grow(*store, log, 0, 3000);
  const std::string path = dir.path() + "/tile/0/004";
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(32 * 9);
    f.put('\x01');
  }
  ASSERT_TRUE(store->tile({false, 0, 0, 256}).is_ok());  // evicts tile 4 from the one-tile cache
  auto tile = store->tile({false, 0, 4, 256});
  ASSERT_EQ(tile.status().code(), Error::Corruption);
  EXPECT_NE(tile.status().message().find("tile/0/004 in " + dir.path() + " is damaged"), std::string::npos) << tile.status().message();
  auto proof = store->inclusion_proof(4 * 256 + 3, 3000);
  EXPECT_EQ(proof.status().code(), Error::Corruption);
  EXPECT_EQ(store->root_at(4 * 256 + 100).status().code(), Error::Corruption);
  // The rest of the tree still answers, and the current root never reads a file.
  EXPECT_EQ(store->inclusion_proof(10, 3000).value(), log.inclusion_proof(10, 3000).value());
  EXPECT_EQ(store->root(), log.root());
  std::filesystem::remove(path);
  EXPECT_NE(store->tile({false, 0, 4, 3}).status().message().find("is missing"), std::string::npos);
}

// Memory: the right edge (at most 511 hashes a level) plus the cache, whatever the log's size.
TEST(TileStore, MemoryIsBoundedByTheTreesHeightAndTheCache) {
  TempDir dir;
  const size_t cache_tiles = 4;
  auto store = open_store(dir.path(), cache_tiles);
  ASSERT_TRUE(store->finish_rebuild().is_ok());
  crypto::MerkleLog log;
  size_t most = 0;
  for (uint64_t n = 0; n < 200'000; n += 10'000) {
    grow(*store, log, n, n + 10'000);
    for (uint64_t i = 0; i < n + 10'000; i += 9'973) ASSERT_TRUE(store->inclusion_proof(i, n + 10'000).is_ok());
    const TileFootprint f = store->footprint();
    EXPECT_LE(f.cached_tiles, cache_tiles);
    EXPECT_LE(f.cached_hashes, cache_tiles * 511);
    EXPECT_LE(f.edge_hashes, f.levels * 511);
    most = std::max(most, f.total());
  }
  const TileFootprint f = store->footprint();
  EXPECT_EQ(f.levels, 3u);  // 200,000 leaves: 781 hashes at level 1, 3 at level 2
  EXPECT_LE(most, 3 * 511 + cache_tiles * 511);
  EXPECT_EQ(store->root(), log.root());
}

}  // namespace
}  // namespace glassbook::journal
