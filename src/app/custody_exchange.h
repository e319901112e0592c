// What the custody processes (chain-watch, custodian) ask of the exchange's gateway: the open
// withdrawals, and how a role command's answer is acted on (taken, done already, refused for good,
// or to be retried).
#pragma once
#include <cstdint>
#include <vector>

#include "app/http_client.h"
#include "core/result.h"
#include "custody/chain_watcher.h"
#include "custody/open_withdrawals.h"
#include "custody/wallet_reporter.h"

namespace glassbook::app {

// The gateway's answer to a role command: 200 is taken; DUPLICATE_DEPOSIT is done already; 429,
// 5xx, EXPIRED, DUPLICATE_REQUEST, UNAUTHORIZED, INVALID_SIGNATURE and no answer are retried (the
// signer's clock or key may be fixed; dropping would lose the attestation); anything else concerns
// the command itself and is refused for good.
custody::SubmitResult judge_role_answer(const Result<HttpClient::Response>& r);

// GET /api/v1/glassbook/withdrawals, parsed strictly (custody::parse_open_withdrawals).
Result<std::vector<custody::OpenWithdrawal>> fetch_open_withdrawals(HttpClient& exchange);

// The exchange's wallets on `blockchain` (GET /api/v1/glassbook/reconciliation), with their newest
// observed height: what the chain watcher reports balances of.
Result<std::vector<custody::WatchedWallet>> fetch_wallets(HttpClient& exchange, const std::string& blockchain);

// Microseconds since the epoch: the signed time of a timed role command.
int64_t role_time_now_us();

}  // namespace glassbook::app
