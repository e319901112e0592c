// The deposit addresses the exchange has recorded, one per (account, asset, chain): part of the state (snapshot and state root).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/byte_io.h"
#include "core/ids.h"
#include "core/result.h"
#include "crypto/sha256.h"
#include "engine/command.h"

namespace glassbook::engine {

// Recorded addresses only grow: an address once given keeps receiving (a customer may send to it
// years later), so it is never taken back or given to anyone else. Each (account, asset, chain) has
// at most one address, and an address string is recorded once, for one (account, asset, chain):
// never given to two accounts, nor to two assets (the chain watcher credits what an address
// receives as that one asset).
//
// The commitment is a hash chain over the records in the order they were recorded, kept as they
// arrive: O(1) per record. Hashing the whole book at every state root instead would cost about
// 0.13 s at 1,000,000 accounts with three addresses each (about 200 MB at the 1.5 GB/s bulk SHA-256
// rate of design.md: an estimate, not a measurement). The order is the journal's, so every replay
// agrees; the snapshot keeps it.
class DepositAddressBook {
 public:
  // Distinct chain names at most: each is a name an operator configures, not user input.
  static constexpr size_t kMaxChains = 64;

  // Why `r` cannot be recorded (bad characters or lengths, the (account, asset, chain) already has
  // an address, the address is already recorded, too many chains); Ok when it can. The engine
  // checks the account and the asset.
  Status check(const RecordDepositAddress& r) const;
  // Records `r`, which check() accepted; returns its index in recording order.
  size_t add(const RecordDepositAddress& r);

  // The address of (account, asset) on `chain`, if one is recorded.
  const RecordDepositAddress* find(AccountId account, AssetId asset, std::string_view chain) const;
  // Every record of `account` on `chain` (every chain when empty), by asset.
  std::vector<const RecordDepositAddress*> of_account(AccountId account, std::string_view chain = {}) const;
  // Every record, in recording order.
  const std::vector<RecordDepositAddress>& all() const { return records_; }
  // The chains any address is recorded on, sorted by name.
  std::vector<std::string> chains() const;
  // Every (chain, asset) with an address recorded, sorted: where the exchange takes deposits.
  const std::set<std::pair<std::string, AssetId>>& chain_assets() const { return chain_assets_; }
  bool empty() const { return records_.empty(); }
  size_t size() const { return records_.size(); }
  // The hash chain over every record so far (all zero when empty).
  const crypto::Digest& digest() const { return digest_; }

  // Canonical bytes (snapshot): u32 n, then the records in recording order (RecordDepositAddress's fields).
  void write(ByteWriter& w) const;
  // Strict: every record passes check() against those before it. The caller checks accounts and assets.
  Status read(ByteReader& r);

  // Whether `s` may name a chain (1..32 of A-Z a-z 0-9 _ -) or be an address (1..128 of A-Z a-z 0-9:
  // hex, base58 and bech32 addresses all are).
  static bool valid_chain_name(std::string_view s);
  static bool valid_address(std::string_view s);

 private:
  using Key = std::tuple<AccountId, std::string, AssetId>;  // account, chain, asset
  std::vector<RecordDepositAddress> records_;
  std::map<Key, size_t, std::less<>> by_key_;       // -> index in records_
  std::map<std::string, size_t, std::less<>> by_address_;  // -> index in records_
  std::map<std::string, size_t, std::less<>> chain_counts_;  // records per chain
  std::set<std::pair<std::string, AssetId>> chain_assets_;
  crypto::Digest digest_{};
};

}  // namespace glassbook::engine
