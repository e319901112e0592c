// Node::record and Node::tile: durable records read back from the journal's segments (so that a client
// can check a record itself against its inclusion proof: GET /api/v1/glassbook/record), alone or as
// tlog-tiles entry bundles, and the hash tiles beside them.
#include <fmt/format.h>

#include <cstring>

#include "journal/node.h"
#include "journal/reader.h"

#include <algorithm>

namespace glassbook::journal {


// A read-only scan that starts in the segment holding the record and stops at it: the segments are
// never repaired from here (the journal thread may be appending to the last one), and a record past
// the durable tree size is refused before any file is read.
Result<std::string> Node::record(SeqNo seq) const {
  const uint64_t durable = tree_size();
  if (seq >= durable) return Status(Error::InvalidArgument, fmt::format("record {} is not durable yet: the log holds {} records", seq, durable));
  ScanOptions options;
  options.from_seq = seq;
  options.repair = false;
  std::string found;
  bool have = false;
  auto scanned = scan_journal(options_.dir, options, [&](const RecordView& v) -> Status {
    found.assign(v.encoded);
    have = true;
    return Status(Error::InvalidArgument, "found");  // any refusal stops the scan: `have` tells them apart
  }, storage());
  if (have) return found;
  if (!scanned) return Status(scanned.status().code(), fmt::format("record {} could not be read: {}", seq, scanned.status().message()));
  return Status(Error::InvalidArgument, fmt::format("record {} is not in the journal's segments (pruned behind a snapshot?)", seq));
}

Result<std::string> Node::tile(const TileCoord& coord) const {
  if (!coord.entries) {
    std::lock_guard lock(merkle_mu_);
    return tiles_->tile(coord);
  }
  // The leaf hashes the bundle must match, from the level-0 tile (which also refuses a bundle beyond
  // the durable size).
  std::string leaves;
  {
    std::lock_guard lock(merkle_mu_);
    auto tile = tiles_->tile(TileCoord{false, 0, coord.index, coord.width});
    if (!tile) {
      if (tile.status().code() == Error::InvalidArgument)
        return Status(Error::InvalidArgument, fmt::format("{} is beyond the log, which holds {} records", tile_path(coord), tiles_->size()));
      return tile.status();
    }
    leaves = std::move(tile).value();
  }
  // One read-only scan from the bundle's first record, stopped after its last (never repairs: the
  // journal thread may be appending to the last segment).
  const SeqNo first = coord.index * 256;
  ScanOptions options;
  options.from_seq = first;
  options.repair = false;
  std::string bundle;
  unsigned taken = 0;
  Status mismatch;
  auto scanned = scan_journal(options_.dir, options, [&](const RecordView& v) -> Status {
    if (std::memcmp(v.hash.data(), leaves.data() + taken * crypto::kTileHashBytes, crypto::kTileHashBytes) != 0) {
      mismatch = Status(Error::Corruption, fmt::format("record {} in the journal does not hash to leaf {} of the Merkle tiles", v.seq, v.seq));
      return mismatch;
    }
    // A tlog-tiles entry's length is a big-endian uint16. The sequencer journals nothing longer
    // (sequencer_submission.cpp); only a journal written before that rule could hold a 65,536-byte record.
    if (v.encoded.size() > UINT16_MAX) {
      mismatch = Status(Error::Corruption, fmt::format("record {} is {} bytes, too long for a tlog-tiles entry", v.seq, v.encoded.size()));
      return mismatch;
    }
    bundle.push_back(static_cast<char>(v.encoded.size() >> 8));
    bundle.push_back(static_cast<char>(v.encoded.size() & 0xff));
    bundle.append(v.encoded);
    ++taken;
    return taken == coord.width ? Status(Error::InvalidArgument, "bundle complete") : Status();  // any refusal stops the scan
  }, storage());
  if (!mismatch.is_ok()) return mismatch;
  if (taken == coord.width) return bundle;
  if (!scanned) return Status(scanned.status().code(), fmt::format("{} could not be read: {}", tile_path(coord), scanned.status().message()));
  return Status(Error::Corruption, fmt::format("{}: the journal's segments end after {} of its {} records (pruned behind a snapshot?)",
                                               tile_path(coord), taken, coord.width));
}

}  // namespace glassbook::journal

namespace glassbook::journal {

Result<ReplicationBatch> Node::replication_batch(SeqNo from, uint64_t checkpointed, size_t max_bytes) const {
  ReplicationBatch batch;
  batch.first_seq = from;
  batch.durable = feed_->end();
  // A replica ahead of the log gets no records and the log's size: it stops, since the primary has
  // lost records it had made durable (or is another log).
  if (from > batch.durable) return batch;
  const uint64_t min_size = std::max<uint64_t>(from, checkpointed + 1);
  auto lookup = feed_->checkpoint_from(min_size);
  if (!lookup.known) {  // a replica more checkpoints behind than the feed keeps: from the checkpoint log
    auto stored = read_checkpoints(options_.dir, storage());
    if (!stored) return stored.status();
    lookup = {};
    for (const StoredCheckpoint& e : stored->entries) {
      if (e.checkpoint.tree_size >= min_size) {
        lookup.checkpoint.emplace(e.checkpoint.tree_size, e.note);
        break;
      }
    }
  }
  SeqNo stop = batch.durable;
  if (lookup.checkpoint && lookup.checkpoint->first < stop) stop = lookup.checkpoint->first;
  const size_t limit = std::min(max_bytes, kMaxBatchBytes - kMaxNoteBytes - 64);
  const SeqNo window = feed_->window_start();
  if (from < window && from < stop) {
    // Behind the window: one read-only scan from `from` (never repairs; the last segment is being written).
    const SeqNo scan_stop = std::min(stop, window);
    ScanOptions options;
    options.from_seq = from;
    options.repair = false;
    size_t bytes = 0;
    auto scanned = scan_journal(options_.dir, options, [&](const RecordView& v) -> Status {
      if (v.seq >= scan_stop || batch.records.size() == kMaxBatchRecords ||
          (!batch.records.empty() && bytes + v.encoded.size() > limit))
        return Status(Error::InvalidArgument, "batch complete");  // any refusal stops the scan
      batch.records.emplace_back(v.encoded);
      bytes += v.encoded.size();
      return {};
    }, storage());
    if (batch.records.empty() && !scanned)
      return Status(scanned.status().code(), fmt::format("records from {} could not be read: {}", from, scanned.status().message()));
    if (batch.records.empty())
      return Status(Error::Corruption, fmt::format("record {} is not in the journal's segments (pruned behind a snapshot?)", from));
  } else if (from < stop) {
    feed_->copy(from, stop, limit, batch.records);
    if (batch.records.size() > kMaxBatchRecords) batch.records.resize(kMaxBatchRecords);
  }
  if (lookup.checkpoint && lookup.checkpoint->first == batch.end_seq()) batch.checkpoint = std::move(lookup.checkpoint->second);
  return batch;
}

}  // namespace glassbook::journal
