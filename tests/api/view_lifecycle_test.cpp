// ExchangeView, lifecycle: bounded rings, frames only for wanted keys, a view seeded from a snapshot,
// Backpack signed requests (batches), configuration changes, skipped and diverging commands.
#include "engine/request_text.h"
#include "view_harness.h"

namespace glassbook::api::testing {
namespace {

constexpr int64_t kSolLot = kSolUnit / 100;  // 0.01 SOL

TEST(ViewLimitsTest, RingsKeepTheNewest) {
  ViewLimits limits;
  limits.trades_per_market = 3;
  limits.candles_per_market = 2;
  limits.closed_orders_per_account = 2;
  limits.fills_per_account = 3;
  limits.deposits_per_account = 2;
  ViewHarness h(limits);
  const AccountId alice = h.trader("alice");  // 3 deposits
  h.trader("bob");
  h.deposit("alice", USDC, 5 * kUsdc);
  h.deposit("alice", USDC, 6 * kUsdc);
  Json d(h.view().deposits(alice, 100, 0));
  ASSERT_EQ(count(d.root), 2u);
  EXPECT_EQ(str(at(d.root, 0), "quantity"), "6");
  EXPECT_EQ(str(at(d.root, 1), "quantity"), "5");
  for (int i = 0; i < 5; ++i) {
    h.set_time(kStart + (i + 1) * 60'000'000);  // one trade a minute
    h.order("alice", kSol, Side::Sell, sol_cents(10'000 + i), kSolLot);
    h.order("bob", kSol, Side::Buy, sol_cents(10'000 + i), kSolLot);
  }
  Json t(h.view().trades("SOL_USDC", 1000).value());
  ASSERT_EQ(count(t.root), 3u);
  EXPECT_EQ(num(at(t.root, 0), "id"), 3);
  EXPECT_EQ(num(at(t.root, 2), "id"), 5);
  Json f(h.view().fills(alice, "", 100, 0));
  ASSERT_EQ(count(f.root), 3u);
  EXPECT_EQ(num(at(f.root, 0), "tradeId"), 5);
  EXPECT_EQ(count(Json(h.view().order_history(alice, "", 100, 0)).root), 2u);
  Json k(h.view().klines("SOL_USDC", "1m", kStart / 1'000'000, 0).value());
  ASSERT_EQ(count(k.root), 2u);
  EXPECT_EQ(str(at(k.root, 0), "start"), "2024-01-01 00:04:00");
  // The ticker sees only the candles kept.
  EXPECT_EQ(str(Json(h.view().ticker("SOL_USDC").value()).root, "trades"), "2");
}

TEST(ViewWantsTest, OnlyWantedFramesAndIdsAdvanceRegardless) {
  ViewHarness h;
  const AccountId alice = h.trader("alice");
  h.trader("bob");
  h.frames.clear();  // the traders' funding: their account.depositUpdate frames (every frame is wanted until now)
  const std::string mine = "account.orderUpdate#" + std::to_string(alice);
  std::vector<std::string> asked;
  h.wants = [&](std::string_view key) {
    asked.emplace_back(key);
    return key == "trade.SOL_USDC" || key == mine;
  };
  const uint64_t id0 = std::stoull(str(Json(h.view().depth("SOL_USDC", 5).value()).root, "lastUpdateId"));
  h.order("alice", kSol, Side::Sell, sol_cents(10'000), kSolLot);
  h.order("bob", kSol, Side::Buy, sol_cents(10'000), 2 * kSolLot);
  h.order("bob", kSol, Side::Buy, sol_cents(9'000), kSolLot);
  ASSERT_FALSE(h.frames.empty());
  for (const auto& f : h.frames) EXPECT_TRUE(f.key == "trade.SOL_USDC" || f.key == mine) << f.key;
  EXPECT_EQ(h.frames_of("trade.SOL_USDC").size(), 1u);
  EXPECT_EQ(h.frames_of(mine).size(), 2u);  // accepted, filled
  for (const char* k : {"depth.SOL_USDC", "bookTicker.SOL_USDC", "ticker.SOL_USDC", "kline.1m.SOL_USDC", "kline.1w.SOL_USDC"})
    EXPECT_NE(std::find(asked.begin(), asked.end(), k), asked.end()) << k;
  const uint64_t id1 = std::stoull(str(Json(h.view().depth("SOL_USDC", 5).value()).root, "lastUpdateId"));
  EXPECT_EQ(id1, id0 + 3);
  // A subscriber arriving now continues from the REST id.
  h.wants = [](std::string_view key) { return key == "depth.SOL_USDC"; };
  h.frames.clear();
  h.order("alice", kSol, Side::Sell, sol_cents(10'500), kSolLot);
  ASSERT_EQ(h.frames.size(), 1u);
  Json f(h.frames[0].text);
  EXPECT_EQ(uint64_t(f.root["data"]["U"]), id1 + 1);
}

TEST(ViewSeedTest, ViewBuiltFromASnapshotContinues) {
  ViewHarness h;
  const AccountId alice = h.trader("alice");
  h.trader("bob");
  h.order("alice", kSol, Side::Sell, sol_cents(10'000), kSolLot);
  h.order("bob", kSol, Side::Buy, sol_cents(10'000), kSolLot);
  const OrderId resting = accepted_id(h.order("alice", kSol, Side::Sell, sol_cents(10'100), 5 * kSolLot, TimeInForce::GTC, 5));
  h.order("bob", kSol, Side::Buy, sol_cents(10'100), 2 * kSolLot);  // partly fills it
  h.order("bob", kSol, Side::Buy, sol_cents(9'000), 3 * kSolLot, TimeInForce::GTC, 0, Stp::CancelBoth);

  auto restored = engine::Engine::restore(h.primary().snapshot());
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  ExchangeView seeded(std::move(restored).value());
  EXPECT_EQ(seeded.last_seq(), h.primary().last_seq());
  EXPECT_EQ(seeded.trades("SOL_USDC", 1000).value(), h.view().trades("SOL_USDC", 1000).value());
  EXPECT_EQ(seeded.capital(alice), h.view().capital(alice));
  Json a(seeded.depth("SOL_USDC", 100).value()), b(h.view().depth("SOL_USDC", 100).value());
  EXPECT_EQ(simdjson::to_string(a.root["asks"]), simdjson::to_string(b.root["asks"]));
  EXPECT_EQ(simdjson::to_string(a.root["bids"]), simdjson::to_string(b.root["bids"]));
  EXPECT_EQ(std::stoull(str(a.root, "lastUpdateId")), h.primary().last_seq());
  Json open(seeded.open_orders(alice, "SOL_USDC"));
  ASSERT_EQ(count(open.root), 1u);
  EXPECT_EQ(str(at(open.root, 0), "id"), std::to_string(resting));
  EXPECT_EQ(str(at(open.root, 0), "quantity"), "0.03");  // what remains: the book knows no more
  EXPECT_EQ(str(at(open.root, 0), "price"), "101.00");
  Json bob_open(seeded.open_orders(h.id("bob"), ""));
  ASSERT_EQ(count(bob_open.root), 1u);
  EXPECT_EQ(str(at(bob_open.root, 0), "selfTradePrevention"), "RejectBoth");

  // Both views take the next commands alike: trade ids continue.
  h.mirror = &seeded;
  h.order("bob", kSol, Side::Buy, sol_cents(10'100), kSolLot);
  EXPECT_EQ(seeded.trades("SOL_USDC", 1000).value(), h.view().trades("SOL_USDC", 1000).value());
  Json filled(seeded.order(alice, "SOL_USDC", resting, std::nullopt).value());
  EXPECT_EQ(str(filled.root, "status"), "PartiallyFilled");
  EXPECT_EQ(str(filled.root, "executedQuantity"), "0.01");
  Json fills(seeded.fills(alice, "", 10, 0));
  ASSERT_EQ(count(fills.root), 1u);
  EXPECT_EQ(num(at(fills.root, 0), "tradeId"), 3);
  ASSERT_EQ(h.mirror_frames.size() > 0, true);
}

TEST(ViewSignedRequestTest, BatchOrdersKeepTheirDescriptions) {
  ViewHarness h;
  const AccountId carol = h.trader("carol");
  using engine::TextParam;
  const std::vector<std::vector<TextParam>> orders = {
      {{"clientId", "42"}, {"orderType", "Limit"}, {"price", "100.00"}, {"quantity", "1.50"},
       {"selfTradePrevention", "RejectBoth"}, {"side", "Ask"}, {"symbol", "SOL_USDC"}},
      {{"orderType", "Limit"}, {"postOnly", "true"}, {"price", "99.00"}, {"quantity", "1"}, {"side", "Bid"}, {"symbol", "SOL_USDC"}},
      {{"clientId", "42"}, {"orderType", "Limit"}, {"price", "98.00"}, {"quantity", "1"}, {"side", "Bid"}, {"symbol", "SOL_USDC"}},
      {{"orderType", "Market"}, {"quantity", "0.5"}, {"side", "Bid"}, {"symbol", "SOL_USDC"}, {"timeInForce", "IOC"}},
  };
  const int64_t ms = h.now() / 1000;
  auto ev = h.run(h.key("carol"), engine::SignedRequest{engine::build_batch_text("orderExecute", orders, ms, 5000)});
  ASSERT_EQ(std::count_if(ev.begin(), ev.end(), [](const Event& e) { return e.kind == EventKind::Rejected; }), 1);

  Json hist(h.view().order_history(carol, "", 10, 0));
  ASSERT_EQ(count(hist.root), 3u);
  auto market = at(hist.root, 0), bid = at(hist.root, 1), ask = at(hist.root, 2);
  EXPECT_EQ(str(market, "orderType"), "Market");
  EXPECT_EQ(str(market, "timeInForce"), "IOC");
  EXPECT_EQ(str(market, "status"), "Expired");
  EXPECT_EQ(str(market, "expiryReason"), "SelfTradePrevention");
  EXPECT_EQ(str(bid, "status"), "New");
  EXPECT_TRUE(bool(bid["postOnly"]));
  EXPECT_EQ(str(bid, "timeInForce"), "GTC");
  EXPECT_TRUE(is_null(bid, "clientId"));
  EXPECT_EQ(num(ask, "clientId"), 42);
  EXPECT_EQ(str(ask, "selfTradePrevention"), "RejectBoth");
  EXPECT_EQ(str(ask, "quantity"), "1.50");

  // One order: FOK; then a cancel by client id.
  auto fok = h.run(h.key("carol"), engine::SignedRequest{engine::build_request_text(
                                       "orderExecute",
                                       {{"orderType", "Limit"}, {"price", "101.00"}, {"quantity", "5"}, {"side", "Bid"},
                                        {"symbol", "SOL_USDC"}, {"timeInForce", "FOK"}},
                                       h.now() / 1000, 5000)});
  const OrderId fok_id = accepted_id(fok);
  EXPECT_EQ(str(Json(h.view().order_by_id(carol, fok_id).value()).root, "timeInForce"), "FOK");
  h.run(h.key("carol"), engine::SignedRequest{engine::build_request_text(
                            "orderCancel", {{"clientId", "42"}, {"symbol", "SOL_USDC"}}, h.now() / 1000, 5000)});
  EXPECT_EQ(str(Json(h.view().order(carol, "SOL_USDC", std::nullopt, 42u).value()).root, "status"), "Cancelled");
  EXPECT_EQ(count(Json(h.view().open_orders(carol, "")).root), 1u);
}

TEST(ViewConfigTest, NewMarketFromGovernance) {
  const crypto::KeyPair op = crypto::KeyPair::from_seed(crypto::seed_from_label("view/operator"));
  ViewHarness h({}, [&](engine::ExchangeConfig& c) { c.operators = {{op.public_key()}, 1}; });
  h.trader("alice");
  h.trader("bob");
  const auto before = h.view().config();
  auto next = std::make_shared<engine::ExchangeConfig>(*before);
  engine::MarketConfig m;
  m.symbol = "BTC_SOL";
  m.base = BTC;
  m.quote = SOL;
  m.tick_size = 1'000'000;  // 0.001 SOL
  m.lot_size = 1'000;       // 0.00001 BTC
  m.min_quantity = 1'000;
  m.max_price = 10'000'000'000'000;
  next->markets.push_back(m);
  auto ev = h.run(op, engine::ProposeConfig{1, next});
  ASSERT_EQ(ev.back().kind, EventKind::ConfigApplied);
  const SeqNo applied_at = h.primary().last_seq();
  const auto after = h.view().config();
  EXPECT_NE(after.get(), before.get());
  EXPECT_EQ(after->markets.size(), 3u);
  EXPECT_EQ(before->markets.size(), 2u);
  EXPECT_EQ(count(Json(h.view().markets()).root), 3u);
  h.order("alice", 2, Side::Sell, 500 * kSolUnit, 1'000);
  Json d(h.view().depth("BTC_SOL", 10).value());
  EXPECT_EQ(std::stoull(str(d.root, "lastUpdateId")), applied_at + 1);
  EXPECT_EQ(std::string_view(at(d.root["asks"], 0).at(0)), "500.000");
  EXPECT_EQ(std::string_view(at(d.root["asks"], 0).at(1)), "0.00001");
  h.order("bob", 2, Side::Buy, 500 * kSolUnit, 1'000);
  EXPECT_EQ(h.frames_of("trade.BTC_SOL").size(), 1u);
}

TEST(ViewApplyTest, SkipsCommandsAlreadyAppliedAndAbortsOnDivergence) {
  const crypto::KeyPair w = crypto::KeyPair::from_seed(crypto::seed_from_label("view/watcher"));
  const crypto::KeyPair k = crypto::KeyPair::from_seed(crypto::seed_from_label("view/k"));
  engine::Engine primary(engine::demo_config(w.public_key()));
  ExchangeView view(std::make_unique<engine::Engine>(engine::demo_config(w.public_key())));
  std::vector<StreamFrame> frames;
  const engine::Command c1 = engine::sign_command(k, 1, kStart, engine::RegisterAccount{k.public_key()}).command;
  auto ev = primary.apply(c1);
  std::vector<Event> events(ev.begin(), ev.end());
  view.apply(c1, events, frames);
  EXPECT_EQ(view.last_seq(), 1u);
  view.apply(c1, events, frames);  // again: already in the state
  EXPECT_EQ(view.last_seq(), 1u);
  EXPECT_TRUE(view.account_of(k.public_key()).has_value());

  const engine::Command c2 = engine::sign_command(w, 2, kStart + 1, engine::Deposit{events[0].account, USDC, 5, 1}).command;
  auto ev2 = primary.apply(c2);
  std::vector<Event> wrong(ev2.begin(), ev2.end());
  wrong[0].quantity += 1;
  EXPECT_DEATH(view.apply(c2, wrong, frames), "diverged");
}

}  // namespace
}  // namespace glassbook::api::testing
