// AdlQueue: the same order as adl_order, then the unranked by account id, revealed one at a time.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "risk/adl_queue.h"

namespace glassbook::risk {
namespace {

TEST(AdlQueue, RankedInAdlOrderThenTheRestByAccount) {
  std::mt19937_64 rng(17);
  for (int round = 0; round < 300; ++round) {
    std::vector<AdlCandidate> candidates;
    std::vector<AccountId> accounts(400);
    for (size_t i = 0; i < accounts.size(); ++i) accounts[i] = static_cast<AccountId>(i * 3 + 1);
    std::shuffle(accounts.begin(), accounts.end(), rng);
    const size_t n = rng() % 200;
    for (size_t i = 0; i < n; ++i) {
      AdlCandidate c{accounts[i], static_cast<int64_t>(rng() % 1000) - 100, static_cast<int64_t>(rng() % 5000),
                     static_cast<int64_t>(rng() % 5000), static_cast<int64_t>(rng() % 3000) - 50};
      if (rng() % 4 == 0 && !candidates.empty()) {  // equal scores: ties go by account id
        c.unrealized_pnl = candidates.back().unrealized_pnl;
        c.entry_notional = candidates.back().entry_notional;
        c.position_notional = candidates.back().position_notional;
        c.equity = candidates.back().equity;
      }
      candidates.push_back(c);
    }
    std::vector<AccountId> rest(accounts.begin() + static_cast<std::ptrdiff_t>(n), accounts.begin() + static_cast<std::ptrdiff_t>(n + rng() % 50));

    std::vector<AccountId> want;
    std::vector<bool> ranked(candidates.size(), false);
    for (size_t i : adl_order(candidates)) {
      want.push_back(candidates[i].account);
      ranked[i] = true;
    }
    std::vector<AccountId> tail = rest;
    for (size_t i = 0; i < candidates.size(); ++i)
      if (!ranked[i]) tail.push_back(candidates[i].account);
    std::sort(tail.begin(), tail.end());
    want.insert(want.end(), tail.begin(), tail.end());

    // Chunks of 1 to 8 make the sorted prefix run out, and be extended, many times in a queue.
    const size_t first_chunk = round % 3 == 0 ? AdlQueue::kFirstChunk : 1 + rng() % 8;
    AdlQueue queue(candidates, rest, first_chunk);
    std::vector<AccountId> got;
    while (!queue.empty()) {
      got.push_back(queue.front());
      ASSERT_EQ(queue.front(), got.back()) << "front() is stable until pop()";
      queue.pop();
    }
    ASSERT_EQ(got, want) << "round " << round << ", first chunk " << first_chunk;
  }
  AdlQueue none;
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace glassbook::risk
