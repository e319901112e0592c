// The published liabilities roots' checks, and their bytes in snapshots and the state root.
#include "engine/published_liabilities.h"

#include <fmt/format.h>

#include "engine/command_fields.h"

namespace glassbook::engine {

Status PublishedLiabilities::check(const ExchangeConfig& config, const crypto::PublicKey& signer, SeqNo seq, Timestamp now,
                                   const PublishLiabilitiesRoot& p) const {
  if (config.proof_key == crypto::PublicKey{})
    return Status(Error::Unauthorized, "the configuration names no proof key: no liabilities root can be published");
  if (signer != config.proof_key) return Status(Error::Unauthorized, "a liabilities root must be signed by the configured proof key");
  if (p.checkpoint_seq >= seq)
    return Status(Error::InvalidArgument, fmt::format("the liabilities root names sequence {}, not a past one (this command is {})",
                                                      p.checkpoint_seq, seq));
  if (newest_ && p.checkpoint_seq <= newest_->checkpoint_seq)
    return Status(Error::InvalidArgument, fmt::format("the liabilities root names sequence {}, not after the newest published root's ({})",
                                                      p.checkpoint_seq, newest_->checkpoint_seq));
  if (p.sums.size() != config.assets.size())
    return Status(Error::InvalidArgument, fmt::format("the liabilities root has {} sums for {} assets", p.sums.size(), config.assets.size()));
  if (p.depth < 1 || p.depth > kMaxLiabilitiesDepth)
    return Status(Error::InvalidArgument, fmt::format("the liabilities root's depth {} is outside 1..{}", p.depth, kMaxLiabilitiesDepth));
  if (p.time > now) return Status(Error::InvalidArgument, "the liabilities root's time is after the sequencer's");
  if (newest_ && p.time < newest_->time) return Status(Error::InvalidArgument, "the liabilities root's time is before the newest published root's");
  return {};
}

void PublishedLiabilities::add(const PublishLiabilitiesRoot& p) {
  ++count_;
  newest_ = p;
}

void PublishedLiabilities::write(ByteWriter& w) const {
  w.u64(count_);
  if (count_ > 0) for_each_field(w, *newest_);
}

Status PublishedLiabilities::read(ByteReader& r, const ExchangeConfig& config) {
  r.u64(count_);
  newest_.reset();
  if (!r.ok() || count_ == 0) return r.status(false);
  PublishLiabilitiesRoot p;
  for_each_field(r, p);
  if (auto s = r.status(false); !s) return s;
  if (p.sums.size() != config.assets.size() || p.depth < 1 || p.depth > kMaxLiabilitiesDepth)
    return Status(Error::Corruption, "published liabilities root: sums or depth out of range");
  newest_ = std::move(p);
  return {};
}

}  // namespace glassbook::engine
