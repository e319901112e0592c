// The custody processes' reads and answers at the gateway (custody_exchange.h).
#include "app/custody_exchange.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <chrono>

namespace glassbook::app {

custody::SubmitResult judge_role_answer(const Result<HttpClient::Response>& r) {
  if (!r) return {custody::SubmitOutcome::Unreachable, r.status().message()};
  if (r->status == 200) return {custody::SubmitOutcome::Accepted, r->body};
  std::string_view code;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(r->body).get(root) != simdjson::SUCCESS || root["code"].get(code) != simdjson::SUCCESS) code = "";
  const std::string detail = fmt::format("{} {}", r->status, r->body);
  if (code == "DUPLICATE_DEPOSIT") return {custody::SubmitOutcome::AlreadyCredited, detail};
  if (r->status == 429 || r->status >= 500 || code == "EXPIRED" || code == "DUPLICATE_REQUEST" || code == "UNAUTHORIZED" ||
      code == "INVALID_SIGNATURE")
    return {custody::SubmitOutcome::Unreachable, detail};
  return {custody::SubmitOutcome::Refused, detail};
}

Result<std::vector<custody::OpenWithdrawal>> fetch_open_withdrawals(HttpClient& exchange) {
  auto r = exchange.get("/api/v1/glassbook/withdrawals");
  if (!r) return r.status();
  if (r->status != 200) return Status(Error::Io, fmt::format("GET /api/v1/glassbook/withdrawals answered {} {}", r->status, r->body));
  return custody::parse_open_withdrawals(r->body);
}

Result<std::vector<custody::WatchedWallet>> fetch_wallets(HttpClient& exchange, const std::string& blockchain) {
  auto r = exchange.get("/api/v1/glassbook/reconciliation");
  if (!r) return r.status();
  if (r->status != 200) return Status(Error::Io, fmt::format("GET /api/v1/glassbook/reconciliation answered {} {}", r->status, r->body));
  simdjson::dom::parser parser;
  simdjson::dom::array entries;
  if (parser.parse(r->body)["wallets"].get(entries) != simdjson::SUCCESS)
    return Status(Error::InvalidArgument, "the exchange's reconciliation has no wallet list");
  std::vector<custody::WatchedWallet> wallets;
  for (simdjson::dom::element e : entries) {
    std::string_view chain, address, symbol;
    if (e["blockchain"].get(chain) != simdjson::SUCCESS || e["address"].get(address) != simdjson::SUCCESS ||
        e["symbol"].get(symbol) != simdjson::SUCCESS)
      return Status(Error::InvalidArgument, "a wallet of the exchange's list lacks blockchain, address or symbol");
    if (chain != blockchain) continue;
    custody::WatchedWallet w{std::string(address), std::string(symbol), std::nullopt};
    uint64_t height = 0;
    if (e["height"].get(height) == simdjson::SUCCESS) w.observed_height = height;
    wallets.push_back(std::move(w));
  }
  return wallets;
}

int64_t role_time_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace glassbook::app
