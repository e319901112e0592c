// Distributions to claim holders: per estate, its rounds (declared, paid in chunks, completed), the
// payouts held in escrow per holder and asset, and the sequence at which its claim units last moved.
// Plain state with its snapshot encoding; the rules that change it are the engine's
// (engine_distributions.cpp, docs/claims.md "Distributions").
#pragma once
#include <cstdint>
#include <map>
#include <vector>

#include "core/byte_io.h"
#include "core/ids.h"
#include "core/result.h"

namespace glassbook::engine {

struct DistributionRound {
  uint32_t id = 0;            // 1, 2, ... per estate
  AssetId asset = 0;          // the payout asset
  AccountId account = 0;      // the distribution account that funded it; the remainder returns there
  uint64_t rate_numerator = 0;
  uint64_t rate_denominator = 0;
  SeqNo record_seq = 0;
  SeqNo declared_seq = 0;
  int64_t units = 0;          // the estate's claim units outstanding at the record point
  int64_t funded = 0;         // floor(units × rate): moved into the round at its declaration
  int64_t paid = 0;           // paid to holders so far
  int64_t escrowed = 0;       // moved to escrow for barred holders so far
  int64_t remainder = 0;      // funded - paid - escrowed, returned once the round completes (0 before)
  int64_t units_visited = 0;  // the units of the holders the chunks have visited
  uint64_t holders = 0;       // holders visited (units > 0)
  uint64_t holders_paid = 0;  // ... that were paid something
  uint64_t holders_escrowed = 0;  // ... whose share went to escrow
  AccountId next_account = kFirstCustomer;  // where the next chunk starts
  AccountId end_account = 0;  // one past the last account registered at the declaration
  bool complete = false;

  // What the round still holds in the distribution system account.
  int64_t held() const { return complete ? 0 : funded - paid - escrowed; }
  bool operator==(const DistributionRound&) const = default;
};

struct EstateDistributions {
  std::vector<DistributionRound> rounds;  // round i + 1 at index i; only the last may be open
  SeqNo units_moved_at = 0;               // the last command that moved the estate's claim units
  std::map<uint64_t, int64_t> escrow;     // escrow_key(account, asset) -> amount (> 0)
  std::map<AssetId, int64_t> escrow_total;  // by asset: the sum of `escrow` (derived)

  const DistributionRound* open_round() const { return !rounds.empty() && !rounds.back().complete ? &rounds.back() : nullptr; }
  DistributionRound* open_round() { return !rounds.empty() && !rounds.back().complete ? &rounds.back() : nullptr; }
  bool operator==(const EstateDistributions&) const = default;
};

inline uint64_t escrow_key(AccountId account, AssetId asset) { return (static_cast<uint64_t>(account) << 16) | asset; }
inline AccountId escrow_account_of(uint64_t key) { return static_cast<AccountId>(key >> 16); }
inline AssetId escrow_asset_of(uint64_t key) { return static_cast<AssetId>(key & 0xFFFF); }

// Limits: rounds per estate, and one PayDistribution's work. 2048 holders a chunk measured 1.4 ms
// median, 2.5 ms longest, even in the sanitizer build (`glassbook bench claims`, 200,000 holders;
// docs/claims.md): under the 5 ms any command may hold the engine. Accounts without units are
// skipped at a few ns each, 65536 of them at most a chunk.
inline constexpr size_t kMaxRoundsPerEstate = 4096;
inline constexpr uint64_t kDistributionChunk = 2048;
inline constexpr uint64_t kDistributionScanLimit = 65536;
inline constexpr uint64_t kMaxEscrowPerEstate = uint64_t{1} << 34;  // 2^30 accounts x 16 payout assets

class Distributions {
 public:
  void resize(size_t estates) {
    if (estates > estates_.size()) estates_.resize(estates);
  }
  size_t estate_count() const { return estates_.size(); }
  EstateDistributions& estate(size_t i) { return estates_[i]; }
  const EstateDistributions& estate(size_t i) const { return estates_[i]; }
  // No round, no escrow and no claim units moved in any estate (such a state keeps the state root
  // and the snapshot tail it had before distributions).
  bool empty() const;

  // Snapshot section: u32 estates, then per estate: u64 units moved at, u32 n rounds in id order
  // (u32 id, u16 asset, u32 account, u64 rate numerator, u64 rate denominator, u64 record seq,
  // u64 declared seq, i64 units, funded, paid, escrowed, remainder, units visited, u64 holders,
  // holders paid, holders escrowed, u32 next account, u32 end account, bool complete), u64 n escrow
  // entries in key order (u32 account, u16 asset, i64 amount). The totals are derived on read.
  void write(ByteWriter& w) const;
  Status read(ByteReader& r, size_t estates, size_t assets);

  // Each round's sums (paid + escrowed + remainder = funded once complete, never more before), only
  // the last round open, and the escrow totals equal to the entries.
  Status check() const;

 private:
  std::vector<EstateDistributions> estates_;
};

}  // namespace glassbook::engine
