// The chain watcher's second duty, free of HTTP: follow the transactions of broadcast withdrawals and,
// once one is confirmed with the watcher's confirmations (or failed that deep), attest the outcome.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "custody/chain.h"
#include "custody/chain_watcher.h"
#include "custody/open_withdrawals.h"

namespace glassbook::custody {

using SubmitSettlement = std::function<SubmitResult(const OpenWithdrawal& w, bool confirmed)>;

struct SettlePass {
  std::vector<OpenWithdrawal> confirmed;                        // attested confirmed (and taken)
  std::vector<std::pair<OpenWithdrawal, std::string>> failed;   // attested failed, with the chain's reason
  std::vector<std::pair<OpenWithdrawal, std::string>> refused;  // the exchange refused the attestation
  std::string stalled;  // the exchange could not be reached: the next pass tries again
};

struct SettlerOptions {
  std::string blockchain;     // the exchange's name of the followed chain: other withdrawals are not ours
  std::string signer;         // this watcher's key, base64: withdrawals it attested are skipped
  uint64_t confirmations = 6;  // as for deposits: the block itself counts as one
};

// One pass over the broadcast withdrawals of `open`. A transaction still pending, unknown, or not yet
// deep enough waits; a chain that cannot be read fails the pass (a Status) and nothing is sent.
Result<SettlePass> settle_withdrawals(Chain& chain, const std::vector<OpenWithdrawal>& open, const SettlerOptions& options,
                                      const SubmitSettlement& submit);

}  // namespace glassbook::custody
