// SimChainClient (sim_chain_client.h): requests written with fmt, answers read with simdjson, a
// JSON-RPC error turned back into the Status the chain refused with.
#include "custody/sim_chain_client.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>

#include "custody/json_rpc_client.h"
#include "custody/json_text.h"

namespace glassbook::custody {

namespace dom = simdjson::dom;

namespace {

Error error_from_name(std::string_view name) {
  for (Error e : {Error::InvalidArgument, Error::InvalidQuantity, Error::InvalidSignature, Error::InsufficientFunds, Error::Overloaded,
                  Error::Unauthorized})
    if (error_name(e) == name) return e;
  return Error::InvalidArgument;
}

Status bad_answer(std::string_view method, std::string_view why) {
  return Status(Error::Io, fmt::format("chain {}: unexpected answer: {}", method, why));  // as JsonRpcClient's, for the results
}

// The decimal-string member `key` of `e` (amounts travel as strings of digits).
template <class T>
bool digits_at(dom::element e, const char* key, T& out) {
  dom::element v;
  std::string_view s;
  if (e[key].get(v) != simdjson::SUCCESS || v.get(s) != simdjson::SUCCESS || s.empty() || s[0] == '-') return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::string text(dom::element e, const char* key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) return {};
  return std::string(v);
}

Result<BlockHeader> header(std::string_view method, dom::element e) {
  BlockHeader h;
  if (e["height"].get(h.height) != simdjson::SUCCESS) return bad_answer(method, "no height");
  h.hash = text(e, "hash");
  h.parent_hash = text(e, "parentHash");
  if (h.hash.empty()) return bad_answer(method, "no hash");
  return h;
}

Result<TxId> tx_id(std::string_view method, dom::element e) {
  std::string id = text(e, "txId");
  if (id.empty()) return bad_answer(method, "no txId");
  return id;
}

}  // namespace

struct SimChainClient::Impl {
  explicit Impl(RpcTransport transport)
      : rpc(std::move(transport), "chain", [](std::string_view, std::string_view reason) { return error_from_name(reason); }, true) {}
  JsonRpcClient rpc;

  // The "result" member of the answer to `method`; valid until the next call.
  Result<dom::element> call(std::string_view method, std::string_view params_json) { return rpc.call(method, params_json); }
};

SimChainClient::SimChainClient(RpcTransport transport) : impl_(std::make_unique<Impl>(std::move(transport))) {}
SimChainClient::~SimChainClient() = default;

Result<BlockHeader> SimChainClient::tip() {
  auto r = impl_->call("chain_tip", "{}");
  if (!r) return r.status();
  return header("chain_tip", *r);
}

Result<BlockHeader> SimChainClient::block(uint64_t height) {
  auto r = impl_->call("chain_getBlock", fmt::format(R"({{"height":{}}})", height));
  if (!r) return r.status();
  return header("chain_getBlock", *r);
}

Result<std::vector<ObservedTransfer>> SimChainClient::transfers_to(const std::vector<Address>& addresses, uint64_t from_height,
                                                                   uint64_t to_height) {
  std::string list;
  for (const Address& a : addresses) {
    if (!list.empty()) list += ',';
    list += json_quote(a);
  }
  auto r = impl_->call("chain_getTransfers", fmt::format(R"({{"addresses":[{}],"fromHeight":{},"toHeight":{}}})", list, from_height, to_height));
  if (!r) return r.status();
  dom::array a;
  if (r->get(a) != simdjson::SUCCESS) return bad_answer("chain_getTransfers", "not an array");
  std::vector<ObservedTransfer> out;
  for (dom::element e : a) {
    ObservedTransfer t;
    uint64_t index = 0;
    t.tx_id = text(e, "txId");
    t.block_hash = text(e, "blockHash");
    t.from = text(e, "from");
    t.to = text(e, "to");
    t.asset = text(e, "asset");
    if (e["index"].get(index) != simdjson::SUCCESS || index > UINT32_MAX || e["height"].get(t.height) != simdjson::SUCCESS ||
        !digits_at(e, "amount", t.amount) || t.tx_id.empty() || t.block_hash.empty() || t.to.empty() || t.asset.empty())
      return bad_answer("chain_getTransfers", "a malformed transfer");
    t.index = static_cast<uint32_t>(index);
    out.push_back(std::move(t));
  }
  return out;
}

Result<int64_t> SimChainClient::balance(const Address& address, const std::string& asset, uint64_t height) {
  auto r = impl_->call("chain_getBalance", fmt::format(R"({{"address":{},"asset":{},"height":{}}})", json_quote(address), json_quote(asset), height));
  if (!r) return r.status();
  int64_t v = 0;
  if (!digits_at(*r, "balance", v)) return bad_answer("chain_getBalance", "no balance");
  return v;
}

Result<TxId> SimChainClient::send(const SignedTransfer& t) {
  auto r = impl_->call("chain_sendTransfer",
                       fmt::format(R"({{"publicKey":{},"to":{},"asset":{},"amount":"{}","fee":"{}","clientId":"{}","signature":{}}})",
                                   json_quote(t.public_key), json_quote(t.to), json_quote(t.asset), t.amount, t.fee, t.client_id,
                                   json_quote(t.signature)));
  if (!r) return r.status();
  return tx_id("chain_sendTransfer", *r);
}

Result<TxStatus> SimChainClient::status(const TxId& id) {
  auto r = impl_->call("chain_getTransaction", fmt::format(R"({{"txId":{}}})", json_quote(id)));
  if (!r) return r.status();
  TxStatus s;
  const std::string state = text(*r, "status");
  if (state == "pending") s.state = TxState::Pending;
  else if (state == "confirmed") s.state = TxState::Confirmed;
  else if (state == "failed") s.state = TxState::Failed;
  else if (state != "unknown") return bad_answer("chain_getTransaction", "no status");
  if (s.state == TxState::Confirmed || s.state == TxState::Failed) {
    if ((*r)["height"].get(s.height) != simdjson::SUCCESS) return bad_answer("chain_getTransaction", "no height");
    s.block_hash = text(*r, "blockHash");
  }
  if (s.state == TxState::Confirmed && (*r)["confirmations"].get(s.confirmations) != simdjson::SUCCESS)
    return bad_answer("chain_getTransaction", "no confirmations");
  s.reason = text(*r, "reason");
  return s;
}

Result<SimChainInfo> SimChainClient::info() {
  auto r = impl_->call("chain_info", "{}");
  if (!r) return r.status();
  SimChainInfo i;
  i.name = text(*r, "name");
  i.chain_id = text(*r, "chainId");
  if (!digits_at(*r, "seed", i.seed) || !digits_at(*r, "minFee", i.min_fee) || i.chain_id.empty())
    return bad_answer("chain_info", "malformed");
  return i;
}

Result<BlockHeader> SimChainClient::mine(uint64_t blocks) {
  auto r = impl_->call("sim_mine", fmt::format(R"({{"blocks":{}}})", blocks));
  if (!r) return r.status();
  return header("sim_mine", *r);
}

Result<BlockHeader> SimChainClient::reorg(uint64_t depth, bool drop) {
  auto r = impl_->call("sim_reorg", fmt::format(R"({{"depth":{},"dropTransactions":{}}})", depth, drop));
  if (!r) return r.status();
  return header("sim_reorg", *r);
}

Result<TxId> SimChainClient::faucet(const Address& to, const std::string& asset, int64_t amount) {
  auto r = impl_->call("sim_faucet", fmt::format(R"({{"address":{},"asset":{},"amount":"{}"}})", json_quote(to), json_quote(asset), amount));
  if (!r) return r.status();
  return tx_id("sim_faucet", *r);
}

Result<TxId> SimChainClient::steal(const Address& from, const Address& to, const std::string& asset, int64_t amount) {
  auto r = impl_->call("sim_steal", fmt::format(R"({{"from":{},"to":{},"asset":{},"amount":"{}"}})", json_quote(from), json_quote(to),
                                                json_quote(asset), amount));
  if (!r) return r.status();
  return tx_id("sim_steal", *r);
}

}  // namespace glassbook::custody
