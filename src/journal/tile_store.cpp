// TileStore: appends leaf hashes into tiles on disk, reads tiles back through a checked cache, and
// builds roots and proofs from the nodes the tiles hold.
#include "journal/tile_store.h"

#include <fmt/format.h>

#include <bit>

#include "core/assert.h"
#include "crypto/merkle.h"
#include "crypto/merkle_paths.h"

namespace glassbook::journal {

namespace {

constexpr unsigned kLevels = 8;           // 8 levels of height 8 cover every size below 2^64
constexpr size_t kMaxRepairMessages = 16;  // the rest are counted

// x >> bits, 0 when bits >= 64 (a plain shift by 64 is undefined).
uint64_t shr(uint64_t x, unsigned bits) { return bits >= 64 ? 0 : x >> bits; }

Status bad(std::string message) { return Status(Error::InvalidArgument, std::move(message)); }

}  // namespace

TileStore::TileStore(std::string dir, Storage& storage, TileStoreOptions options)
    : dir_(std::move(dir)), tile_dir_(dir_ + "/" + kTileDirectory), storage_(storage), options_(options), edge_(kLevels) {}

Result<std::unique_ptr<TileStore>> TileStore::open(const std::string& dir, Storage& storage, TileStoreOptions options) {
  if (options.cache_tiles == 0) return bad("tile store: the cache must hold at least one tile");
  return std::unique_ptr<TileStore>(new TileStore(dir, storage, options));
}

Status TileStore::append(const crypto::Digest& leaf_hash) {
  std::lock_guard lock(mu_);
  if (!failure_.is_ok()) return failure_;
  GB_ASSERT(size_ < (uint64_t{1} << 63));
  // The leaf completes the tile at level 0 when it is its 256th hash; that tile's root is then the
  // next hash of level 1, and so on up.
  crypto::Digest carry = leaf_hash;
  for (unsigned level = 0; level < kLevels; ++level) {
    crypto::TileHashes& tile = edge_[level];
    tile.append(carry);
    if (!tile.full()) break;
    carry = tile.node(crypto::kTileHeight, 0);
    if (Status s = complete_tile(level, size_ >> (8 * (level + 1)), tile); !s) {
      failure_ = s;
      return s;
    }
    tile.clear();
  }
  ++size_;
  return {};
}

Status TileStore::complete_tile(unsigned level, uint64_t index, const crypto::TileHashes& tile) {
  const TileCoord coord{false, level, index, 256};
  std::string bytes = tile.bytes();
  if (rebuilding_) {
    std::string why;
    auto file = storage_.open(file_of(coord), OpenMode::Read);
    if (!file) {
      why = "missing";
    } else if (auto size = (*file)->size(); !size || *size != crypto::kFullTileBytes) {
      why = size ? fmt::format("{} bytes, not {} (a torn write)", *size, crypto::kFullTileBytes) : size.status().message();
    } else {
      std::string existing(crypto::kFullTileBytes, '\0');
      if (Status s = (*file)->read_at(0, existing.data(), existing.size()); !s) why = s.message();
      else if (existing != bytes) why = "other hashes than the journal's (damaged)";
    }
    if (why.empty()) return {};
    if (repaired_.size() < kMaxRepairMessages) repaired_.push_back(fmt::format("{}: {}; rewritten from the journal", tile_path(coord), why));
    else if (repaired_.size() == kMaxRepairMessages) repaired_.push_back("(more tiles were rewritten)");
  }
  if (Status s = write_file(coord, bytes); !s) return s;
  if (!rebuilding_) cache_insert({level, index}, tile);  // the newest tiles are the likeliest to be read
  return {};
}

Status TileStore::write_file(const TileCoord& coord, const std::string& bytes) {
  const std::string path = file_of(coord);
  if (Status s = storage_.create_directories(path.substr(0, path.rfind('/'))); !s) return s;
  auto file = storage_.open(path, OpenMode::Replace);
  if (!file) return file.status();
  if (Status s = (*file)->write_at(0, bytes); !s) return s;
  // No fsync: a tile is derived from the journal, and one lost or torn in a crash is rebuilt at the
  // next start. A sync per tile would double the journal thread's syncs for nothing.
  return (*file)->close();
}

Status TileStore::finish_rebuild() {
  {
    std::lock_guard lock(mu_);
    if (!failure_.is_ok()) return failure_;
    rebuilding_ = false;
  }
  return write_partial_tiles();
}

Status TileStore::write_partial_tiles() {
  std::lock_guard lock(mu_);
  if (!failure_.is_ok()) return failure_;
  for (unsigned level = 0; level < kLevels; ++level) {
    const uint64_t hashes = shr(size_, 8 * level);
    if (hashes == 0) break;
    const unsigned width = static_cast<unsigned>(hashes % crypto::kTileWidth);
    if (width == 0) continue;  // no partial tile at this level: its last tile is full
    const TileCoord coord{false, level, hashes / crypto::kTileWidth, width};
    if (Status s = write_file(coord, edge_[level].bytes()); !s) {
      failure_ = s;
      return s;
    }
  }
  return {};
}

uint64_t TileStore::size() const {
  std::lock_guard lock(mu_);
  return size_;
}

crypto::Digest TileStore::root() const {
  std::lock_guard lock(mu_);
  if (size_ == 0) return crypto::empty_root();
  auto root = range_hash(0, size_);
  GB_ASSERT(root.is_ok());  // every node of the whole tree's root is in the right edge, in memory
  return root.value();
}

Result<crypto::Digest> TileStore::root_at(uint64_t tree_size) const {
  std::lock_guard lock(mu_);
  if (tree_size > size_) return bad(fmt::format("root_at: tree size {} > log size {}", tree_size, size_));
  if (tree_size == 0) return crypto::empty_root();
  return range_hash(0, tree_size);
}

Result<crypto::Digest> TileStore::leaf(uint64_t index) const {
  std::lock_guard lock(mu_);
  if (index >= size_) return bad(fmt::format("leaf {} is beyond the log's {} leaves", index, size_));
  return subtree_hash(0, index);
}

Result<crypto::CompactRange> TileStore::compact_range(uint64_t tree_size) const {
  std::lock_guard lock(mu_);
  if (tree_size > size_) return bad("compact range beyond the log's size");
  std::vector<crypto::Digest> peaks;
  uint64_t begin = 0;
  for (int h = 63; h >= 0; --h) {
    const uint64_t width = uint64_t{1} << h;
    if ((tree_size & width) == 0) continue;
    auto peak = subtree_hash(static_cast<unsigned>(h), begin >> h);
    if (!peak) return peak.status();
    peaks.push_back(*peak);
    begin += width;
  }
  return crypto::CompactRange::from_peaks(tree_size, std::move(peaks));
}

Result<std::vector<crypto::Digest>> TileStore::inclusion_proof(uint64_t index, uint64_t tree_size) const {
  std::lock_guard lock(mu_);
  if (tree_size > size_) return bad(fmt::format("inclusion_proof: tree size {} > log size {}", tree_size, size_));
  if (index >= tree_size) return bad(fmt::format("inclusion_proof: index {} >= tree size {}", index, tree_size));
  std::vector<crypto::Digest> proof;
  for (const crypto::NodeRange& r : crypto::inclusion_path(index, tree_size)) {
    auto h = range_hash(r.begin, r.end);
    if (!h) return h.status();
    proof.push_back(*h);
  }
  return proof;
}

Result<std::vector<crypto::Digest>> TileStore::consistency_proof(uint64_t old_size, uint64_t new_size) const {
  std::lock_guard lock(mu_);
  if (new_size > size_) return bad(fmt::format("consistency_proof: new size {} > log size {}", new_size, size_));
  if (old_size > new_size) return bad(fmt::format("consistency_proof: old size {} > new size {}", old_size, new_size));
  std::vector<crypto::Digest> proof;
  for (const crypto::NodeRange& r : crypto::consistency_path(old_size, new_size)) {
    auto h = range_hash(r.begin, r.end);
    if (!h) return h.status();
    proof.push_back(*h);
  }
  return proof;
}

Result<std::string> TileStore::tile(const TileCoord& coord) const {
  if (coord.entries) return bad("an entry bundle is not a hash tile");
  std::lock_guard lock(mu_);
  const uint64_t hashes = shr(size_, 8 * coord.level);  // complete subtrees of height 8L so far
  const std::string name = tile_path(coord);
  if (coord.index > hashes / crypto::kTileWidth || coord.index * crypto::kTileWidth + coord.width > hashes)
    return bad(fmt::format("{} is beyond the log, which holds {} records", name, size_));
  if (coord.index == hashes / crypto::kTileWidth) return edge_[coord.level].bytes(coord.width);
  auto full = full_tile(coord.level, coord.index);
  if (!full) return full.status();
  return (*full)->bytes(coord.width);
}

Result<crypto::Digest> TileStore::range_hash(uint64_t begin, uint64_t end) const {
  GB_ASSERT(begin < end && end <= size_);
  GB_ASSERT(begin % std::bit_ceil(end - begin) == 0);
  // D[begin:end] splits into complete subtrees of decreasing size (the set bits of end - begin), and
  // MTH folds them from the right: MTH = node(c1, node(c2, ... node(c_{k-1}, c_k))).
  uint64_t rest = end - begin;
  uint64_t right_end = end;
  crypto::Digest acc{};
  bool first = true;
  while (rest != 0) {
    const unsigned height = static_cast<unsigned>(std::countr_zero(rest));
    const uint64_t start = right_end - (uint64_t{1} << height);
    auto sub = subtree_hash(height, start >> height);
    if (!sub) return sub.status();
    acc = first ? *sub : crypto::node_hash(*sub, acc);
    first = false;
    right_end = start;
    rest &= rest - 1;
  }
  return acc;
}

Result<crypto::Digest> TileStore::subtree_hash(unsigned height, uint64_t index) const {
  // The node is 2^r consecutive hashes of the tile level L below it, all in one tile of that level.
  const unsigned level = height / crypto::kTileHeight;
  const unsigned r = height % crypto::kTileHeight;
  const uint64_t first = index << r;  // its first hash at level L
  const uint64_t tile_index = first / crypto::kTileWidth;
  const unsigned within = static_cast<unsigned>(first % crypto::kTileWidth) >> r;
  GB_ASSERT(level < kLevels && ((first + (uint64_t{1} << r)) << (8 * level)) <= size_);
  if (tile_index == shr(size_, 8 * (level + 1))) return edge_[level].node(r, within);
  auto tile = full_tile(level, tile_index);
  if (!tile) return tile.status();
  return (*tile)->node(r, within);
}

Result<const crypto::TileHashes*> TileStore::full_tile(unsigned level, uint64_t index) const {
  const TileKey key{level, index};
  if (auto it = cached_.find(key); it != cached_.end()) {
    lru_.splice(lru_.end(), lru_, it->second);  // most recently used last
    return &it->second->second;
  }
  const TileCoord coord{false, level, index, 256};
  const std::string name = tile_path(coord);
  // What this tile must hash to: its entry one level up (the right edge in memory, or a tile checked
  // the same way, up to the edge).
  auto expected = subtree_hash(8 * (level + 1), index);
  if (!expected) return expected.status();
  auto damaged = [&](std::string why) {
    return Status(Error::Corruption, fmt::format("{} in {} is {}: not served; the node rewrites it from the journal at its next start",
                                                 name, dir_, why));
  };
  auto file = storage_.open(file_of(coord), OpenMode::Read);
  if (!file) return damaged(fmt::format("missing ({})", file.status().message()));
  auto size = (*file)->size();
  if (!size) return size.status();
  if (*size != crypto::kFullTileBytes) return damaged(fmt::format("{} bytes, not {}", *size, crypto::kFullTileBytes));
  std::string bytes(crypto::kFullTileBytes, '\0');
  if (Status s = (*file)->read_at(0, bytes.data(), bytes.size()); !s) return s;
  auto tile = crypto::TileHashes::from_bytes(bytes);
  GB_ASSERT(tile.is_ok());
  if (tile->node(crypto::kTileHeight, 0) != *expected)
    return damaged(fmt::format("damaged: its hashes hash to {}, not to the tree's {}", crypto::to_hex(tile->node(crypto::kTileHeight, 0)),
                               crypto::to_hex(*expected)));
  cache_insert(key, std::move(tile).value());
  return &lru_.back().second;
}

void TileStore::cache_insert(const TileKey& key, crypto::TileHashes tile) const {
  if (auto it = cached_.find(key); it != cached_.end()) {
    lru_.erase(it->second);
    cached_.erase(it);
  }
  while (lru_.size() >= options_.cache_tiles) {
    cached_.erase(lru_.front().first);
    lru_.pop_front();
  }
  lru_.emplace_back(key, std::move(tile));
  cached_[key] = std::prev(lru_.end());
}

TileFootprint TileStore::footprint() const {
  std::lock_guard lock(mu_);
  TileFootprint f;
  for (unsigned level = 0; level < kLevels; ++level) {
    f.edge_hashes += edge_[level].resident_hashes();
    if (shr(size_, 8 * level) > 0) f.levels = level + 1;
  }
  for (const auto& [key, tile] : lru_) f.cached_hashes += tile.resident_hashes();
  f.cached_tiles = lru_.size();
  return f;
}

std::vector<std::string> TileStore::repaired() const {
  std::lock_guard lock(mu_);
  return repaired_;
}

}  // namespace glassbook::journal
