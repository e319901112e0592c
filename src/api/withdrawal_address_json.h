// The answers to POST and DELETE /api/v1/glassbook/withdrawalAddresses: the address put on the
// account's allow-list, with when withdrawals to it are accepted (its cooling-off), or taken off it.
#pragma once
#include <string>
#include <string_view>

#include "core/ids.h"

namespace glassbook::api {

// {"journalSeq", "address", "blockchain", "createdAt" (the sequencer's time), "usableFrom" (createdAt
// plus the exchange's cooling-off), "coolingOffSeconds", "status" ("coolingOff" or "usable")}.
std::string withdrawal_address_answer(SeqNo seq, std::string_view address, std::string_view blockchain, Timestamp added_at,
                                      Timestamp usable_from);
// The answer to DELETE of the same: {"journalSeq", "address", "removedAt", "status": "removed"}.
std::string withdrawal_address_removed_answer(SeqNo seq, std::string_view address, Timestamp removed_at);

}  // namespace glassbook::api
