// Randomized property test: thousands of random operations applied to the book
// and to a deliberately simple reference (std::map of price -> std::list) must
// produce identical event streams and identical depth.
#include <gtest/gtest.h>

#include <algorithm>
#include <list>
#include <map>
#include <optional>
#include <random>

#include "book_test_util.h"

namespace glassbook::book {
namespace {
using namespace testing;
using K = Event::Kind;

class ReferenceBook {
 public:
  explicit ReferenceBook(const BookConfig& c) : c_(c) {}

  Reject add(const NewOrder& o, std::vector<Event>& out) {
    Reject r = Reject::None;
    if (o.price < 1 || o.price > c_.max_price_ticks) r = Reject::BadPrice;
    else if (o.qty <= 0) r = Reject::BadQuantity;
    else if (locate(o.id)) r = Reject::DuplicateId;
    else if (count() >= c_.max_orders && (o.tif == TimeInForce::PostOnly || (o.tif == TimeInForce::GTC && !fillable(o))))
      r = Reject::BookFull;
    if (r != Reject::None) {
      Event e = ev(K::Rejected, o.id, o.account, o.side, o.price, o.qty);
      e.reject = r;
      out.push_back(e);
      return r;
    }
    out.push_back(ev(K::Accepted, o.id, o.account, o.side, o.price, o.qty));
    run(o, out);
    return r;
  }

  Reject cancel(OrderId id, std::vector<Event>& out) {
    auto loc = locate(id);
    if (!loc) return reject_id(id, 0, 0, Reject::NotFound, out);
    out.push_back(cancelled(*loc->it, CancelReason::User));
    erase(*loc);
    return Reject::None;
  }

  Reject amend(OrderId id, Ticks px, Lots qty, bool always_reinsert, std::vector<Event>& out) {
    auto loc = locate(id);
    if (!loc) return reject_id(id, px, qty, Reject::NotFound, out);
    if (px < 1 || px > c_.max_price_ticks) return reject_id(id, px, qty, Reject::BadPrice, out);
    if (qty <= 0) return reject_id(id, px, qty, Reject::BadQuantity, out);
    R& o = *loc->it;
    if (!always_reinsert && px == o.price && qty <= o.rem) {
      o.rem = qty;
      out.push_back(ev(K::Amended, o.id, o.account, o.side, o.price, qty));
      return Reject::None;
    }
    NewOrder n{o.id, o.account, o.side, px, qty, TimeInForce::GTC, o.stp};
    out.push_back(cancelled(o, CancelReason::Amend));
    erase(*loc);
    out.push_back(ev(K::Amended, n.id, n.account, n.side, n.price, n.qty));
    run(n, out);
    return Reject::None;
  }

  size_t cancel_all(AccountId a, std::vector<Event>& out) {
    if (c_.anonymous) return 0;
    std::vector<std::pair<uint64_t, OrderId>> mine;
    for (auto* side : {&bids_, &asks_})
      for (auto& [px, q] : *side)
        for (auto& o : q)
          if (o.account == a) mine.emplace_back(o.seq, o.id);
    std::sort(mine.begin(), mine.end());
    for (auto& [seq, id] : mine) cancel(id, out);
    return mine.size();
  }

  Levels depth(Side s) const {
    Levels r;
    auto add = [&](const auto& kv) {
      Lots q = 0;
      for (auto& o : kv.second) q += o.rem;
      r.emplace_back(kv.first, q);
    };
    if (s == Side::Buy) std::for_each(bids_.rbegin(), bids_.rend(), add);
    else std::for_each(asks_.begin(), asks_.end(), add);
    return r;
  }

  size_t count() const {
    size_t n = 0;
    for (auto* side : {&bids_, &asks_})
      for (auto& [px, q] : *side) n += q.size();
    return n;
  }

 private:
  struct R {
    OrderId id;
    AccountId account;
    Side side;
    Ticks price;
    Lots rem;
    Stp stp;
    uint64_t seq;
  };
  using Side_ = std::map<Ticks, std::list<R>>;
  struct Loc {
    Side_* side;
    Side_::iterator level;
    std::list<R>::iterator it;
  };

  static Event ev(K k, OrderId id, AccountId a, Side s, Ticks px, Lots q) {
    Event e{};
    e.kind = k;
    e.id = id;
    e.account = a;
    e.side = s;
    e.price = px;
    e.qty = q;
    return e;
  }
  static Event cancelled(const R& o, CancelReason reason) {
    Event e = ev(K::Cancelled, o.id, o.account, o.side, o.price, o.rem);
    e.reason = reason;
    return e;
  }
  Reject reject_id(OrderId id, Ticks px, Lots q, Reject r, std::vector<Event>& out) {
    Event e = ev(K::Rejected, id, 0, Side::Buy, px, q);
    e.reject = r;
    out.push_back(e);
    return r;
  }

  std::optional<Loc> locate(OrderId id) {
    for (auto* side : {&bids_, &asks_})
      for (auto l = side->begin(); l != side->end(); ++l)
        for (auto it = l->second.begin(); it != l->second.end(); ++it)
          if (it->id == id) return Loc{side, l, it};
    return std::nullopt;
  }
  void erase(const Loc& loc) {
    loc.level->second.erase(loc.it);
    if (loc.level->second.empty()) loc.side->erase(loc.level);
  }

  // Opposite levels in matching order that the order's limit reaches.
  std::vector<Side_::iterator> reachable(const NewOrder& o) {
    std::vector<Side_::iterator> r;
    if (o.side == Side::Buy) {
      for (auto l = asks_.begin(); l != asks_.end() && l->first <= o.price; ++l) r.push_back(l);
    } else {
      for (auto l = bids_.end(); l != bids_.begin();) {
        --l;
        if (l->first < o.price) break;
        r.push_back(l);
      }
    }
    return r;
  }

  // Whether the order would fill completely now, without resting (own orders block unless the
  // order cancels them).
  bool fillable(const NewOrder& o) {
    const bool stp = !c_.anonymous;
    Lots avail = 0;
    for (auto l : reachable(o)) {
      for (auto& r : l->second) {
        if (stp && r.account == o.account) {
          if (o.stp == Stp::CancelOldest) continue;
          return avail >= o.qty;
        }
        avail += r.rem;
      }
    }
    return avail >= o.qty;
  }

  void run(const NewOrder& o, std::vector<Event>& out) {
    auto cancel_taker = [&](Lots q, CancelReason reason) {
      Event e = ev(K::Cancelled, o.id, o.account, o.side, o.price, q);
      e.reason = reason;
      out.push_back(e);
    };
    const bool stp = !c_.anonymous;
    if (o.tif == TimeInForce::PostOnly) {
      if (!reachable(o).empty()) cancel_taker(o.qty, CancelReason::PostOnlyWouldCross);
      else rest(o, o.qty, out);
      return;
    }
    if (o.tif == TimeInForce::FOK && !fillable(o)) {
      cancel_taker(o.qty, CancelReason::FokUnfilled);
      return;
    }
    Lots left = o.qty;
    Side_& opp = o.side == Side::Buy ? asks_ : bids_;
    while (left > 0) {
      auto levels = reachable(o);
      if (levels.empty()) break;
      auto l = levels.front();
      R& m = l->second.front();
      if (stp && m.account == o.account) {
        if (o.stp != Stp::CancelNewest) {
          out.push_back(cancelled(m, CancelReason::SelfTrade));
          erase(Loc{&opp, l, l->second.begin()});
        }
        if (o.stp != Stp::CancelOldest) {
          cancel_taker(left, CancelReason::SelfTrade);
          return;
        }
        continue;
      }
      Lots q = std::min(left, m.rem);
      m.rem -= q;
      left -= q;
      Event e = ev(K::Trade, o.id, o.account, o.side, m.price, q);
      e.remaining = left;
      e.maker_id = m.id;
      e.maker_account = m.account;
      e.maker_remaining = m.rem;
      out.push_back(e);
      if (m.rem == 0) erase(Loc{&opp, l, l->second.begin()});
    }
    if (left == 0) return;
    if (o.tif == TimeInForce::GTC) rest(o, left, out);
    else cancel_taker(left, CancelReason::IocRemainder);
  }

  void rest(const NewOrder& o, Lots q, std::vector<Event>& out) {
    Side_& s = o.side == Side::Buy ? bids_ : asks_;
    s[o.price].push_back(R{o.id, o.account, o.side, o.price, q, o.stp, ++seq_});
    out.push_back(ev(K::Rested, o.id, o.account, o.side, o.price, q));
  }

  BookConfig c_;
  Side_ bids_, asks_;
  uint64_t seq_ = 0;
};

struct Params {
  uint64_t seed;
  bool anonymous;
  uint32_t max_orders;
};

void PrintTo(const Params& p, std::ostream* os) {
  *os << "seed " << p.seed << (p.anonymous ? " anonymous" : "") << " max_orders " << p.max_orders;
}

class PropertyTest : public ::testing::TestWithParam<Params> {};

TEST_P(PropertyTest, MatchesReferenceModel) {
  const Params p = GetParam();
  BookConfig c = small_config(p.max_orders, 60);
  c.anonymous = p.anonymous;
  OrderBook book(c);
  ReferenceBook ref(c);
  std::mt19937_64 rng(p.seed);
  auto pick = [&](uint64_t n) { return rng() % n; };
  OrderId next_id = 1;
  constexpr int kOps = 20000;
  size_t trades_seen = 0;
  for (int step = 0; step < kOps; ++step) {
    std::vector<Event> got, want;
    Reject rg, rw;
    // Ids: mostly recent ones so cancels and amends usually hit resting orders.
    auto some_id = [&]() -> OrderId { return next_id > 1 ? next_id - 1 - pick(std::min<OrderId>(next_id - 1, 40)) : 1; };
    const uint64_t op = pick(100);
    const Ticks mid = 30 + static_cast<Ticks>(std::lround(10 * std::sin(step / 300.0)));
    auto price = [&]() -> Ticks {
      if (pick(50) == 0) return static_cast<Ticks>(pick(70)) - 5;  // sometimes out of range
      return std::clamp<Ticks>(mid + static_cast<Ticks>(pick(21)) - 10, 1, 60);
    };
    auto qty = [&]() -> Lots { return pick(60) == 0 ? -static_cast<Lots>(pick(2)) : 1 + static_cast<Lots>(pick(20)); };
    if (op < 55) {
      NewOrder o{pick(30) == 0 ? some_id() : next_id++,
                 static_cast<AccountId>(pick(4)),
                 static_cast<Side>(pick(2)),
                 price(),
                 qty(),
                 static_cast<TimeInForce>(pick(4)),
                 static_cast<Stp>(pick(3))};
      rg = book.add(o, got);
      rw = ref.add(o, want);
    } else if (op < 75) {
      OrderId id = some_id();
      rg = book.cancel(id, got);
      rw = ref.cancel(id, want);
    } else if (op < 87) {
      OrderId id = some_id();
      Ticks px = pick(2) ? price() : (book.find(id) ? book.find(id)->price : price());
      Lots q = qty();
      rg = book.amend(id, px, q, got);
      rw = ref.amend(id, px, q, false, want);
    } else if (op < 98) {
      OrderId id = some_id();
      Ticks px = price();
      Lots q = qty();
      rg = book.modify(id, px, q, got);
      rw = ref.amend(id, px, q, true, want);
    } else {
      AccountId a = static_cast<AccountId>(pick(4));
      size_t ng = book.cancel_all(a, got);
      size_t nw = ref.cancel_all(a, want);
      ASSERT_EQ(ng, nw);
      rg = rw = Reject::None;
    }
    ASSERT_EQ(rg, rw) << "step " << step;
    ASSERT_EQ(got.size(), want.size()) << "step " << step;
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_TRUE(same_event(got[i], want[i])) << "step " << step << " event " << i << "\n got  " << got[i]
                                               << "\n want " << want[i];
    trades_seen += trades(got).size();
    ASSERT_EQ(levels(book, Side::Buy), ref.depth(Side::Buy)) << "step " << step;
    ASSERT_EQ(levels(book, Side::Sell), ref.depth(Side::Sell)) << "step " << step;
    ASSERT_EQ(book.order_count(), ref.count());
    if (step % 97 == 0) {
      ASSERT_TRUE(book.check_invariants()) << "step " << step;
    }
  }
  ASSERT_TRUE(book.check_invariants());
  EXPECT_GT(trades_seen, 100u);  // the run did exercise matching
}

INSTANTIATE_TEST_SUITE_P(Seeds, PropertyTest,
                         ::testing::Values(Params{1, false, 1000}, Params{2, false, 1000}, Params{3, false, 25},
                                           Params{4, true, 1000}, Params{5, true, 25}, Params{6, false, 200}),
                         [](const ::testing::TestParamInfo<Params>& info) {
                           return "seed" + std::to_string(info.param.seed) +
                                  (info.param.anonymous ? "_anonymous" : "") + "_max" +
                                  std::to_string(info.param.max_orders);
                         });

}  // namespace
}  // namespace glassbook::book
