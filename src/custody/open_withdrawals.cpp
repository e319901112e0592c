// Reading the exchange's list of open withdrawals (open_withdrawals.h) with simdjson.
#include "custody/open_withdrawals.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

namespace glassbook::custody {

namespace dom = simdjson::dom;

namespace {

Status bad(size_t i, std::string_view why) { return Status(Error::InvalidArgument, fmt::format("open withdrawal {} of the list: {}", i, why)); }

bool read_keys(dom::element e, const char* name, std::vector<std::string>& out) {
  dom::array a;
  if (e[name].get(a) != simdjson::SUCCESS) return false;
  for (dom::element k : a) {
    std::string_view s;
    if (k.get(s) != simdjson::SUCCESS) return false;
    out.emplace_back(s);
  }
  return true;
}

}  // namespace

bool listed(const std::vector<std::string>& keys, const std::string& key) { return std::find(keys.begin(), keys.end(), key) != keys.end(); }

Result<std::vector<OpenWithdrawal>> parse_open_withdrawals(std::string_view json) {
  dom::parser parser;
  dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) return Status(Error::InvalidArgument, "the open withdrawals are not JSON");
  dom::array entries;
  if (root.get(entries) != simdjson::SUCCESS) return Status(Error::InvalidArgument, "the open withdrawals are not a JSON array");
  std::vector<OpenWithdrawal> out;
  size_t i = 0;
  for (dom::element e : entries) {
    OpenWithdrawal w;
    uint64_t account = 0;
    std::string_view symbol, amount, address, blockchain, status;
    if (e["withdrawalId"].get(w.id) != simdjson::SUCCESS || e["account"].get(account) != simdjson::SUCCESS || account > UINT32_MAX ||
        e["symbol"].get(symbol) != simdjson::SUCCESS || e["amount"].get(amount) != simdjson::SUCCESS ||
        e["address"].get(address) != simdjson::SUCCESS || e["blockchain"].get(blockchain) != simdjson::SUCCESS ||
        e["status"].get(status) != simdjson::SUCCESS)
      return bad(i, "lacks withdrawalId, account, symbol, amount, address, blockchain or status");
    w.account = static_cast<uint32_t>(account);
    const auto [end, ec] = std::from_chars(amount.data(), amount.data() + amount.size(), w.amount);
    if (amount.empty() || ec != std::errc() || end != amount.data() + amount.size() || w.amount <= 0)
      return bad(i, fmt::format("amount {} is not a positive integer of smallest units", amount));
    if (status == "awaitingApproval") w.step = WithdrawalStep::AwaitingApproval;
    else if (status == "approved") w.step = WithdrawalStep::Approved;
    else if (status == "broadcast") w.step = WithdrawalStep::Broadcast;
    else return bad(i, fmt::format("unknown status {}", status));
    dom::element tx;
    std::string_view tx_id;
    if (e["txId"].get(tx) != simdjson::SUCCESS || !(tx.is_null() || tx.get(tx_id) == simdjson::SUCCESS))
      return bad(i, "txId is neither null nor text");
    if ((w.step == WithdrawalStep::Broadcast) == tx_id.empty()) return bad(i, "a broadcast withdrawal carries a txId, and only it");
    if (!read_keys(e, "approvers", w.approvers) || !read_keys(e, "confirmedBy", w.confirmed_by) || !read_keys(e, "failedBy", w.failed_by))
      return bad(i, "approvers, confirmedBy or failedBy is not an array of keys");
    w.asset = std::string(symbol);
    w.address = std::string(address);
    w.blockchain = std::string(blockchain);
    w.tx_id = std::string(tx_id);
    out.push_back(std::move(w));
    ++i;
  }
  return out;
}

}  // namespace glassbook::custody
