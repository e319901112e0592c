// Test fixture: an engine on the demo configuration with named, signed accounts and helpers
// that build, sign, verify and apply commands (the path every command takes in production).
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace glassbook::engine::testing {

inline constexpr MarketId kBtc = 0;  // BTC_USDC: tick 0.1 USDC, lot 0.00001 BTC, fees 2/5 bp
inline constexpr MarketId kSol = 1;  // SOL_USDC: tick 0.01 USDC, lot 0.01 SOL
inline constexpr AssetId BTC = 0, SOL = 1, USDC = 2;
inline constexpr int64_t kUsdc = 1'000'000;    // one USDC in units
inline constexpr int64_t kBtcUnit = 100'000'000;  // one BTC in sats
inline constexpr int64_t kTick = 100'000;      // BTC_USDC tick in USDC units
inline constexpr int64_t kLot = 1'000;         // BTC_USDC lot in sats

class Exchange {
 public:
  Exchange() : Exchange([](ExchangeConfig&) {}) {}
  // The demo configuration as changed by `adjust` (roles, extra markets...).
  explicit Exchange(const std::function<void(ExchangeConfig&)>& adjust)
      : watcher_(crypto::KeyPair::from_seed(crypto::seed_from_label("test/watcher"))),
        engine_(adjusted(demo_config(watcher_.public_key()), adjust)) {}

  Engine& engine() { return engine_; }
  // The time the next command carries: one microsecond per command, plus what advance() added.
  Timestamp now() const { return 1'700'000'000'000'000 + static_cast<Timestamp>(seq_) + clock_; }
  void advance(int64_t us) { clock_ += us; }
  // Checks the engine's invariants after every command (as the Debug and sanitizer builds do).
  // Both checks: the whole state, and the last command's changes alone (which must agree).
  void check_invariants_always() {
    check_invariants_ = true;
    engine_.log_changes(true);
  }
  const crypto::KeyPair& watcher() const { return watcher_; }

  const crypto::KeyPair& key(const std::string& name) {
    auto it = keys_.find(name);
    if (it == keys_.end())
      it = keys_.emplace(name, crypto::KeyPair::from_seed(crypto::seed_from_label("test/" + name))).first;
    return it->second;
  }

  // Signs with `signer`, checks the signature as the gateway would, then applies.
  std::vector<Event> run(const crypto::KeyPair& signer, CommandBody body) {
    ++seq_;
    SignedCommand sc = sign_command(signer, seq_, now(), std::move(body));
    EXPECT_TRUE(verify_command(sc));
    auto ev = engine_.apply(sc.command);
    if (check_invariants_) {
      const Status inv = engine_.check_invariants();
      EXPECT_TRUE(inv) << "after command " << seq_ << " (" << command_name(sc.command.body) << "): " << inv.to_string();
      const Status last = engine_.check_last_command();
      EXPECT_TRUE(last) << "changes of command " << seq_ << " (" << command_name(sc.command.body) << "): " << last.to_string();
      const Status root = engine_.check_state_root();
      EXPECT_TRUE(root) << "after command " << seq_ << " (" << command_name(sc.command.body) << "): " << root.to_string();
    }
    std::vector<Event> out(ev.begin(), ev.end());
    log_.insert(log_.end(), out.begin(), out.end());
    return out;
  }

  AccountId open(const std::string& name) {
    auto ev = run(key(name), RegisterAccount{key(name).public_key()});
    EXPECT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, EventKind::AccountRegistered);
    ids_[name] = ev[0].account;
    return ev[0].account;
  }
  AccountId id(const std::string& name) { return ids_.at(name); }
  uint64_t next_deposit_id() { return ++deposit_id_; }

  std::vector<Event> deposit(const std::string& name, AssetId asset, int64_t amount) {
    return run(watcher_, Deposit{id(name), asset, amount, next_deposit_id()});
  }

  // A funded trader: 10 BTC, 1000 SOL, 1,000,000 USDC.
  AccountId trader(const std::string& name) {
    AccountId a = open(name);
    deposit(name, BTC, 10 * kBtcUnit);
    deposit(name, SOL, 1000'000000000);
    deposit(name, USDC, 1'000'000 * kUsdc);
    return a;
  }

  std::vector<Event> order(const std::string& name, Side side, int64_t price, int64_t qty,
                           TimeInForce tif = TimeInForce::GTC, MarketId m = kBtc, uint32_t client_id = 0,
                           Stp stp = Stp::CancelNewest, OrderType type = OrderType::Limit) {
    PlaceOrder p;
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
  std::vector<Event> market(const std::string& name, Side side, int64_t qty, int64_t protection = 0) {
    return order(name, side, protection, qty, TimeInForce::IOC, kBtc, 0, Stp::CancelNewest, OrderType::Market);
  }
  std::vector<Event> cancel(const std::string& name, OrderId id, MarketId m = kBtc) {
    return run(key(name), CancelOrder{this->id(name), m, id, 0});
  }
  std::vector<Event> amend(const std::string& name, OrderId id, int64_t price, int64_t qty, MarketId m = kBtc) {
    return run(key(name), AmendOrder{this->id(name), m, id, price, qty});
  }

  const ledger::Balance& balance(const std::string& name, AssetId asset) { return engine_.ledger().balance(id(name), asset); }
  int64_t fees(AssetId asset) { return engine_.ledger().balance(kFeeAccount, asset).total; }
  const std::vector<Event>& log() const { return log_; }

 private:
  static ExchangeConfig adjusted(ExchangeConfig c, const std::function<void(ExchangeConfig&)>& adjust) {
    adjust(c);
    return c;
  }

  crypto::KeyPair watcher_;
  Engine engine_;
  std::map<std::string, crypto::KeyPair> keys_;
  std::map<std::string, AccountId> ids_;
  std::vector<Event> log_;
  SeqNo seq_ = 0;
  int64_t clock_ = 0;
  bool check_invariants_ = false;
  uint64_t deposit_id_ = 0;
};

inline std::vector<Event> of_kind(const std::vector<Event>& ev, EventKind k) {
  std::vector<Event> out;
  for (const auto& e : ev)
    if (e.kind == k) out.push_back(e);
  return out;
}

inline OrderId accepted_id(const std::vector<Event>& ev) {
  for (const auto& e : ev)
    if (e.kind == EventKind::OrderAccepted) return e.order_id;
  ADD_FAILURE() << "no OrderAccepted event";
  return 0;
}

inline Error rejection(const std::vector<Event>& ev) {
  if (ev.size() == 1 && ev[0].kind == EventKind::Rejected) return ev[0].error;
  return Error::Ok;
}

// 100,000.0 USDC in price units; n ticks away.
inline int64_t px(int64_t usdc_tenths) { return usdc_tenths * kTick; }
inline int64_t lots(int64_t n) { return n * kLot; }

}  // namespace glassbook::engine::testing
