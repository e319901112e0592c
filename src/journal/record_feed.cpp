// RecordFeed (record_feed.h): group commits kept whole as chunks, split into records by their headers.
#include "journal/record_feed.h"

#include <algorithm>

#include "core/assert.h"
#include "journal/record.h"

namespace glassbook::journal {

namespace {

// The payload length at bytes 8..11 of a record's header: the record is 12 + it + 4 bytes.
size_t framed_size(const std::string& bytes, size_t at) {
  GB_ASSERT(at + kHeaderBytes <= bytes.size());
  uint32_t payload = 0;
  for (int i = 0; i < 4; ++i) payload |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 8 + i])) << (8 * i);
  return kHeaderBytes + payload + kChecksumBytes;
}

}  // namespace

RecordFeed::RecordFeed(SeqNo next_seq, std::vector<std::pair<uint64_t, std::string>> checkpoints, RecordFeedOptions options)
    : options_(options), start_(next_seq), end_(next_seq) {
  GB_ASSERT(options_.max_checkpoints >= 1);
  const size_t keep = std::min(checkpoints.size(), options_.max_checkpoints);
  const size_t first = checkpoints.size() - keep;
  if (first > 0) checkpoints_complete_after_ = checkpoints[first - 1].first;
  for (size_t i = first; i < checkpoints.size(); ++i) checkpoints_.push_back(std::move(checkpoints[i]));
}

void RecordFeed::append(const SyncedBatch& batch) {
  if (batch.empty()) return;
  auto chunk = std::make_shared<Chunk>();
  chunk->first_seq = batch.first_seq;
  chunk->bytes = batch.bytes;
  chunk->offsets.reserve(batch.hashes.size() + 1);
  size_t at = 0;
  for (size_t i = 0; i < batch.hashes.size(); ++i) {
    chunk->offsets.push_back(static_cast<uint32_t>(at));
    at += framed_size(chunk->bytes, at);
  }
  GB_ASSERT(at == chunk->bytes.size());
  chunk->offsets.push_back(static_cast<uint32_t>(at));
  std::lock_guard lock(mu_);
  GB_ASSERT(batch.first_seq == end_);
  end_ = batch.end_seq();
  bytes_ += chunk->bytes.size();
  chunks_.push_back(std::move(chunk));
  while (bytes_ > options_.max_bytes && chunks_.size() > 1) {
    bytes_ -= chunks_.front()->bytes.size();
    chunks_.pop_front();
  }
  start_ = chunks_.front()->first_seq;
}

void RecordFeed::add_checkpoint(uint64_t tree_size, std::string note) {
  std::lock_guard lock(mu_);
  GB_ASSERT(checkpoints_.empty() || checkpoints_.back().first < tree_size);
  checkpoints_.emplace_back(tree_size, std::move(note));
  if (checkpoints_.size() > options_.max_checkpoints) {
    checkpoints_complete_after_ = checkpoints_.front().first;
    checkpoints_.pop_front();
  }
}

SeqNo RecordFeed::end() const {
  std::lock_guard lock(mu_);
  return end_;
}

SeqNo RecordFeed::window_start() const {
  std::lock_guard lock(mu_);
  return start_;
}

RecordFeed::CheckpointLookup RecordFeed::checkpoint_from(uint64_t min_size) const {
  std::lock_guard lock(mu_);
  if (min_size <= checkpoints_complete_after_) return CheckpointLookup{false, std::nullopt};
  auto it = std::lower_bound(checkpoints_.begin(), checkpoints_.end(), min_size,
                             [](const auto& cp, uint64_t size) { return cp.first < size; });
  if (it == checkpoints_.end()) return {};
  return CheckpointLookup{true, *it};
}

size_t RecordFeed::copy(SeqNo from, SeqNo stop, size_t max_bytes, std::vector<std::string>& out) const {
  std::vector<std::shared_ptr<const Chunk>> chunks;
  {
    std::lock_guard lock(mu_);
    GB_ASSERT(start_ <= from);
    stop = std::min(stop, end_);
    if (from >= stop) return 0;
    auto it = std::upper_bound(chunks_.begin(), chunks_.end(), from,
                               [](SeqNo seq, const auto& c) { return seq < c->first_seq; });
    GB_ASSERT(it != chunks_.begin());
    for (--it; it != chunks_.end() && (*it)->first_seq < stop; ++it) chunks.push_back(*it);
  }
  size_t copied = 0, bytes = 0;
  SeqNo seq = from;
  for (const auto& c : chunks) {
    const size_t n = c->offsets.size() - 1;
    for (size_t i = seq - c->first_seq; i < n && seq < stop; ++i, ++seq) {
      const size_t size = c->offsets[i + 1] - c->offsets[i];
      if (copied > 0 && bytes + size > max_bytes) return copied;
      out.emplace_back(c->bytes, c->offsets[i], size);
      bytes += size;
      ++copied;
    }
  }
  return copied;
}

}  // namespace glassbook::journal
