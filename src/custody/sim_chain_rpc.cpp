// JSON-RPC 2.0 over the simulated chain (sim_chain_rpc.h): the envelope, the parameters of each
// method (by name, unknown ones refused) and the answers. Amounts travel as strings of digits so
// that no JSON reader ever holds them as a double.
#include "custody/sim_chain_rpc.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <optional>
#include <set>

#include "custody/json_text.h"
#include "custody/sim_keys.h"

namespace glassbook::custody {

namespace {

namespace dom = simdjson::dom;

// Reads named parameters; the first problem is kept (later reads return defaults) and reported once,
// as ByteReader does for bytes.
class Params {
 public:
  explicit Params(std::optional<dom::object> params) : params_(params) {}

  uint64_t u64(const char* name, std::optional<uint64_t> fallback = std::nullopt) {
    auto e = field(name, fallback.has_value());
    if (!e) return fallback.value_or(0);
    uint64_t v = 0;
    if (e->get(v) != simdjson::SUCCESS) fail(fmt::format("{} must be a non-negative integer", name));
    return v;
  }
  bool boolean(const char* name, bool fallback) {
    auto e = field(name, true);
    if (!e) return fallback;
    bool v = false;
    if (e->get(v) != simdjson::SUCCESS) fail(fmt::format("{} must be true or false", name));
    return v;
  }
  std::string text(const char* name) {
    auto e = field(name, false);
    std::string_view v;
    if (e && e->get(v) != simdjson::SUCCESS) fail(fmt::format("{} must be a string", name));
    return std::string(v);
  }
  // A decimal string of the asset's smallest units (a JSON number could lose digits in a reader).
  int64_t amount(const char* name) {
    auto e = field(name, false);
    std::string_view s;
    if (!e) return 0;
    int64_t v = 0;
    if (e->get(s) != simdjson::SUCCESS) s = "not a string";
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || s.size() > 19 || ec != std::errc() || end != s.data() + s.size() || s[0] == '-' || s[0] == '+')
      fail(fmt::format("{} must be a string of decimal digits (smallest units), e.g. \"1500\"", name));
    return v;
  }
  uint64_t digits_u64(const char* name) {
    const std::string s = text(name);
    if (!ok()) return 0;
    uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) fail(fmt::format("{} must be a string of decimal digits", name));
    return v;
  }
  std::vector<std::string> texts(const char* name, size_t max) {
    std::vector<std::string> out;
    auto e = field(name, false);
    if (!e) return out;
    dom::array a;
    if (e->get(a) != simdjson::SUCCESS) return fail(fmt::format("{} must be an array of strings", name)), out;
    if (a.size() > max) return fail(fmt::format("{}: at most {} entries", name, max)), out;
    for (dom::element x : a) {
      std::string_view v;
      if (x.get(v) != simdjson::SUCCESS) return fail(fmt::format("{} must be an array of strings", name)), out;
      out.emplace_back(v);
    }
    return out;
  }
  // Ok when every read succeeded and no parameter was left unread.
  Status status() {
    if (ok() && params_) {
      for (auto [key, value] : *params_) {
        (void)value;
        if (!used_.contains(std::string(key))) fail(fmt::format("unknown parameter {}", std::string_view(key)));
      }
    }
    return ok() ? Status() : Status(Error::InvalidArgument, error_);
  }

 private:
  bool ok() const { return error_.empty(); }
  void fail(std::string why) {
    if (ok()) error_ = std::move(why);
  }
  std::optional<dom::element> field(const char* name, bool optional) {
    used_.insert(name);
    if (!ok()) return std::nullopt;
    dom::element e;
    if (!params_ || params_->at_key(name).get(e) != simdjson::SUCCESS) {
      if (!optional) fail(fmt::format("missing parameter {}", name));
      return std::nullopt;
    }
    if (e.is_null() && optional) return std::nullopt;
    return e;
  }

  std::optional<dom::object> params_;
  std::set<std::string> used_;
  std::string error_;
};

std::string error_object(const std::string& id, int code, std::string_view message, std::string_view reason) {
  return fmt::format(R"({{"jsonrpc":"2.0","id":{},"error":{{"code":{},"message":{},"data":{{"code":{}}}}}}})", id, code,
                     json_quote(message), json_quote(reason));
}

std::string refusal(const std::string& id, const Status& s) {
  const bool params = s.code() == Error::InvalidArgument || s.code() == Error::InvalidQuantity;
  return error_object(id, params ? kRpcInvalidParams : kRpcChainRefused, s.message(), error_name(s.code()));
}

std::string header_json(const BlockHeader& h) {
  return fmt::format(R"({{"height":{},"hash":{},"parentHash":{}}})", h.height, json_quote(h.hash), json_quote(h.parent_hash));
}

std::string_view kind_name(SimTx::Kind k) {
  switch (k) {
    case SimTx::Kind::Transfer: return "transfer";
    case SimTx::Kind::Faucet: return "faucet";
    case SimTx::Kind::Steal: return "steal";
  }
  return "transfer";
}

std::string block_json(const SimBlock& b) {
  std::string txs;
  for (const SimTx& tx : b.txs) {
    if (!txs.empty()) txs += ',';
    txs += fmt::format(R"({{"txId":{},"kind":"{}","from":{},"to":{},"asset":{},"amount":"{}","fee":"{}","status":"{}"{}}})",
                       json_quote(tx.id), kind_name(tx.kind), json_quote(tx.from), json_quote(tx.to), json_quote(tx.asset), tx.amount,
                       tx.fee, tx.applied ? "applied" : "failed", tx.applied ? "" : ",\"reason\":" + json_quote(tx.failure));
  }
  std::string h = header_json(b.header);
  h.pop_back();
  return h + ",\"transactions\":[" + txs + "]}";
}

std::string transfer_json(const ObservedTransfer& t) {
  return fmt::format(R"({{"txId":{},"index":{},"height":{},"blockHash":{},"from":{},"to":{},"asset":{},"amount":"{}"}})",
                     json_quote(t.tx_id), t.index, t.height, json_quote(t.block_hash), json_quote(t.from), json_quote(t.to),
                     json_quote(t.asset), t.amount);
}

std::string status_json(const TxId& id, const TxStatus& s) {
  std::string out = fmt::format(R"({{"txId":{},"status":"{}")", json_quote(id), tx_state_name(s.state));
  if (s.state == TxState::Confirmed || s.state == TxState::Failed)
    out += fmt::format(R"(,"height":{},"blockHash":{})", s.height, json_quote(s.block_hash));
  if (s.state == TxState::Confirmed) out += fmt::format(R"(,"confirmations":{})", s.confirmations);
  if (s.state == TxState::Failed) out += ",\"reason\":" + json_quote(s.reason);
  return out + "}";
}

struct Outcome {
  Result<std::string> result;  // the "result" member's JSON
  bool changed = false;
  bool unknown_method = false;
};

Outcome run(SimChain& chain, std::string_view method, Params& p, bool test_methods) {
  auto done = [&](Result<std::string> r, bool changed = false) -> Outcome {
    const bool ok = r.is_ok();
    return {std::move(r), changed && ok};
  };
  auto checked = [&]() { return p.status(); };
  if (method == "chain_info") {
    if (auto s = checked(); !s) return {s};
    return {fmt::format(R"({{"name":{},"seed":"{}","chainId":{},"minFee":"{}"}})", json_quote(chain.options().name), chain.options().seed,
                        json_quote(chain.chain_id()), chain.options().min_fee)};
  }
  if (method == "chain_tip") {
    if (auto s = checked(); !s) return {s};
    return {header_json(*chain.tip())};
  }
  if (method == "chain_getBlock") {
    const uint64_t height = p.u64("height");
    if (auto s = checked(); !s) return {s};
    auto b = chain.block(height);
    if (!b) return {b.status()};
    return {block_json(chain.block_at(height))};
  }
  if (method == "chain_getTransfers") {
    const auto addresses = p.texts("addresses", SimChain::kMaxQueryAddresses);
    const uint64_t from = p.u64("fromHeight"), to = p.u64("toHeight");
    if (auto s = checked(); !s) return {s};
    auto seen = chain.transfers_to(addresses, from, to);
    if (!seen) return {seen.status()};
    std::string out = "[";
    for (const ObservedTransfer& t : *seen) {
      if (out.size() > 1) out += ',';
      out += transfer_json(t);
    }
    return {out + "]"};
  }
  if (method == "chain_getBalance") {
    const std::string address = p.text("address"), asset = p.text("asset");
    const uint64_t height = p.u64("height", chain.tip()->height);
    if (auto s = checked(); !s) return {s};
    auto b = chain.balance(address, asset, height);
    if (!b) return {b.status()};
    return {fmt::format(R"({{"address":{},"asset":{},"height":{},"balance":"{}"}})", json_quote(address), json_quote(asset), height, *b)};
  }
  if (method == "chain_sendTransfer") {
    SignedTransfer t;
    t.public_key = p.text("publicKey");
    t.to = p.text("to");
    t.asset = p.text("asset");
    t.amount = p.amount("amount");
    t.fee = p.amount("fee");
    t.client_id = p.digits_u64("clientId");
    t.signature = p.text("signature");
    if (auto s = checked(); !s) return {s};
    const size_t before = chain.mempool().size();
    auto id = chain.send(t);
    if (!id) return {id.status()};
    return done(fmt::format(R"({{"txId":{}}})", json_quote(*id)), chain.mempool().size() != before);
  }
  if (method == "chain_getTransaction") {
    const std::string id = p.text("txId");
    if (auto s = checked(); !s) return {s};
    return {status_json(id, *chain.status(id))};
  }
  if (!test_methods) return {Status(Error::InvalidArgument, "no such method"), false, true};
  if (method == "sim_mine") {
    const uint64_t blocks = p.u64("blocks", 1);
    if (auto s = checked(); !s) return {s};
    auto tip = chain.mine(blocks);
    if (!tip) return {tip.status()};
    return done(header_json(*tip), true);
  }
  if (method == "sim_reorg") {
    const uint64_t depth = p.u64("depth");
    const bool drop = p.boolean("dropTransactions", false);
    if (auto s = checked(); !s) return {s};
    auto tip = chain.reorg(depth, drop);
    if (!tip) return {tip.status()};
    return done(header_json(*tip), true);
  }
  if (method == "sim_faucet") {
    const std::string address = p.text("address"), asset = p.text("asset");
    const int64_t amount = p.amount("amount");
    if (auto s = checked(); !s) return {s};
    auto id = chain.faucet(address, asset, amount);
    if (!id) return {id.status()};
    return done(fmt::format(R"({{"txId":{}}})", json_quote(*id)), true);
  }
  if (method == "sim_steal") {
    const std::string from = p.text("from"), to = p.text("to"), asset = p.text("asset");
    const int64_t amount = p.amount("amount");
    if (auto s = checked(); !s) return {s};
    auto id = chain.steal(from, to, asset, amount);
    if (!id) return {id.status()};
    return done(fmt::format(R"({{"txId":{}}})", json_quote(*id)), true);
  }
  return {Status(Error::InvalidArgument, "no such method"), false, true};
}

}  // namespace

RpcAnswer handle_sim_chain_rpc(SimChain& chain, std::string_view request, bool test_methods) {
  constexpr const char* kNull = "null";
  if (request.size() > kMaxRpcRequestBytes)
    return {error_object(kNull, kRpcInvalidRequest, fmt::format("the request is larger than {} bytes", kMaxRpcRequestBytes), "INVALID_ARGUMENT")};
  dom::parser parser;
  dom::element root;
  if (parser.parse(request.data(), request.size()).get(root) != simdjson::SUCCESS)
    return {error_object(kNull, kRpcParseError, "the request is not valid JSON", "INVALID_ARGUMENT")};
  if (root.is_array()) return {error_object(kNull, kRpcInvalidRequest, "batch requests are not supported: send one request at a time", "INVALID_ARGUMENT")};
  dom::object envelope;
  if (root.get(envelope) != simdjson::SUCCESS) return {error_object(kNull, kRpcInvalidRequest, "the request must be a JSON object", "INVALID_ARGUMENT")};
  // The id is echoed as it came: a string, an integer or null (fractional ids are refused).
  std::string id = kNull;
  dom::element id_element;
  const bool has_id = envelope.at_key("id").get(id_element) == simdjson::SUCCESS;
  if (has_id) {
    if (!id_element.is_string() && !id_element.is_int64() && !id_element.is_uint64() && !id_element.is_null())
      return {error_object(kNull, kRpcInvalidRequest, "id must be a string, an integer or null", "INVALID_ARGUMENT")};
    id = simdjson::minify(id_element);
  }
  std::string_view version, method;
  if (envelope.at_key("jsonrpc").get(version) != simdjson::SUCCESS || version != "2.0")
    return {error_object(id, kRpcInvalidRequest, "jsonrpc must be \"2.0\"", "INVALID_ARGUMENT")};
  if (envelope.at_key("method").get(method) != simdjson::SUCCESS)
    return {error_object(id, kRpcInvalidRequest, "method must be a string", "INVALID_ARGUMENT")};
  for (auto [key, value] : envelope) {
    (void)value;
    if (key != "jsonrpc" && key != "method" && key != "params" && key != "id")
      return {error_object(id, kRpcInvalidRequest, fmt::format("unknown member {}", std::string_view(key)), "INVALID_ARGUMENT")};
  }
  std::optional<dom::object> params;
  dom::element params_element;
  if (envelope.at_key("params").get(params_element) == simdjson::SUCCESS) {
    dom::object o;
    if (params_element.get(o) != simdjson::SUCCESS)
      return {error_object(id, kRpcInvalidParams, "params must be an object of named parameters", "INVALID_ARGUMENT")};
    params = o;
  }
  Params p(params);
  Outcome outcome = run(chain, method, p, test_methods);
  RpcAnswer answer;
  answer.changed = outcome.changed;
  if (!has_id) return answer;  // a notification: run, never answered
  if (outcome.result) {
    answer.body = fmt::format(R"({{"jsonrpc":"2.0","id":{},"result":{}}})", id, *outcome.result);
  } else if (outcome.unknown_method) {
    answer.body = error_object(id, kRpcMethodNotFound, fmt::format("no method {}", method), "METHOD_NOT_FOUND");
  } else {
    answer.body = refusal(id, outcome.result.status());
  }
  return answer;
}

}  // namespace glassbook::custody
