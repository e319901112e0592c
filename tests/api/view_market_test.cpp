// ExchangeView, public side: markets and assets, depth with update ids (REST + frames rebuild the book),
// trades, K-lines across intervals, the 24h ticker and the ticker/bookTicker/kline streams.
#include <map>
#include <random>

#include "view_harness.h"

namespace glassbook::api::testing {

namespace {

constexpr int64_t kSolLot = kSolUnit / 100;  // 0.01 SOL

bool zero(std::string_view q) { return q.find_first_not_of("0.") == std::string_view::npos; }

// A client keeping a local book the way ccxt.pro's backpack does: a REST snapshot, then depth frames.
struct ClientBook {
  std::map<std::string, std::string> asks, bids;  // price text -> quantity text (prices sort as text
                                                  // only within one width, so compare as maps of text)
  uint64_t nonce = 0;
  bool synced = false;

  void load(simdjson::dom::element depth) {
    asks.clear();
    bids.clear();
    for (auto l : simdjson::dom::array(depth["asks"])) asks[std::string(std::string_view(l.at(0)))] = std::string(std::string_view(l.at(1)));
    for (auto l : simdjson::dom::array(depth["bids"])) bids[std::string(std::string_view(l.at(0)))] = std::string(std::string_view(l.at(1)));
    nonce = std::stoull(std::string(std::string_view(depth["lastUpdateId"])));
  }
  // A depth frame's data. The first frame applied must satisfy U - 1 <= nonce < u.
  void apply(simdjson::dom::element d) {
    const uint64_t first = uint64_t(d["U"]), last = uint64_t(d["u"]);
    if (last <= nonce) return;
    if (!synced) {
      EXPECT_LE(first, nonce + 1);
      synced = true;
    } else {
      EXPECT_EQ(first, nonce + 1);
    }
    for (auto side : {std::make_pair("a", &asks), std::make_pair("b", &bids)}) {
      for (auto l : simdjson::dom::array(d[side.first])) {
        const std::string p(std::string_view(l.at(0)));
        const std::string q(std::string_view(l.at(1)));
        if (zero(q)) {
          side.second->erase(p);
        } else {
          (*side.second)[p] = q;
        }
      }
    }
    nonce = last;
  }
};

class MarketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h.trader("alice");
    h.trader("bob");
    h.trader("carol");
  }
  Json depth(std::string_view symbol = "SOL_USDC", size_t limit = 1000) {
    auto r = h.view().depth(symbol, limit);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return Json(r.is_ok() ? r.value() : "{}");
  }
  // Alice rests a sell, Bob lifts it: one SOL_USDC trade at `t`.
  void trade_at(Timestamp t, int64_t cents, int64_t lots) {
    h.set_time(t);
    h.order("alice", kSol, Side::Sell, sol_cents(cents), lots * kSolLot);
    h.order("bob", kSol, Side::Buy, sol_cents(cents), lots * kSolLot);
  }
  Json klines(std::string_view interval, int64_t from, int64_t to = 0) {
    auto r = h.view().klines("SOL_USDC", interval, from, to);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return Json(r.is_ok() ? r.value() : "[]");
  }
  Json ticker() {
    auto r = h.view().ticker("SOL_USDC");
    EXPECT_TRUE(r.is_ok());
    return Json(r.value());
  }

  ViewHarness h;
};

TEST_F(MarketTest, AssetsAndMarkets) {
  Json a(h.view().assets());
  ASSERT_EQ(count(a.root), 3u);
  EXPECT_EQ(str(at(a.root, 0), "symbol"), "BTC");
  EXPECT_EQ(count(at(a.root, 2)["tokens"]), 0u);
  Json m(h.view().markets());
  ASSERT_EQ(count(m.root), 2u);
  auto btc = at(m.root, 0);
  EXPECT_EQ(str(btc, "symbol"), "BTC_USDC");
  EXPECT_EQ(str(btc, "baseSymbol"), "BTC");
  EXPECT_EQ(str(btc, "quoteSymbol"), "USDC");
  EXPECT_EQ(str(btc, "marketType"), "SPOT");
  EXPECT_EQ(str(btc, "orderBookState"), "Open");
  EXPECT_EQ(str(btc["filters"]["price"], "tickSize"), "0.1");
  EXPECT_EQ(str(btc["filters"]["price"], "minPrice"), "0.1");
  EXPECT_EQ(str(btc["filters"]["price"], "maxPrice"), "5000000.0");
  EXPECT_EQ(str(btc["filters"]["quantity"], "stepSize"), "0.00001");
  EXPECT_EQ(str(btc["filters"]["quantity"], "minQuantity"), "0.00001");
  EXPECT_EQ(str(at(m.root, 1)["filters"]["quantity"], "stepSize"), "0.01");
  EXPECT_EQ(*h.view().config(), h.primary().config());
  EXPECT_EQ(h.view().account_of(h.key("alice").public_key()), h.id("alice"));
  EXPECT_FALSE(h.view().account_of(h.key("nobody").public_key()).has_value());
  EXPECT_EQ(h.view().last_seq(), h.primary().last_seq());
}

TEST_F(MarketTest, DepthLevelsAscendingWithUpdateIds) {
  const uint64_t id0 = std::stoull(str(depth().root, "lastUpdateId"));
  h.order("alice", kSol, Side::Sell, sol_cents(10'100), 2 * kSolLot);
  h.order("alice", kSol, Side::Sell, sol_cents(10'050), kSolLot);
  h.order("bob", kSol, Side::Sell, sol_cents(10'050), 3 * kSolLot);
  h.order("bob", kSol, Side::Buy, sol_cents(9'900), 5 * kSolLot);
  h.order("carol", kSol, Side::Buy, sol_cents(9'950), kSolLot);
  Json d = depth();
  EXPECT_EQ(std::stoull(str(d.root, "lastUpdateId")), id0 + 5);
  EXPECT_EQ(num(d.root, "timestamp"), h.now() - 1);
  ASSERT_EQ(count(d.root["asks"]), 2u);
  EXPECT_EQ(std::string_view(at(d.root["asks"], 0).at(0)), "100.50");
  EXPECT_EQ(std::string_view(at(d.root["asks"], 0).at(1)), "0.04");
  EXPECT_EQ(std::string_view(at(d.root["asks"], 1).at(0)), "101.00");
  ASSERT_EQ(count(d.root["bids"]), 2u);
  EXPECT_EQ(std::string_view(at(d.root["bids"], 0).at(0)), "99.00");  // ascending, as Backpack gives
  EXPECT_EQ(std::string_view(at(d.root["bids"], 1).at(0)), "99.50");
  Json top1 = depth("SOL_USDC", 1);
  ASSERT_EQ(count(top1.root["bids"]), 1u);
  EXPECT_EQ(std::string_view(at(top1.root["bids"], 0).at(0)), "99.50");  // the best bid
  // A command that changes no level (a deposit, a refused order) leaves the id alone.
  h.deposit("carol", SOL, kSolUnit);
  h.order("carol", kSol, Side::Buy, sol_cents(1), 1);  // below the lot: refused
  EXPECT_EQ(std::stoull(str(depth().root, "lastUpdateId")), id0 + 5);
  // Frames: one per changing command, contiguous ids, the changed levels with absolute quantities.
  auto frames = h.data_of("depth.SOL_USDC", "depth.SOL_USDC");
  ASSERT_EQ(frames.size(), 5u);
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(uint64_t(frames[i].root["U"]), id0 + 1 + i);
    EXPECT_EQ(uint64_t(frames[i].root["u"]), id0 + 1 + i);
  }
  EXPECT_EQ(std::string_view(at(frames[2].root["a"], 0).at(1)), "0.04");
  EXPECT_EQ(count(frames[2].root["b"]), 0u);
  EXPECT_TRUE(h.frames_of("depth.BTC_USDC").empty());
}

TEST_F(MarketTest, RestSnapshotPlusFramesRebuildTheBook) {
  std::mt19937_64 rng(20240101);
  const std::string names[] = {"alice", "bob", "carol"};
  std::map<std::string, std::vector<OrderId>> mine;
  std::vector<ClientBook> clients;
  size_t seen_frames = 0;
  uint64_t last_u = 0;
  for (int step = 0; step < 600; ++step) {
    const std::string& who = names[rng() % 3];
    const Side side = rng() % 2 ? Side::Buy : Side::Sell;
    const int64_t cents = 9'950 + static_cast<int64_t>(rng() % 100);
    const int64_t qty = static_cast<int64_t>(1 + rng() % 50) * kSolLot;
    std::vector<Event> ev;
    switch (rng() % 8) {
      case 0: case 1: case 2: ev = h.order(who, kSol, side, sol_cents(cents), qty); break;
      case 3: ev = h.order(who, kSol, side, sol_cents(cents), qty, TimeInForce::IOC); break;
      case 4: ev = h.order(who, kSol, side, sol_cents(cents), qty, TimeInForce::PostOnly); break;
      case 5:
        if (!mine[who].empty()) ev = h.cancel(who, kSol, mine[who][rng() % mine[who].size()]);
        break;
      case 6:
        if (!mine[who].empty()) ev = h.amend(who, kSol, mine[who][rng() % mine[who].size()], sol_cents(cents), qty);
        break;
      case 7:
        ev = h.order(who, kSol, side, 0, qty, TimeInForce::IOC, 0, rng() % 2 ? Stp::CancelOldest : Stp::CancelBoth,
                     OrderType::Market);
        break;
    }
    for (const Event& e : ev)
      if (e.kind == EventKind::OrderRested) mine[who].push_back(e.order_id);
    if (step % 37 == 0) {  // a new client joins: REST first
      clients.emplace_back();
      clients.back().load(depth().root);
    }
    for (; seen_frames < h.frames.size(); ++seen_frames) {
      if (h.frames[seen_frames].key != "depth.SOL_USDC") continue;
      Json f(h.frames[seen_frames].text);
      simdjson::dom::element d = f.root["data"];
      const uint64_t u = uint64_t(d["u"]);
      if (last_u != 0) {
        EXPECT_EQ(uint64_t(d["U"]), last_u + 1);
      }
      last_u = u;
      for (ClientBook& c : clients) c.apply(d);
    }
    ClientBook truth;
    truth.load(depth().root);
    for (size_t i = 0; i < clients.size(); ++i) {
      ASSERT_EQ(clients[i].asks, truth.asks) << "client " << i << " step " << step;
      ASSERT_EQ(clients[i].bids, truth.bids) << "client " << i << " step " << step;
      ASSERT_EQ(clients[i].nonce, truth.nonce);
    }
  }
  EXPECT_GT(last_u, 0u);
  EXPECT_EQ(clients.size(), 17u);
}

TEST_F(MarketTest, TradesRestAndStream) {
  h.order("alice", kSol, Side::Sell, sol_cents(10'000), 2 * kSolLot);
  const OrderId maker2 = accepted_id(h.order("alice", kSol, Side::Sell, sol_cents(10'010), 2 * kSolLot));
  const Timestamp when = h.now();
  const OrderId taker = accepted_id(h.order("bob", kSol, Side::Buy, sol_cents(10'010), 3 * kSolLot));
  h.order("carol", kSol, Side::Buy, sol_cents(9'000), kSolLot);
  h.order("alice", kSol, Side::Sell, sol_cents(9'000), kSolLot);  // the buyer is the maker
  auto r = h.view().trades("SOL_USDC", 2);
  ASSERT_TRUE(r.is_ok());
  Json t(r.value());
  ASSERT_EQ(count(t.root), 2u);
  EXPECT_EQ(num(at(t.root, 0), "id"), 2);
  EXPECT_EQ(str(at(t.root, 0), "price"), "100.10");
  EXPECT_EQ(str(at(t.root, 0), "quantity"), "0.01");
  EXPECT_EQ(str(at(t.root, 0), "quoteQuantity"), "1.001");
  EXPECT_EQ(num(at(t.root, 0), "timestamp"), when / 1000);
  EXPECT_FALSE(bool(at(t.root, 0)["isBuyerMaker"]));
  EXPECT_EQ(num(at(t.root, 1), "id"), 3);
  EXPECT_TRUE(bool(at(t.root, 1)["isBuyerMaker"]));
  EXPECT_EQ(count(Json(h.view().trades("SOL_USDC", 1000).value()).root), 3u);
  auto frames = h.data_of("trade.SOL_USDC", "trade.SOL_USDC");
  ASSERT_EQ(frames.size(), 3u);
  auto f = frames[1].root;
  EXPECT_EQ(str(f, "e"), "trade");
  EXPECT_EQ(str(f, "s"), "SOL_USDC");
  EXPECT_EQ(str(f, "p"), "100.10");
  EXPECT_EQ(str(f, "q"), "0.01");
  EXPECT_EQ(str(f, "b"), std::to_string(taker));
  EXPECT_EQ(str(f, "a"), std::to_string(maker2));
  EXPECT_EQ(num(f, "t"), 2);
  EXPECT_FALSE(bool(f["m"]));
  EXPECT_EQ(num(f, "E"), when);
  EXPECT_EQ(num(f, "T"), when);
  EXPECT_TRUE(bool(frames[2].root["m"]));
}

TEST_F(MarketTest, KlinesAggregateAcrossIntervals) {
  constexpr int64_t kMin = 60'000'000, kHour = 60 * kMin, kDay = 24 * kHour;
  trade_at(kStart + 10'000'000, 10'000, 100);   // 00:00:10 100.00 x1
  trade_at(kStart + 50'000'000, 10'200, 200);   // 00:00:50 102.00 x2
  trade_at(kStart + 90'000'000, 9'900, 100);    // 00:01:30  99.00 x1
  trade_at(kStart + 4 * kMin, 10'100, 100);     // 00:04:00 101.00 x1
  trade_at(kStart + 70 * kMin, 10'500, 300);    // 01:10:00 105.00 x3
  const int64_t s0 = kStart / 1'000'000;

  Json m1 = klines("1m", s0);
  ASSERT_EQ(count(m1.root), 4u);
  auto c = at(m1.root, 0);
  EXPECT_EQ(str(c, "start"), "2024-01-01 00:00:00");
  EXPECT_EQ(str(c, "end"), "2024-01-01 00:01:00");
  EXPECT_EQ(str(c, "open"), "100.00");
  EXPECT_EQ(str(c, "high"), "102.00");
  EXPECT_EQ(str(c, "low"), "100.00");
  EXPECT_EQ(str(c, "close"), "102.00");
  EXPECT_EQ(str(c, "volume"), "3");
  EXPECT_EQ(str(c, "quoteVolume"), "304");
  EXPECT_EQ(str(c, "trades"), "2");
  Json m3 = klines("3m", s0);
  ASSERT_EQ(count(m3.root), 3u);
  EXPECT_EQ(str(at(m3.root, 0), "close"), "99.00");
  EXPECT_EQ(str(at(m3.root, 0), "low"), "99.00");
  EXPECT_EQ(str(at(m3.root, 0), "volume"), "4");
  EXPECT_EQ(str(at(m3.root, 1), "start"), "2024-01-01 00:03:00");
  EXPECT_EQ(str(at(m3.root, 2), "start"), "2024-01-01 01:09:00");
  Json m5 = klines("5m", s0);
  ASSERT_EQ(count(m5.root), 2u);
  EXPECT_EQ(str(at(m5.root, 0), "open"), "100.00");
  EXPECT_EQ(str(at(m5.root, 0), "close"), "101.00");
  EXPECT_EQ(str(at(m5.root, 0), "quoteVolume"), "504");
  EXPECT_EQ(str(at(m5.root, 0), "trades"), "4");
  EXPECT_EQ(count(klines("1h", s0).root), 2u);
  Json d1 = klines("1d", s0);
  ASSERT_EQ(count(d1.root), 1u);
  EXPECT_EQ(str(at(d1.root, 0), "end"), "2024-01-02 00:00:00");
  EXPECT_EQ(str(at(d1.root, 0), "high"), "105.00");
  EXPECT_EQ(str(at(d1.root, 0), "volume"), "8");
  EXPECT_EQ(str(at(d1.root, 0), "quoteVolume"), "819");

  // The 24h ticker at 01:10.
  Json t1 = ticker();
  EXPECT_EQ(str(t1.root, "symbol"), "SOL_USDC");
  EXPECT_EQ(str(t1.root, "firstPrice"), "100.00");
  EXPECT_EQ(str(t1.root, "lastPrice"), "105.00");
  EXPECT_EQ(str(t1.root, "high"), "105.00");
  EXPECT_EQ(str(t1.root, "low"), "99.00");
  EXPECT_EQ(str(t1.root, "volume"), "8");
  EXPECT_EQ(str(t1.root, "quoteVolume"), "819");
  EXPECT_EQ(str(t1.root, "trades"), "5");
  EXPECT_EQ(str(t1.root, "priceChange"), "5");
  EXPECT_EQ(str(t1.root, "priceChangePercent"), "0.05");

  trade_at(kStart + kDay + 5'000'000, 9'800, 100);  // 2024-01-02 00:00:05: minute 0 of day 1 left the window
  Json t2 = ticker();
  EXPECT_EQ(str(t2.root, "firstPrice"), "99.00");
  EXPECT_EQ(str(t2.root, "lastPrice"), "98.00");
  EXPECT_EQ(str(t2.root, "low"), "98.00");
  EXPECT_EQ(str(t2.root, "volume"), "6");
  EXPECT_EQ(str(t2.root, "quoteVolume"), "613");
  EXPECT_EQ(str(t2.root, "trades"), "4");
  EXPECT_EQ(str(t2.root, "priceChange"), "-1");
  EXPECT_EQ(str(t2.root, "priceChangePercent"), "-0.010101");

  trade_at(kStart + 31 * kDay, 11'000, 100);  // 2024-02-01 00:00:00
  Json w1 = klines("1w", s0);
  ASSERT_EQ(count(w1.root), 2u);
  EXPECT_EQ(str(at(w1.root, 0), "trades"), "6");
  EXPECT_EQ(str(at(w1.root, 1), "start"), "2024-01-29 00:00:00");  // a Monday
  Json mo = klines("1month", s0);
  ASSERT_EQ(count(mo.root), 2u);
  EXPECT_EQ(str(at(mo.root, 0), "end"), "2024-02-01 00:00:00");
  EXPECT_EQ(str(at(mo.root, 1), "end"), "2024-03-01 00:00:00");
  EXPECT_EQ(count(klines("1d", s0).root), 3u);
  // Bounds: [start, end) by bucket start.
  EXPECT_EQ(count(klines("1m", s0, s0 + 120).root), 2u);
  EXPECT_EQ(str(at(klines("1m", s0 + 60).root, 0), "start"), "2024-01-01 00:01:00");
  EXPECT_EQ(str(at(klines("1m", s0 + 61).root, 0), "start"), "2024-01-01 00:01:00");  // the bucket holding start
  EXPECT_EQ(count(klines("1d", s0 + 2 * 86'400).root), 1u);

  // Long after: no trade in the window, prices repeat the last one.
  h.set_time(kStart + 40 * kDay);
  h.deposit("carol", SOL, kSolUnit);
  Json t3 = ticker();
  EXPECT_EQ(str(t3.root, "firstPrice"), "110.00");
  EXPECT_EQ(str(t3.root, "lastPrice"), "110.00");
  EXPECT_EQ(str(t3.root, "volume"), "0");
  EXPECT_EQ(str(t3.root, "trades"), "0");
  EXPECT_EQ(str(t3.root, "priceChangePercent"), "0");
  Json all(h.view().tickers());
  ASSERT_EQ(count(all.root), 2u);
  EXPECT_TRUE(is_null(at(all.root, 0), "lastPrice"));  // BTC_USDC never traded
  EXPECT_EQ(str(at(all.root, 1), "lastPrice"), "110.00");
}

TEST_F(MarketTest, TickerBookTickerAndKlineStreams) {
  h.order("alice", kSol, Side::Sell, sol_cents(10'000), 2 * kSolLot);
  auto bt = h.data_of("bookTicker.SOL_USDC", "bookTicker.SOL_USDC");
  ASSERT_EQ(bt.size(), 1u);
  EXPECT_EQ(str(bt[0].root, "e"), "bookTicker");
  EXPECT_EQ(str(bt[0].root, "a"), "100.00");
  EXPECT_EQ(str(bt[0].root, "A"), "0.02");
  EXPECT_TRUE(is_null(bt[0].root, "b"));
  h.order("carol", kSol, Side::Buy, sol_cents(9'000), kSolLot);  // new best bid
  h.order("carol", kSol, Side::Buy, sol_cents(8'000), kSolLot);  // behind it: no bookTicker
  h.order("bob", kSol, Side::Buy, sol_cents(10'000), kSolLot);   // trade: the ask shrinks
  bt = h.data_of("bookTicker.SOL_USDC", "bookTicker.SOL_USDC");
  ASSERT_EQ(bt.size(), 3u);
  EXPECT_EQ(str(bt[1].root, "b"), "90.00");
  EXPECT_EQ(str(bt[2].root, "A"), "0.01");
  EXPECT_EQ(uint64_t(bt[2].root["u"]), std::stoull(str(depth().root, "lastUpdateId")));

  auto tk = h.data_of("ticker.SOL_USDC", "ticker.SOL_USDC");
  ASSERT_EQ(tk.size(), 1u);
  EXPECT_EQ(str(tk[0].root, "e"), "ticker");
  EXPECT_EQ(str(tk[0].root, "o"), "100.00");
  EXPECT_EQ(str(tk[0].root, "c"), "100.00");
  EXPECT_EQ(str(tk[0].root, "v"), "0.01");
  EXPECT_EQ(str(tk[0].root, "V"), "1");
  EXPECT_EQ(num(tk[0].root, "n"), 1);

  auto k1 = h.data_of("kline.1m.SOL_USDC", "kline.1m.SOL_USDC");
  ASSERT_EQ(k1.size(), 1u);
  EXPECT_EQ(str(k1[0].root, "e"), "kline");
  EXPECT_EQ(str(k1[0].root, "t"), "2024-01-01T00:00:00");
  EXPECT_EQ(str(k1[0].root, "T"), "2024-01-01T00:01:00");
  EXPECT_EQ(str(k1[0].root, "o"), "100.00");
  EXPECT_EQ(str(k1[0].root, "v"), "0.01");
  EXPECT_EQ(num(k1[0].root, "n"), 1);
  EXPECT_FALSE(bool(k1[0].root["X"]));
  auto kw = h.data_of("kline.1month.SOL_USDC", "kline.1month.SOL_USDC");
  ASSERT_EQ(kw.size(), 1u);
  EXPECT_EQ(str(kw[0].root, "T"), "2024-02-01T00:00:00");
}

TEST_F(MarketTest, UnknownSymbolsAndBadArguments) {
  auto t = h.view().ticker("XRP_USDC");
  EXPECT_EQ(t.code(), Error::UnknownMarket);
  EXPECT_EQ(t.status().message(), "unknown symbol XRP_USDC");
  EXPECT_EQ(h.view().depth("XRP_USDC", 10).code(), Error::UnknownMarket);
  EXPECT_EQ(h.view().trades("XRP_USDC", 10).code(), Error::UnknownMarket);
  EXPECT_EQ(h.view().klines("XRP_USDC", "1m", 0, 0).code(), Error::UnknownMarket);
  EXPECT_EQ(h.view().klines("SOL_USDC", "7m", 0, 0).code(), Error::InvalidArgument);
  EXPECT_EQ(h.view().depth("SOL_USDC", 0).code(), Error::InvalidArgument);
  EXPECT_EQ(h.view().depth("SOL_USDC", ExchangeView::kMaxDepthLimit + 1).code(), Error::InvalidArgument);
  EXPECT_EQ(h.view().trades("SOL_USDC", 0).code(), Error::InvalidArgument);
  EXPECT_TRUE(h.view().trades("SOL_USDC", ExchangeView::kMaxTradesLimit).is_ok());
  EXPECT_EQ(Json(h.view().capital(9999)).root.type(), simdjson::dom::element_type::OBJECT);
  EXPECT_EQ(h.view().capital(9999), "{}");
}

}  // namespace
}  // namespace glassbook::api::testing
