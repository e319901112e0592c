// SequencedRequests: the open windows of sequenced signed requests, their canonical bytes, strict reading and commitment.
#include "engine/sequenced_requests.h"

#include <fmt/format.h>

namespace glassbook::engine {

namespace {
constexpr size_t kEntryBytes = 8 + 32;
constexpr int64_t kBucketMicros = 10'000;
constexpr int64_t kSecondMicros = 1'000'000;

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0); }

// One bucket's entries in their canonical bytes (the snapshot's, and what the root hashes).
template <class Entries>
void write_entries(ByteWriter& w, const Entries& entries) {
  for (const auto& [closes, d] : entries) {
    w.i64(closes);
    w.key(d);
  }
}
}  // namespace

crypto::Digest SequencedRequests::digest(const crypto::PublicKey& signer, std::string_view text) {
  crypto::Sha256 h;
  h.update("glassbook/request/v1");
  h.update(signer.data(), signer.size());
  h.update(text);
  return h.finish();
}

void SequencedRequests::insert(const Entry& e) {
  Second& sec = seconds_[floor_div(e.first, kSecondMicros)];
  Bucket& b = sec.buckets[floor_div(e.first, kBucketMicros)];
  b.entries.insert(e);
  b.dirty = true;
  ++sec.size;
  sec.dirty = true;
}

void SequencedRequests::add(const crypto::Digest& d, Timestamp closes, Timestamp now) {
  while (!seconds_.empty()) {
    Second& sec = seconds_.begin()->second;
    while (!sec.buckets.empty()) {
      Bucket& b = sec.buckets.begin()->second;
      while (!b.entries.empty() && b.entries.begin()->first < now) {
        digests_.erase(b.entries.begin()->second);
        b.entries.erase(b.entries.begin());
        b.dirty = true;
        --sec.size;
        sec.dirty = true;
      }
      if (!b.entries.empty()) break;
      sec.buckets.erase(sec.buckets.begin());
    }
    if (!sec.buckets.empty()) break;
    seconds_.erase(seconds_.begin());
  }
  if (digests_.insert(d)) insert({closes, d});
}

void SequencedRequests::write(ByteWriter& w) const {
  w.u32(static_cast<uint32_t>(digests_.size()));
  for (const auto& [second, sec] : seconds_)
    for (const auto& [index, b] : sec.buckets) write_entries(w, b.entries);
}

Status SequencedRequests::read(ByteReader& r, Timestamp earliest, Timestamp latest) {
  uint32_t n = 0;
  r.u32(n);
  if (!r.ok()) return r.status(false);
  if (n > r.remaining() / kEntryBytes)
    return Status(Error::Corruption, fmt::format("sequenced requests: {} records of {} bytes do not fit in the {} bytes left", n,
                                                 kEntryBytes, r.remaining()));
  seconds_.clear();
  digests_.clear();
  digests_.reserve(n);
  Entry previous{};
  for (uint32_t i = 0; i < n; ++i) {
    Entry e{};
    r.i64(e.first);
    r.key(e.second);
    if (!r.ok()) return r.status(false);
    if (e.first < earliest || e.first > latest)
      return Status(Error::Corruption, fmt::format("sequenced request {}: its window closes at {} µs, outside {}..{}", i, e.first,
                                                   earliest, latest));
    if (i > 0 && !(previous < e)) return Status(Error::Corruption, fmt::format("sequenced request {}: out of (closes, digest) order", i));
    if (!digests_.insert(e.second)) return Status(Error::Corruption, fmt::format("sequenced request {}: a digest seen twice", i));
    insert(e);
    previous = e;
  }
  return {};
}

crypto::Digest SequencedRequests::root() const {
  std::lock_guard lock(root_mu_);
  crypto::Sha256 outer;
  outer.update("glassbook/requests/v2");
  std::string bytes;
  for (const auto& [second, sec] : seconds_) {
    if (sec.dirty) {
      crypto::Sha256 h;
      for (const auto& [index, b] : sec.buckets) {
        if (b.dirty) {
          bytes.clear();
          ByteWriter w(bytes);
          write_entries(w, b.entries);
          b.hash = crypto::sha256(bytes);
          b.dirty = false;
        }
        h.update_i64(index);
        h.update_u64(b.entries.size());
        h.update(b.hash.data(), b.hash.size());
      }
      sec.hash = h.finish();
      sec.dirty = false;
    }
    outer.update_i64(second);
    outer.update_u64(sec.size);
    outer.update(sec.hash.data(), sec.hash.size());
  }
  return outer.finish();
}

}  // namespace glassbook::engine
