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

// A queue built in place (clear, then add and add_rest) after an earlier one was used from the
// same storage gives the constructor's order, and peek(k) names the account k places later
// whenever it answers.
TEST(AdlQueue, BuiltInPlaceAfterClearMatchesTheConstructorAndPeekLooksAhead) {
  std::mt19937_64 rng(23);
  AdlQueue reused(std::vector<AdlCandidate>{{5, 10, 100, 100, 50}}, {9}, 2);
  for (int round = 0; round < 200; ++round) {
    std::vector<AdlCandidate> candidates;
    const size_t n = rng() % 300;
    for (size_t i = 0; i < n; ++i)
      candidates.push_back({static_cast<AccountId>(i * 7 + 3), static_cast<int64_t>(rng() % 1000) - 200,
                            static_cast<int64_t>(1 + rng() % 5000), static_cast<int64_t>(rng() % 5000),
                            static_cast<int64_t>(rng() % 3000) - 50});
    std::shuffle(candidates.begin(), candidates.end(), rng);
    std::vector<AccountId> rest;
    const size_t rest_n = rng() % 20;
    for (size_t i = 0; i < rest_n; ++i) rest.push_back(static_cast<AccountId>(100'000 - i * 11));

    AdlQueue built(candidates, rest, 2);
    std::vector<AccountId> want;
    for (; !built.empty(); built.pop()) want.push_back(built.front());

    // Part of the earlier queue is consumed before it is cleared: nothing of it may remain.
    for (size_t i = 0; i < want.size() / 3 && !reused.empty(); ++i) reused.pop();
    reused.clear();
    for (AccountId a : rest) reused.add_rest(a);
    for (const AdlCandidate& c : candidates) reused.add(c);
    std::vector<AccountId> got;
    size_t peeked = 0;
    while (!reused.empty()) {
      const AccountId front = reused.front();
      for (size_t k = 0; k < 4; ++k)
        if (const auto later = reused.peek(k)) {
          ASSERT_LT(got.size() + k, want.size());
          ASSERT_EQ(*later, want[got.size() + k]) << "round " << round << ", peek " << k;
          ++peeked;
        }
      got.push_back(front);
      reused.pop();
    }
    ASSERT_EQ(got, want) << "round " << round;
    if (n > 50) {
      EXPECT_GT(peeked, 0u) << "round " << round;
    }
  }
}

}  // namespace
}  // namespace glassbook::risk
