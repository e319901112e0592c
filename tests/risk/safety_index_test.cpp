// Safe bounds and the safety index: the bounds keep the worst loss below the buffer, they round
// toward safety, and the index reports exactly the live bounds a price crosses.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "risk/safety_index.h"
#include "risk/units.h"

namespace glassbook::risk {
namespace {

TEST(SafeBounds, OneLongOneShortAndTheirRounding) {
  std::vector<SafeBound> out;
  // Buffer 1,000 (slack 0): a long with loss 10,000 per unit of relative move may fall 10%, a
  // short with 10,000 too: both share the tolerance, 5% each.
  const std::vector<Exposure> both{{0, 50'000, false, 10'000}, {1, 200, true, 10'000}};
  ASSERT_TRUE(safe_bounds(1'000, 0, both, out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], (SafeBound{0, false, 47'500}));
  EXPECT_EQ(out[1], (SafeBound{1, true, 210}));
  EXPECT_FALSE(out[0].crossed(47'501));
  EXPECT_TRUE(out[0].crossed(47'500));
  EXPECT_TRUE(out[1].crossed(210));
  // A lower bound rounds up and an upper bound down: 3% of 101 is 3.03.
  ASSERT_TRUE(safe_bounds(300, 0, std::vector<Exposure>{{0, 101, false, 10'000}}, out));
  EXPECT_EQ(out[0].bound, 98);  // ceil(97.97)
  ASSERT_TRUE(safe_bounds(300, 0, std::vector<Exposure>{{0, 101, true, 10'000}}, out));
  EXPECT_EQ(out[0].bound, 104);  // floor(104.03)
}

TEST(SafeBounds, NoToleranceNoBoundsAndNothingToLose) {
  std::vector<SafeBound> out;
  EXPECT_FALSE(safe_bounds(100, 100, std::vector<Exposure>{{0, 1'000, false, 1}}, out));
  EXPECT_FALSE(safe_bounds(-5, 0, std::vector<Exposure>{{0, 1'000, false, 1}}, out));
  // Less than one unit of room at this price: judged every time rather than a bound at the price.
  EXPECT_FALSE(safe_bounds(1, 0, std::vector<Exposure>{{0, 100, false, 1'000'000}}, out));
  // Nothing to lose: no bound, yet bounded.
  EXPECT_TRUE(safe_bounds(10, 0, std::vector<Exposure>{{0, 100, false, 0}}, out));
  EXPECT_TRUE(out.empty());
  // A long that survives any fall has no lower bound; a short's bound beyond int64 is left out.
  EXPECT_TRUE(safe_bounds(2'000, 0, std::vector<Exposure>{{0, 100, false, 1'000}}, out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(safe_bounds(static_cast<__int128>(1) << 100, 0, std::vector<Exposure>{{0, INT64_MAX / 2, true, 1}}, out));
  EXPECT_TRUE(out.empty());
}

// For random exposures, moving every price to just inside its bound loses less than the buffer.
TEST(SafeBounds, TheWorstMoveInsideTheBoundsLosesLessThanTheBuffer) {
  std::mt19937_64 rng(11);
  std::vector<SafeBound> out;
  int checked = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::vector<Exposure> ex;
    const int n = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < n; ++k)
      ex.push_back({static_cast<uint32_t>(k), 1 + static_cast<int64_t>(rng() % 100'000'000'000), rng() % 2 == 0,
                    static_cast<__int128>(rng() % 10'000'000'000)});
    const __int128 buffer = static_cast<__int128>(rng() % 1'000'000'000);
    const __int128 slack = static_cast<__int128>(rng() % 100);
    if (!safe_bounds(buffer, slack, ex, out)) continue;
    ++checked;
    // Real-valued loss of each exposure at the price one unit inside its bound (or unbounded:
    // a long down to a price of 1, a short up to double... the tolerance itself limits it).
    long double loss = 0;
    for (const Exposure& e : ex) {
      const SafeBound* b = nullptr;
      for (const SafeBound& s : out)
        if (s.dim == e.dim) b = &s;
      if (b == nullptr) {
        ASSERT_TRUE(e.loss_per_unit == 0 || !e.upper) << "an upper bound may only be left out beyond int64";
        if (e.loss_per_unit > 0) loss += static_cast<long double>(e.loss_per_unit) * (e.price - 1) / e.price;
        continue;
      }
      ASSERT_FALSE(b->crossed(e.price)) << "a bound must leave the price it was set at inside";
      const int64_t inside = b->upper ? b->bound - 1 : b->bound + 1;
      const long double move = (b->upper ? inside - e.price : e.price - inside) / static_cast<long double>(e.price);
      loss += static_cast<long double>(e.loss_per_unit) * move;
    }
    ASSERT_LE(loss, static_cast<long double>(buffer - slack) * (1 + 1e-12L)) << "case " << i;
  }
  EXPECT_GT(checked, 5'000);
}

TEST(SafetyIndex, ReportsExactlyTheLiveCrossedBounds) {
  std::mt19937_64 rng(3);
  SafetyIndex index(3);
  std::map<AccountId, std::vector<SafeBound>> model;  // live bounds by account
  for (int round = 0; round < 3'000; ++round) {
    const AccountId a = static_cast<AccountId>(rng() % 200);
    const int op = static_cast<int>(rng() % 10);
    if (op < 6) {
      std::vector<SafeBound> b;
      for (uint32_t d = 0; d < 3; ++d)
        if (rng() % 2) b.push_back({d, rng() % 2 == 0, static_cast<int64_t>(rng() % 1000)});
      index.set(a, b);
      model[a] = b;
    } else if (op < 7) {
      index.forget(a);
      model.erase(a);
    } else {
      const uint32_t dim = static_cast<uint32_t>(rng() % 3);
      const int64_t price = static_cast<int64_t>(rng() % 1000);
      std::vector<AccountId> got;
      index.pop_crossed(dim, price, got);
      std::multiset<AccountId> want;
      for (auto& [acct, bounds] : model) {
        for (auto it = bounds.begin(); it != bounds.end();) {
          if (it->dim == dim && it->crossed(price)) {
            want.insert(acct);
            it = bounds.erase(it);
          } else {
            ++it;
          }
        }
      }
      ASSERT_EQ(std::multiset<AccountId>(got.begin(), got.end()), want) << "round " << round;
    }
    size_t live = 0;
    for (auto& [acct, bounds] : model) live += bounds.size();
    ASSERT_EQ(index.live_entries(), live);
    ASSERT_LE(index.stored_entries(), 2 * live + 4096 + 3);
  }
  size_t seen = 0;
  index.for_each_live([&](AccountId, const SafeBound&) { ++seen; });
  EXPECT_EQ(seen, index.live_entries());
}

// A move that crosses most of a large heap takes the one-pass path: the same entries come out, the
// stale ones are dropped, and the heap left behind still answers later moves exactly.
TEST(SafetyIndex, ALargeMoveThroughMostOfTheHeapTakesExactlyTheCrossedEntries) {
  std::mt19937_64 rng(11);
  SafetyIndex index(1);
  std::map<AccountId, int64_t> lower;  // live lower bound by account
  for (AccountId a = 0; a < 20'000; ++a) {
    const int64_t bound = static_cast<int64_t>(rng() % 10'000);
    index.set(a, std::vector<SafeBound>{{0, false, bound}});
    lower[a] = bound;
  }
  for (AccountId a = 0; a < 20'000; a += 7) {  // stale entries spread through the heap
    index.forget(a);
    lower.erase(a);
  }
  for (int64_t price : {9'000, 8'990, 4'000, 3'000, 100, 100}) {
    std::vector<AccountId> got;
    index.pop_crossed(0, price, got);
    std::vector<AccountId> want;
    for (auto it = lower.begin(); it != lower.end();) {
      if (price <= it->second) {
        want.push_back(it->first);
        it = lower.erase(it);
      } else {
        ++it;
      }
    }
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got, want) << "price " << price;
    ASSERT_EQ(index.live_entries(), lower.size());
    ASSERT_LE(index.stored_entries(), 20'000u);
  }
  EXPECT_GT(lower.size(), 0u);
}

}  // namespace
}  // namespace glassbook::risk
