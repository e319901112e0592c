// The exchange view's withdrawal records: each account's withdrawals as its events left them, for
// GET /wapi/v1/capital/withdrawals and the answer of POST /wapi/v1/capital/withdrawals.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/json_writer.h"
#include "core/ids.h"
#include "engine/config.h"
#include "engine/engine.h"
#include "engine/event.h"

namespace glassbook::api {

enum class WithdrawalState : uint8_t { AwaitingApproval, Approved, Broadcast, Confirmed, Failed, Cancelled };

struct WithdrawalRecord {
  uint64_t id = 0;
  AccountId account = 0;
  AssetId asset = 0;
  int64_t amount = 0;
  std::string address;
  std::string blockchain;
  uint32_t client_id = 0;
  Timestamp created_at = 0;
  WithdrawalState state = WithdrawalState::AwaitingApproval;
  std::string tx_id;
};

// Bounded per account like the other histories: the oldest finished record leaves first.
class ViewWithdrawals {
 public:
  explicit ViewWithdrawals(size_t per_account = 1000) : per_account_(per_account) {}

  // Seeds the open withdrawals of a shadow engine the view starts from (their history before it is
  // not known; createdAt is when they were requested).
  void seed(const engine::Engine& shadow);
  // Folds one event of a command at `now`; `shadow` has already applied the command.
  void on_event(const engine::Event& e, const engine::Engine& shadow, Timestamp now);

  const WithdrawalRecord* find(AccountId account, uint64_t id) const;
  // Newest first, `offset` skipped, at most `limit`.
  std::string json(const engine::ExchangeConfig& config, AccountId account, size_t limit, size_t offset) const;
  static std::string json_of(const engine::ExchangeConfig& config, const WithdrawalRecord& r);
  // The record's members in Backpack's shape, inside an object the caller opened (the REST answers
  // and the account.withdrawalUpdate stream share them).
  static void write_fields(JsonWriter& w, const engine::ExchangeConfig& config, const WithdrawalRecord& r);

 private:
  void add(WithdrawalRecord r);
  size_t per_account_;
  std::unordered_map<AccountId, std::deque<WithdrawalRecord>> by_account_;  // oldest first
};

}  // namespace glassbook::api
