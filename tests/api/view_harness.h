// Test harness for the exchange view: a primary engine on the demo configuration whose signed commands
// and events feed an ExchangeView (built on its own engine), plus JSON parsing helpers (simdjson).
#pragma once
#include <gtest/gtest.h>
#include <simdjson.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/exchange_view.h"
#include "engine/engine.h"

namespace glassbook::api::testing {

using engine::CommandBody;
using engine::Event;
using engine::EventKind;
using engine::OrderType;
using engine::Side;
using engine::Stp;
using engine::TimeInForce;

inline constexpr MarketId kBtc = 0;  // BTC_USDC: tick 0.1 USDC, lot 0.00001 BTC, fees 2/5 bp
inline constexpr MarketId kSol = 1;  // SOL_USDC: tick 0.01 USDC, lot 0.01 SOL
inline constexpr AssetId BTC = 0, SOL = 1, USDC = 2;
inline constexpr int64_t kUsdc = 1'000'000;        // one USDC in units
inline constexpr int64_t kBtcUnit = 100'000'000;   // one BTC in sats
inline constexpr int64_t kSolUnit = 1'000'000'000;  // one SOL in lamports
inline constexpr Timestamp kStart = 1'704'067'200'000'000;  // 2024-01-01T00:00:00Z, a Monday

// A parsed JSON document that owns its parser.
struct Json {
  std::unique_ptr<simdjson::dom::parser> parser = std::make_unique<simdjson::dom::parser>();
  simdjson::dom::element root;
  explicit Json(const std::string& text) { root = parser->parse(text); }
};

inline std::string str(simdjson::dom::element e, std::string_view key) { return std::string(std::string_view(e[key])); }
inline int64_t num(simdjson::dom::element e, std::string_view key) { return int64_t(e[key]); }
inline bool is_null(simdjson::dom::element e, std::string_view key) { return e[key].is_null(); }
inline size_t count(simdjson::dom::element e) { return simdjson::dom::array(e).size(); }
inline simdjson::dom::element at(simdjson::dom::element e, size_t i) { return simdjson::dom::array(e).at(i); }

class ViewHarness {
 public:
  // The demo configuration as `adjust` changes it (roles, markets...).
  explicit ViewHarness(ViewLimits limits = {}, const std::function<void(engine::ExchangeConfig&)>& adjust = {})
      : watcher_(crypto::KeyPair::from_seed(crypto::seed_from_label("view/watcher"))),
        primary_(config(watcher_.public_key(), adjust)),
        view_(std::make_unique<engine::Engine>(config(watcher_.public_key(), adjust)), limits) {}

  ExchangeView& view() { return view_; }
  engine::Engine& primary() { return primary_; }
  Timestamp now() const { return now_; }
  void advance(int64_t micros) { now_ += micros; }
  void set_time(Timestamp t) { now_ = t; }

  // Only frames whose key this accepts are rendered (empty: all).
  std::function<bool(std::string_view)> wants;
  std::vector<StreamFrame> frames;
  // A second view fed the same commands (for instance one built from a snapshot), with its frames.
  ExchangeView* mirror = nullptr;
  std::vector<StreamFrame> mirror_frames;

  const crypto::KeyPair& key(const std::string& name) {
    auto it = keys_.find(name);
    if (it == keys_.end()) it = keys_.emplace(name, crypto::KeyPair::from_seed(crypto::seed_from_label("view/" + name))).first;
    return it->second;
  }

  // Signs, applies to the primary, feeds the view the command and the primary's events.
  std::vector<Event> run(const crypto::KeyPair& signer, CommandBody body) {
    ++seq_;
    engine::SignedCommand sc = engine::sign_command(signer, seq_, now_, std::move(body));
    EXPECT_TRUE(engine::verify_command(sc));
    auto ev = primary_.apply(sc.command);
    std::vector<Event> out(ev.begin(), ev.end());
    view_.apply(sc.command, out, frames, wants);
    if (mirror != nullptr) mirror->apply(sc.command, out, mirror_frames);
    now_ += 1;
    return out;
  }

  AccountId open(const std::string& name) {
    auto ev = run(key(name), engine::RegisterAccount{key(name).public_key()});
    EXPECT_EQ(ev.at(0).kind, EventKind::AccountRegistered);
    ids_[name] = ev.at(0).account;
    return ev.at(0).account;
  }
  AccountId id(const std::string& name) { return ids_.at(name); }
  std::vector<Event> deposit(const std::string& name, AssetId asset, int64_t amount) {
    return run(watcher_, engine::Deposit{id(name), asset, amount, ++deposit_id_});
  }
  // A deposit to an account by id (the insurance fund's capital, say).
  std::vector<Event> deposit_to(AccountId account, AssetId asset, int64_t amount) {
    return run(watcher_, engine::Deposit{account, asset, amount, ++deposit_id_});
  }
  // 10 BTC, 1000 SOL, 1,000,000 USDC.
  AccountId trader(const std::string& name) {
    AccountId a = open(name);
    deposit(name, BTC, 10 * kBtcUnit);
    deposit(name, SOL, 1000 * kSolUnit);
    deposit(name, USDC, 1'000'000 * kUsdc);
    return a;
  }

  std::vector<Event> order(const std::string& name, MarketId m, Side side, int64_t price, int64_t qty,
                           TimeInForce tif = TimeInForce::GTC, uint32_t client_id = 0, Stp stp = Stp::CancelNewest,
                           OrderType type = OrderType::Limit) {
    engine::PlaceOrder p;
    p.account = id(name);
    p.market = m;
    p.side = side;
    p.type = type;
    p.tif = tif;
    p.stp = stp;
    p.price = price;
    p.quantity = qty;
    p.client_id = client_id;
    return run(key(name), p);
  }
  std::vector<Event> cancel(const std::string& name, MarketId m, OrderId id) {
    return run(key(name), engine::CancelOrder{this->id(name), m, id, 0});
  }
  std::vector<Event> amend(const std::string& name, MarketId m, OrderId id, int64_t price, int64_t qty) {
    return run(key(name), engine::AmendOrder{this->id(name), m, id, price, qty});
  }

  // The frames rendered so far with this key, in order.
  std::vector<std::string> frames_of(const std::string& key) const {
    std::vector<std::string> out;
    for (const auto& f : frames)
      if (f.key == key) out.push_back(f.text);
    return out;
  }
  // The same, parsed: each frame's "data" after checking its "stream" is `stream`.
  std::vector<Json> data_of(const std::string& key, const std::string& stream) const {
    std::vector<Json> out;
    for (const std::string& text : frames_of(key)) {
      out.emplace_back(text);
      EXPECT_EQ(str(out.back().root, "stream"), stream);
      out.back().root = out.back().root["data"];
    }
    return out;
  }

 private:
  static engine::ExchangeConfig config(const crypto::PublicKey& watcher, const std::function<void(engine::ExchangeConfig&)>& adjust) {
    engine::ExchangeConfig c = engine::demo_config(watcher);
    if (adjust) adjust(c);
    return c;
  }

  crypto::KeyPair watcher_;
  engine::Engine primary_;
  ExchangeView view_;
  std::map<std::string, crypto::KeyPair> keys_;
  std::map<std::string, AccountId> ids_;
  SeqNo seq_ = 0;
  Timestamp now_ = kStart;
  uint64_t deposit_id_ = 0;
};

inline OrderId accepted_id(const std::vector<Event>& ev) {
  for (const auto& e : ev)
    if (e.kind == EventKind::OrderAccepted) return e.order_id;
  ADD_FAILURE() << "no OrderAccepted event";
  return 0;
}

// BTC_USDC price of `usdc` whole USDC, SOL_USDC price in cents.
inline int64_t usd(int64_t usdc) { return usdc * kUsdc; }
inline int64_t sol_cents(int64_t cents) { return cents * 10'000; }

}  // namespace glassbook::api::testing
