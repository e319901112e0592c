// The exchange view's claims side: which claims each account linked, each account's distribution
// history, every claim market's traded totals, and the account.claimUpdate frames of claim events.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/claims_report.h"
#include "engine/engine.h"

namespace glassbook::api {

struct StreamFrame;  // exchange_view.h

// The private stream of an account's claim events (docs/api.md, "WebSocket streams").
inline constexpr std::string_view kClaimUpdateStream = "account.claimUpdate";

// One payout of a distribution round to the account, or a release of its escrow.
struct ClaimPayoutRecord {
  enum class Kind : uint8_t { Paid, Escrowed, Released };
  Kind kind = Kind::Paid;
  SeqNo seq = 0;
  Timestamp at = 0;     // µs
  uint16_t estate = 0;
  uint32_t round = 0;   // 0 for a release
  AssetId asset = 0;
  int64_t amount = 0;   // payout-asset units
  int64_t units = 0;    // the claim units the share was computed on (0 for a release)
};

// Written by the journal thread under the view's unique lock, read under its shared lock.
class ViewClaims {
 public:
  // The payouts kept per account, newest first (as the other per-account histories: 1,000).
  static constexpr size_t kPayoutsPerAccount = 1000;

  // The links already in a state the view starts from (a snapshot's or the shadow's at start).
  void seed(const engine::Engine& shadow);
  // One claims event of `command` (already applied to `shadow`): its bookkeeping, and its frame for
  // the account's claimUpdate stream when `want` accepts the hub key "account.claimUpdate#<account>".
  // Events of other kinds are ignored.
  void on_event(const engine::Event& e, const engine::Command& command, const engine::Engine& shadow, std::vector<StreamFrame>& frames,
                const std::function<bool(std::string_view key)>& want);

  // The claims linked to `account`, as (estate, claim id), in link order.
  const std::vector<std::pair<uint16_t, uint64_t>>* linked(AccountId account) const;
  const std::deque<ClaimPayoutRecord>* payouts(AccountId account) const;  // newest first
  // Every claim market's totals since the view was built (from genesis when the node starts).
  const std::map<MarketId, engine::TradedTotals>& traded() const { return traded_; }

 private:
  void payout(AccountId account, const ClaimPayoutRecord& r);

  std::unordered_map<AccountId, std::vector<std::pair<uint16_t, uint64_t>>> linked_;
  std::unordered_map<AccountId, std::deque<ClaimPayoutRecord>> payouts_;
  std::map<MarketId, engine::TradedTotals> traded_;
};

}  // namespace glassbook::api
