// The answer to POST /api/v1/glassbook/withdrawalAddresses: the address put on the account's
// allow-list, with when withdrawals to it are accepted (its cooling-off).
#pragma once
#include <string>
#include <string_view>

#include "core/ids.h"

namespace glassbook::api {

// {"journalSeq", "address", "blockchain", "createdAt" (the sequencer's time), "usableFrom" (createdAt
// plus the exchange's cooling-off), "coolingOffSeconds", "status" ("coolingOff" or "usable")}.
std::string withdrawal_address_answer(SeqNo seq, std::string_view address, std::string_view blockchain, Timestamp added_at,
                                      Timestamp usable_from);

}  // namespace glassbook::api
