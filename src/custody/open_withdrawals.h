// The exchange's open withdrawals as custodians and chain watchers read them (GET
// /api/v1/glassbook/withdrawals): parsed strictly, so a process never acts on a half-read list.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "custody/chain.h"

namespace glassbook::custody {

enum class WithdrawalStep : uint8_t { AwaitingApproval, Approved, Broadcast };

struct OpenWithdrawal {
  uint64_t id = 0;
  uint32_t account = 0;
  std::string asset;   // the exchange's symbol, which is the chain's
  int64_t amount = 0;  // the asset's smallest units, > 0
  Address address;
  std::string blockchain;
  WithdrawalStep step = WithdrawalStep::AwaitingApproval;
  std::vector<std::string> approvers;  // base64 custodian keys
  TxId tx_id;                          // once broadcast
  std::vector<std::string> confirmed_by, failed_by;  // base64 chain-watcher keys
  bool operator==(const OpenWithdrawal&) const = default;
};

// Refuses (InvalidArgument, naming the entry) anything but an array of complete entries: a missing or
// mistyped member, an unknown status, an amount that is not positive decimal digits within int64.
Result<std::vector<OpenWithdrawal>> parse_open_withdrawals(std::string_view json);

bool listed(const std::vector<std::string>& keys, const std::string& key);

}  // namespace glassbook::custody
