// Withdrawals' state: open withdrawals with their approvals and attestations, each account's
// allow-listed addresses, the recent requests the velocity limits count, and deposit reversals.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/byte_io.h"
#include "core/ids.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "engine/config.h"
#include "engine/withdrawal_commands.h"

namespace glassbook::engine {

// Where an open withdrawal stands. A confirmed or failed one is finished and leaves the state (its
// events and the exchange view keep its history).
enum class WithdrawalStatus : uint8_t {
  AwaitingApproval = 0,  // above its asset's approval limit: waits for the custodians' threshold
  Approved = 1,          // waits for a custodian to record its broadcast
  Broadcast = 2,         // on its way: waits for the chain watchers' threshold on its outcome
};

struct Withdrawal {
  uint64_t id = 0;
  RequestWithdrawal request;  // account, asset, amount (held), address, blockchain, client id
  Timestamp requested_at = 0;
  WithdrawalStatus status = WithdrawalStatus::AwaitingApproval;
  std::vector<crypto::PublicKey> approvals;     // distinct custodians, in order
  std::string tx_id;                            // once broadcast
  std::vector<crypto::PublicKey> confirmed_by;  // chain watchers attesting it confirmed
  std::vector<crypto::PublicKey> failed_by;     // chain watchers attesting it failed
};

// A request the velocity limits count while it is inside their window.
struct RecentWithdrawal {
  Timestamp at = 0;
  AccountId account = 0;
  AssetId asset = 0;
  int64_t amount = 0;
};

struct PendingReversal {
  ReverseDeposit reversal;
  std::vector<crypto::PublicKey> attesters;  // distinct chain watchers, in order
};

class Withdrawals {
 public:
  // Bounds, like every queue: far beyond what custodians and watchers keep waiting, and small
  // enough that a snapshot and a state root of them stay cheap.
  static constexpr size_t kMaxOpen = 65536;
  static constexpr size_t kMaxRecent = 65536;
  static constexpr size_t kMaxAddressesPerAccount = 64;
  static constexpr size_t kMaxAddresses = 1u << 20;
  static constexpr size_t kMaxPendingReversals = 4096;

  const std::map<uint64_t, Withdrawal>& open() const { return open_; }
  const Withdrawal* find(uint64_t id) const;
  Withdrawal* find(uint64_t id);
  // What the open withdrawals of `account` hold in `asset` (the ledger holds exactly this much more
  // than its open orders reserve).
  int64_t held(AccountId account, AssetId asset) const;
  // Whether an open withdrawal of the account carries this client id.
  bool client_id_open(AccountId account, uint32_t client_id) const;
  uint64_t next_id() const { return next_id_; }

  // Adds an open withdrawal under the next id; returns it.
  Withdrawal& add(const RequestWithdrawal& r, Timestamp now, WithdrawalStatus status);
  void finish(uint64_t id);

  // The allow-list: the time from which withdrawals to (account, address) are accepted.
  std::optional<Timestamp> usable_from(AccountId account, const std::string& address) const;
  size_t addresses_of(AccountId account) const;
  size_t address_count() const { return addresses_.size(); }
  void allow(AccountId account, const std::string& address, Timestamp from) { addresses_[{account, address}] = from; }
  // Takes an address off; whether it was on.
  bool disallow(AccountId account, const std::string& address) { return addresses_.erase({account, address}) == 1; }
  // The account's allow-listed addresses with the time each is usable from, by address.
  std::vector<std::pair<std::string, Timestamp>> addresses_of_account(AccountId account) const;

  // Velocity: what was requested of the asset after `since` (by one account, or by all), and how
  // many requests are after it. note_recent forgets the requests at or before `since` (only an
  // accepted request changes the state) and adds one.
  int64_t recent_sum(AssetId asset, std::optional<AccountId> account, Timestamp since) const;
  size_t recent_count(Timestamp since) const;
  void note_recent(const RecentWithdrawal& r, Timestamp since);

  // Deposit reversals: waiting for attestations, and done.
  const std::map<uint64_t, PendingReversal>& pending_reversals() const { return pending_reversals_; }
  std::map<uint64_t, PendingReversal>& pending_reversals() { return pending_reversals_; }
  bool reversed(uint64_t deposit_id) const { return reversed_.contains(deposit_id); }
  void mark_reversed(uint64_t deposit_id) {
    pending_reversals_.erase(deposit_id);
    reversed_.insert(deposit_id);
  }

  // After a configuration change: approvals and attestations by keys no longer in their role no
  // longer count.
  void keep_signers_in(const RolePolicy& custodians, const RolePolicy& watchers);

  // Nothing ever happened (the state root leaves the section out, so older states keep their roots).
  bool empty() const;

  // Canonical bytes (snapshot and state root): u64 next id; open withdrawals by id; the allow-list by
  // (account, address); the recent requests in order; pending reversals by deposit id; reversed ids
  // increasing.
  void write(ByteWriter& w) const;
  // Strict: ids increasing and below the next id, known accounts (`known_account`) and assets,
  // signers of the right roles and none twice, a status that agrees with its approvals and
  // transaction id, recent requests in time order.
  Status read(ByteReader& r, const ExchangeConfig& config, const std::function<bool(AccountId)>& known_account);

 private:
  std::map<uint64_t, Withdrawal> open_;
  std::map<std::pair<AccountId, std::string>, Timestamp> addresses_;
  std::deque<RecentWithdrawal> recent_;
  std::map<uint64_t, PendingReversal> pending_reversals_;
  std::set<uint64_t> reversed_;
  uint64_t next_id_ = 1;
  // Derived from open_: what the open withdrawals hold, by (account << 16 | asset).
  std::map<uint64_t, int64_t> held_;
  static uint64_t held_key(AccountId a, AssetId asset) { return (static_cast<uint64_t>(a) << 16) | asset; }
  void count_held(const RequestWithdrawal& r, int64_t sign);
};

// A chain address, transaction id or blockchain name: 1..max printable ASCII characters without
// spaces, '&' or '=' (so it travels unchanged in a signed request's text).
Status check_chain_text(const char* what, const std::string& text, size_t max);

}  // namespace glassbook::engine
