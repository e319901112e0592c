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

int64_t role_time_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace glassbook::app
