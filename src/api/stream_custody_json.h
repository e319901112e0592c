// The account's custody streams, Glassbook's own (Backpack documents none): account.withdrawalUpdate
// and account.depositUpdate, their names and payloads in the shape of Backpack's REST records.
#pragma once
#include <string>
#include <string_view>

#include "api/view_records.h"
#include "api/view_withdrawals.h"
#include "engine/config.h"

namespace glassbook::api {

inline constexpr std::string_view kWithdrawalUpdateStream = "account.withdrawalUpdate";
inline constexpr std::string_view kDepositUpdateStream = "account.depositUpdate";

// Whether `stream` is one of the two (private: subscribed with a signature, as account.orderUpdate).
bool is_custody_stream(std::string_view stream);

// Every payload carries e (the event), E and T (the command's timestamp, µs), then the record's
// members as GET /wapi/v1/capital/withdrawals or /deposits write them.
//
// `kind`: withdrawalRequested, withdrawalApproval (one custodian's approval: `approvals` of
// `approvalsNeeded`), withdrawalApproved, withdrawalBroadcast (transactionHash set),
// withdrawalConfirmed, withdrawalFailed (the hold released). The record as it stands after the
// command (a withdrawal approved at once shows `approved` in its withdrawalRequested too).
std::string withdrawal_update_event(const engine::ExchangeConfig& config, std::string_view kind, const WithdrawalRecord& r, Timestamp ts,
                                    int approvals = -1, int approvals_needed = -1);
// An address put on the account's allow-list: usable from `usable_from` (µs, the sequencer's time
// plus the cooling-off), so its owner sees at once an address a stolen key added.
std::string withdrawal_address_event(std::string_view address, Timestamp usable_from, Timestamp ts);
// An address taken off the account's allow-list.
std::string withdrawal_address_removed_event(std::string_view address, Timestamp ts);
// `kind`: depositCredited (status "confirmed") or depositReversed (status "reversed": a reorg
// removed it and the chain watchers took it back; quantity is what was taken back). `createdAt` is
// when it was credited (null for a reversal of a deposit the view no longer holds).
std::string deposit_update_event(const engine::ExchangeConfig& config, std::string_view kind, const DepositRecord& d, bool known_credit,
                                 Timestamp ts);

}  // namespace glassbook::api
