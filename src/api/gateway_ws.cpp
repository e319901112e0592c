// The gateway's WebSocket side: SUBSCRIBE/UNSUBSCRIBE with Backpack's stream names, signed private
// subscriptions, and the feed that turns durable commands into stream frames.
#include <fmt/format.h>
#include <simdjson.h>

#include "api/api_error.h"
#include "api/gateway.h"
#include "api/json_writer.h"
#include "api/stream_custody_json.h"
#include "core/stage_costs.h"

namespace glassbook::api {
namespace {

constexpr std::string_view kOrderUpdate = "account.orderUpdate";
constexpr std::string_view kIntervals[] = {"1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1month"};

std::string ws_error(std::string_view id_json, std::string_view message) {
  JsonWriter w(48 + message.size());
  w.begin_object().key("id").raw(id_json.empty() ? "null" : id_json);  // id_json: an integer simdjson wrote
  w.key("error").begin_object().key("code").integer(400).key("message").string(message).end_object().end_object();
  return w.take();
}

bool known_symbol(const engine::ExchangeConfig& config, std::string_view symbol) {
  for (const auto& m : config.markets)
    if (m.symbol == symbol) return true;
  return false;
}

// Whether `stream` is a public stream of a known market.
bool public_stream(const engine::ExchangeConfig& config, std::string_view stream) {
  const size_t dot = stream.find('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view type = stream.substr(0, dot);
  std::string_view rest = stream.substr(dot + 1);
  if (type == "kline") {
    const size_t dot2 = rest.find('.');
    if (dot2 == std::string_view::npos) return false;
    bool interval_ok = false;
    for (std::string_view i : kIntervals) interval_ok |= rest.substr(0, dot2) == i;
    return interval_ok && known_symbol(config, rest.substr(dot2 + 1));
  }
  if (type != "trade" && type != "depth" && type != "ticker" && type != "bookTicker") return false;
  return known_symbol(config, rest);
}

}  // namespace

void Gateway::on_open(const std::shared_ptr<WsConnection>&) {}

void Gateway::on_close(const std::shared_ptr<WsConnection>& connection) { hub_.remove(*connection); }

void Gateway::on_message(const std::shared_ptr<WsConnection>& connection, std::string_view text) {
  if (uint64_t wait = ip_limiter_.acquire(connection->remote_ip(), 1, static_cast<uint64_t>(now_ms()) * 1000); wait != 0) {
    connection->send(ws_error("", "rate limit for this address"));
    return;
  }
  subscribe(connection, text);
  // The server closes a connection that holds no subscription for a while (ServerOptions).
  connection->set_subscribed(hub_.subscriptions(*connection) > 0);
}

void Gateway::subscribe(const std::shared_ptr<WsConnection>& connection, std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS)
    return (void)connection->send(ws_error("", "malformed JSON"));
  std::string id_json;
  if (simdjson::dom::element id; root["id"].get(id) == simdjson::SUCCESS && (id.is_int64() || id.is_uint64()))
    id_json = simdjson::minify(id);
  std::string_view method;
  if (root["method"].get(method) != simdjson::SUCCESS || (method != "SUBSCRIBE" && method != "UNSUBSCRIBE"))
    return (void)connection->send(ws_error(id_json, "method must be SUBSCRIBE or UNSUBSCRIBE"));
  simdjson::dom::array params;
  if (root["params"].get(params) != simdjson::SUCCESS || params.size() == 0)
    return (void)connection->send(ws_error(id_json, "params must be a non-empty array of stream names"));

  std::optional<AccountId> account;  // resolved once, for the private streams
  const auto config = view_.config();
  for (simdjson::dom::element p : params) {
    std::string_view stream;
    if (p.get(stream) != simdjson::SUCCESS || stream.size() > 128)
      return (void)connection->send(ws_error(id_json, "each stream name is a string"));
    std::string key(stream);
    const bool order_stream = stream == kOrderUpdate || stream.starts_with(std::string(kOrderUpdate) + ".");
    const bool private_stream = order_stream || stream == kClaimUpdateStream || is_custody_stream(stream);  // view_claims.h, stream_custody_json.h
    if (private_stream) {
      if (order_stream && stream.size() > kOrderUpdate.size() && !known_symbol(*config, stream.substr(kOrderUpdate.size() + 1)))
        return (void)connection->send(ws_error(id_json, fmt::format("unknown stream {}", stream)));
      if (!account && method == "SUBSCRIBE") {
        simdjson::dom::array sig;
        if (root["signature"].get(sig) != simdjson::SUCCESS || sig.size() != 4)
          return (void)connection->send(ws_error(id_json, "private streams need \"signature\": [key, signature, timestamp, window]"));
        std::string parts[4];
        size_t i = 0;
        for (simdjson::dom::element s : sig) parts[i++] = s.is_string() ? std::string(std::string_view(s)) : simdjson::minify(s);
        auto auth = read_auth(parts[0], parts[1], parts[2], parts[3], now_ms());
        if (!auth) return (void)connection->send(ws_error(id_json, auth.status().message()));
        const std::string signed_text = fmt::format("instruction=subscribe&timestamp={}&window={}", auth->timestamp_ms, auth->window_ms);
        auto acct = view_.account_of(auth->key);
        if (!acct) return (void)connection->send(ws_error(id_json, "unknown API key"));
        if (!signature_matches(*auth, signed_text)) return (void)connection->send(ws_error(id_json, "invalid signature"));
        account = *acct;
      }
      if (account) key += fmt::format("#{}", *account);
    } else if (!public_stream(*config, stream)) {
      return (void)connection->send(ws_error(id_json, fmt::format("unknown stream {}", stream)));
    }
    if (method == "UNSUBSCRIBE") {
      if (private_stream) hub_.unsubscribe_private(*connection, stream);
      else hub_.unsubscribe(*connection, key);
    } else if (auto s = hub_.subscribe(connection, std::move(key)); !s) {
      return (void)connection->send(ws_error(id_json, s.message()));
    }
  }
}

void StreamFeed::operator()(const engine::Command& command, std::span<const engine::Event> events) {
  frames_.clear();
  StageClock stage(Stage::ViewApply);
  view_.apply(command, events, frames_, [this](std::string_view key) { return hub_.has_subscribers(key); });
  if (frames_.empty()) return;
  stage.next(Stage::WsFanout);
  for (const StreamFrame& f : frames_) hub_.publish(f.key, f.text);
}

}  // namespace glassbook::api
