// Shocks the stress refuses, with a clear error and nothing applied anywhere.
#include <gtest/gtest.h>

#include "stress_fixture.h"

namespace glassbook::stress::testing {
namespace {

bool message_has(const Status& s, std::string_view part) { return s.message().find(part) != std::string::npos; }

TEST(StressRefusal, AFrozenIndex) {
  PerpExchange ex;
  ex.funded("alice", 1'000);
  auto r = run_stress(ex.engine(), uniform_shock(-300'000));  // no source has ever quoted BTC
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Error::IndexFrozen);
  EXPECT_TRUE(message_has(r.status(), "BTC")) << r.status().to_string();
  EXPECT_TRUE(message_has(r.status(), "frozen")) << r.status().to_string();

  // Quoted, then stale.
  ex.oracle(usd(50'000));
  EXPECT_TRUE(run_stress(ex.engine(), uniform_shock(-300'000)));
  ex.advance(kStalenessUs + 1'000'000);
  ex.funded("bob", 1'000);
  r = run_stress(ex.engine(), uniform_shock(-300'000));
  EXPECT_EQ(r.code(), Error::IndexFrozen);
  EXPECT_EQ(run_stress_grid(ex.engine()).code(), Error::IndexFrozen);
  // Only two of five sources (the quorum is three) are not enough.
  ex.quote(0, usd(50'000));
  ex.quote(1, usd(50'000));
  EXPECT_EQ(run_stress(ex.engine(), uniform_shock(-300'000)).code(), Error::IndexFrozen);
  ex.quote(2, usd(50'000));
  EXPECT_TRUE(run_stress(ex.engine(), uniform_shock(-300'000)));
}

TEST(StressRefusal, AFrozenRedemptionRate) {
  PerpExchange ex(with_wbtc);
  ex.oracle(usd(50'000));  // BTC only: WBTC has no rate
  auto r = run_stress(ex.engine(), Shock{{Move{Move::Kind::RedemptionRate, WBTC, -200'000}}});
  EXPECT_EQ(r.code(), Error::IndexFrozen);
  EXPECT_TRUE(message_has(r.status(), "WBTC")) << r.status().to_string();
  // A shock of the index alone does not need the rate.
  EXPECT_TRUE(run_stress(ex.engine(), uniform_shock(-300'000)));
}

TEST(StressRefusal, UnknownAndUnpricedAssets) {
  PerpExchange ex(with_wbtc);
  ex.oracle(usd(50'000));
  EXPECT_EQ(run_stress(ex.engine(), Shock{{Move{Move::Kind::Index, 99, -100'000}}}).code(), Error::UnknownAsset);
  EXPECT_EQ(run_stress(ex.engine(), Shock{{Move{Move::Kind::RedemptionRate, 99, -100'000}}}).code(), Error::UnknownAsset);
  // USDC is the margin asset and SOL is not valued: neither has an index.
  EXPECT_EQ(run_stress(ex.engine(), Shock{{Move{Move::Kind::Index, USDC, -100'000}}}).code(), Error::InvalidArgument);
  EXPECT_EQ(run_stress(ex.engine(), Shock{{Move{Move::Kind::Index, SOL, -100'000}}}).code(), Error::InvalidArgument);
  // BTC has an index, not a redemption rate; WBTC the reverse.
  EXPECT_EQ(run_stress(ex.engine(), Shock{{Move{Move::Kind::RedemptionRate, BTC, -100'000}}}).code(), Error::InvalidArgument);
  EXPECT_EQ(run_stress(ex.engine(), Shock{{Move{Move::Kind::Index, WBTC, -100'000}}}).code(), Error::InvalidArgument);
  EXPECT_EQ(run_stress(ex.engine(), Shock{}).code(), Error::InvalidArgument);
}

TEST(StressRefusal, MinusOneHundredPercentOrWorse) {
  PerpExchange ex;
  ex.oracle(usd(50'000));
  const crypto::Digest root = ex.engine().state_root();
  for (int64_t ppm : std::initializer_list<int64_t>{-1'000'000, -1'500'000, INT64_MIN}) {
    auto r = run_stress(ex.engine(), uniform_shock(ppm));
    EXPECT_EQ(r.code(), Error::InvalidArgument) << ppm;
    EXPECT_TRUE(message_has(r.status(), "-100%")) << r.status().to_string();
  }
  // A later move of the path is checked too, before anything is applied.
  EXPECT_EQ(run_stress(ex.engine(), Shock{{Move{Move::Kind::AllIndex, 0, -100'000}, Move{Move::Kind::Index, BTC, -1'000'000}}}).code(),
            Error::InvalidArgument);
  // Just above -100% still leaves a price.
  auto r = run_stress(ex.engine(), uniform_shock(-999'999));
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ(r->moves.at(0).after, usd(50'000) / 1'000'000);
  EXPECT_EQ(ex.engine().state_root(), root);
}

}  // namespace
}  // namespace glassbook::stress::testing
