// SequencedRequests: the open windows of sequenced signed requests, their canonical bytes and strict reading.
#include "engine/sequenced_requests.h"

#include <fmt/format.h>

namespace glassbook::engine {

namespace {
constexpr size_t kEntryBytes = 8 + 32;
}  // namespace

crypto::Digest SequencedRequests::digest(const crypto::PublicKey& signer, std::string_view text) {
  crypto::Sha256 h;
  h.update("glassbook/request/v1");
  h.update(signer.data(), signer.size());
  h.update(text);
  return h.finish();
}

void SequencedRequests::add(const crypto::Digest& d, Timestamp closes, Timestamp now) {
  while (!by_close_.empty() && by_close_.begin()->first < now) {
    digests_.erase(by_close_.begin()->second);
    by_close_.erase(by_close_.begin());
  }
  if (digests_.insert(d).second) by_close_.emplace(closes, d);
}

void SequencedRequests::write(ByteWriter& w) const {
  w.u32(static_cast<uint32_t>(by_close_.size()));
  for (const auto& [closes, d] : by_close_) {
    w.i64(closes);
    w.key(d);
  }
}

Status SequencedRequests::read(ByteReader& r, Timestamp earliest, Timestamp latest) {
  uint32_t n = 0;
  r.u32(n);
  if (!r.ok()) return r.status(false);
  if (n > r.remaining() / kEntryBytes)
    return Status(Error::Corruption, fmt::format("sequenced requests: {} records of {} bytes do not fit in the {} bytes left", n,
                                                 kEntryBytes, r.remaining()));
  by_close_.clear();
  digests_.clear();
  digests_.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Timestamp closes = 0;
    crypto::Digest d{};
    r.i64(closes);
    r.key(d);
    if (!r.ok()) return r.status(false);
    if (closes < earliest || closes > latest)
      return Status(Error::Corruption, fmt::format("sequenced request {}: its window closes at {} µs, outside {}..{}", i, closes,
                                                   earliest, latest));
    const std::pair<Timestamp, crypto::Digest> entry{closes, d};
    if (!by_close_.empty() && !(*by_close_.rbegin() < entry))
      return Status(Error::Corruption, fmt::format("sequenced request {}: out of (closes, digest) order", i));
    if (!digests_.insert(d).second) return Status(Error::Corruption, fmt::format("sequenced request {}: a digest seen twice", i));
    by_close_.emplace_hint(by_close_.end(), entry);
  }
  return {};
}

}  // namespace glassbook::engine
