// IdBitmap and AccountMarks: against a std::set over random operations, and the walk that grows
// ahead of its cursor.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "core/account_marks.h"
#include "core/id_bitmap.h"

namespace glassbook {
namespace {

TEST(IdBitmap, MatchesASetOverRandomOperations) {
  std::mt19937_64 rng(5);
  IdBitmap bits;
  std::set<uint32_t> model;
  for (int i = 0; i < 200'000; ++i) {
    const uint32_t id = static_cast<uint32_t>(rng() % (i < 100'000 ? 5'000 : 300'000));
    const int op = static_cast<int>(rng() % 6);
    if (rng() % 5'000 == 0) {  // emptied at once, then filled again from anywhere
      bits.clear();
      model.clear();
    } else if (op == 0) {  // next() looks without taking
      const auto got = bits.next(id);
      const auto want = model.lower_bound(id);
      ASSERT_EQ(got.has_value(), want != model.end());
      if (got) {
        ASSERT_EQ(*got, *want);
      }
    } else if (op == 1) {
      bits.reset(id);
      model.erase(id);
    } else if (op < 4) {
      bits.set(id);
      model.insert(id);
    } else {
      const auto got = bits.take_next(id);
      const auto want = model.lower_bound(id);
      if (want == model.end()) {
        ASSERT_FALSE(got.has_value()) << "from " << id;
      } else {
        ASSERT_TRUE(got.has_value()) << "from " << id;
        ASSERT_EQ(*got, *want);
        model.erase(want);
      }
    }
    ASSERT_EQ(bits.size(), model.size());
    ASSERT_EQ(bits.test(id), model.contains(id));
  }
  bits.clear();
  EXPECT_TRUE(bits.empty());
  EXPECT_FALSE(bits.take_next(0).has_value());
}

TEST(IdBitmap, AWalkSeesWhatIsAddedAheadOfItButNotBehind) {
  IdBitmap bits;
  for (uint32_t id : {3u, 70u, 700u}) bits.set(id);
  std::vector<uint32_t> seen;
  for (auto id = bits.take_next(0); id; id = bits.take_next(*id + 1)) {
    seen.push_back(*id);
    if (*id == 70) {
      bits.set(69);    // behind the cursor: left for a later walk
      bits.set(1000);  // ahead of it: this walk reaches it
      bits.set(71);
    }
  }
  EXPECT_EQ(seen, (std::vector<uint32_t>{3, 70, 71, 700, 1000}));
  EXPECT_EQ(bits.size(), 1u);
  EXPECT_EQ(bits.take_next(0), 69u);
  EXPECT_TRUE(bits.empty());
}

TEST(AccountMarks, EachAccountOnceInMarkingOrderUntilTaken) {
  AccountMarks marks;
  for (AccountId a : {9u, 2u, 9u, 40'000u, 2u, 5u}) marks.mark(a);
  EXPECT_EQ(marks.list(), (std::vector<AccountId>{9, 2, 40'000, 5}));
  EXPECT_TRUE(marks.marked(40'000));
  EXPECT_FALSE(marks.marked(3));
  std::vector<AccountId> out{1};
  marks.take(out);
  EXPECT_EQ(out, (std::vector<AccountId>{1, 9, 2, 40'000, 5}));
  EXPECT_TRUE(marks.empty());
  EXPECT_FALSE(marks.marked(9));
  marks.mark(9);
  EXPECT_EQ(marks.size(), 1u);
  marks.clear();
  EXPECT_FALSE(marks.marked(9));
}

}  // namespace
}  // namespace glassbook
