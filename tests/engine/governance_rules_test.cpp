// "Only safer" configuration changes: every risk field, moved each way. A change that only tightens
// limits is installed at the operators' threshold without waiting for the timelock; any other waits.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "engine/config_codec.h"
#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// The perpetual exchange's configuration with a breaker on the perpetual, a group and a large-deposit
// limit, so that every risk field has a value to move either way.
ExchangeConfig base_config() {
  PerpExchange ex;
  ExchangeConfig c = ex.engine().config();
  c.markets[kPerp].breaker = {100'000, 60'000'000, 5'000'000, 300'000'000, usd(10'000)};
  c.groups.push_back({"desk", {16, 17}, usd(1'000'000), usd(500'000)});
  c.governance.config_timelock_us = 3'600'000'000;
  c.governance.large_deposit = {kBtcUnit};
  c.risk.insurance_floor = usd(10'000);
  return c;
}

struct Move {
  std::string field;
  std::function<void(ExchangeConfig&)> safer;
  std::function<void(ExchangeConfig&)> looser;
};

MarketConfig& perp(ExchangeConfig& c) { return c.markets[kPerp]; }

std::vector<Move> every_risk_field() {
  return {
      {"collateral weight", [](ExchangeConfig& c) { c.assets[BTC].collateral_weight_ppm -= 50'000; },
       [](ExchangeConfig& c) { c.assets[BTC].collateral_weight_ppm += 10'000; }},
      {"band", [](ExchangeConfig& c) { perp(c).band_ppm /= 2; }, [](ExchangeConfig& c) { perp(c).band_ppm *= 2; }},
      {"band switched off", [](ExchangeConfig&) {}, [](ExchangeConfig& c) { perp(c).band_ppm = 0; }},
      {"market protection", [](ExchangeConfig& c) { perp(c).market_protection_ppm /= 2; },
       [](ExchangeConfig& c) { perp(c).market_protection_ppm *= 2; }},
      {"breaker move", [](ExchangeConfig& c) { perp(c).breaker.move_ppm /= 2; }, [](ExchangeConfig& c) { perp(c).breaker.move_ppm *= 2; }},
      {"breaker window", [](ExchangeConfig& c) { perp(c).breaker.window_us *= 2; },
       [](ExchangeConfig& c) { perp(c).breaker.window_us /= 2; }},
      {"breaker hold at band", [](ExchangeConfig& c) { perp(c).breaker.hold_at_band_us /= 2; },
       [](ExchangeConfig& c) { perp(c).breaker.hold_at_band_us *= 2; }},
      {"breaker pause", [](ExchangeConfig& c) { perp(c).breaker.pause_us *= 2; }, [](ExchangeConfig& c) { perp(c).breaker.pause_us /= 2; }},
      {"breaker batch", [](ExchangeConfig& c) { perp(c).breaker.min_notional /= 2; },
       [](ExchangeConfig& c) { perp(c).breaker.min_notional *= 2; }},
      {"breaker on a spot market / off", [](ExchangeConfig& c) { c.markets[kBtc].breaker = {50'000, 60'000'000, 5'000'000, 300'000'000, 1}; },
       [](ExchangeConfig& c) { perp(c).breaker = {}; }},
      {"tier initial", [](ExchangeConfig& c) { perp(c).perp.tiers[0].initial_ppm += 20'000; },
       [](ExchangeConfig& c) { perp(c).perp.tiers[0].initial_ppm -= 20'000; }},
      {"tier maintenance", [](ExchangeConfig& c) { perp(c).perp.tiers[1].maintenance_ppm += 20'000; },
       [](ExchangeConfig& c) { perp(c).perp.tiers[1].maintenance_ppm -= 20'000; }},
      {"tier bound", [](ExchangeConfig& c) { perp(c).perp.tiers[0].max_notional /= 2; },
       [](ExchangeConfig& c) { perp(c).perp.tiers[0].max_notional *= 2; }},
      {"largest position", [](ExchangeConfig& c) { perp(c).perp.tiers[2].max_notional /= 2; },
       [](ExchangeConfig& c) { perp(c).perp.tiers[2].max_notional *= 2; }},
      {"a tier more / one fewer", [](ExchangeConfig&) {}, [](ExchangeConfig& c) { perp(c).perp.tiers.pop_back(); }},
      {"mark cap", [](ExchangeConfig& c) { perp(c).perp.mark_cap_ppm /= 2; }, [](ExchangeConfig& c) { perp(c).perp.mark_cap_ppm *= 2; }},
      {"insurance fund's position", [](ExchangeConfig& c) { perp(c).perp.insurance_max_position /= 2; },
       [](ExchangeConfig& c) { perp(c).perp.insurance_max_position *= 2; }},
      {"oracle staleness", [](ExchangeConfig& c) { c.risk.oracle_staleness_us /= 2; }, [](ExchangeConfig& c) { c.risk.oracle_staleness_us *= 2; }},
      {"oracle cap", [](ExchangeConfig& c) { c.risk.oracle_cap_ppm /= 2; }, [](ExchangeConfig& c) { c.risk.oracle_cap_ppm *= 2; }},
      {"insurance floor", [](ExchangeConfig& c) { c.risk.insurance_floor += usd(1'000); },
       [](ExchangeConfig& c) { c.risk.insurance_floor -= usd(1'000); }},
      {"group notional", [](ExchangeConfig& c) { c.groups[0].max_notional /= 2; }, [](ExchangeConfig& c) { c.groups[0].max_notional *= 2; }},
      {"group market notional", [](ExchangeConfig& c) { c.groups[0].max_market_notional /= 2; },
       [](ExchangeConfig& c) { c.groups[0].max_market_notional *= 2; }},
      {"timelock", [](ExchangeConfig& c) { c.governance.config_timelock_us *= 2; },
       [](ExchangeConfig& c) { c.governance.config_timelock_us /= 2; }},
      {"large deposit", [](ExchangeConfig& c) { c.governance.large_deposit = {kBtcUnit / 2}; },
       [](ExchangeConfig& c) { c.governance.large_deposit = {2 * kBtcUnit}; }},
  };
}

TEST(OnlySafer, EachRiskFieldIsSaferOneWayOnly) {
  const ExchangeConfig now = base_config();
  for (const Move& m : every_risk_field()) {
    ExchangeConfig safer = now, looser = now;
    m.safer(safer);
    m.looser(looser);
    EXPECT_TRUE(only_safer(now, safer)) << m.field << " moved the safe way";
    EXPECT_FALSE(only_safer(now, looser)) << m.field << " moved the other way";
  }
}

TEST(OnlySafer, AllSaferMovesTogetherAreSaferAndOneLooserSpoilsThem) {
  const ExchangeConfig now = base_config();
  ExchangeConfig all = now;
  for (const Move& m : every_risk_field()) m.safer(all);
  EXPECT_TRUE(only_safer(now, all));
  all.groups[0].max_notional *= 4;
  EXPECT_FALSE(only_safer(now, all));
}

TEST(OnlySafer, TiersAreSaferOnlyWhenEveryTierIs) {
  const ExchangeConfig now = base_config();
  ExchangeConfig mixed = now;
  perp(mixed).perp.tiers[0].initial_ppm += 20'000;   // tighter
  perp(mixed).perp.tiers[1].max_notional *= 2;       // looser: positions up to 2M stay in tier 1
  EXPECT_FALSE(only_safer(now, mixed));
}

TEST(OnlySafer, FeesFundingAndRolesAreNotLimits) {
  const ExchangeConfig now = base_config();
  std::vector<std::function<void(ExchangeConfig&)>> changes = {
      [](ExchangeConfig& c) { perp(c).taker_fee_ppm -= 100; },
      [](ExchangeConfig& c) { perp(c).perp.funding.cap /= 2; },
      [](ExchangeConfig& c) { perp(c).perp.liquidation_fee_ppm *= 2; },
      [](ExchangeConfig& c) { perp(c).perp.impact_notional *= 2; },
      [](ExchangeConfig& c) { c.operators.threshold += 1; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    ExchangeConfig next = now;
    changes[i](next);
    EXPECT_FALSE(only_safer(now, next)) << "change " << i;
  }
}

// Through the engine: raising a perpetual's margin tiers is installed at the operators' threshold,
// with no wait for the timelock; lowering them waits.
crypto::KeyPair op(int i) { return crypto::KeyPair::from_seed(crypto::seed_from_label("test/role/operator" + std::to_string(i))); }

TEST(OnlySafer, RaisedMarginTiersSkipTheTimelock) {
  PerpExchange ex([](ExchangeConfig& c) {
    c.operators = {{op(1).public_key(), op(2).public_key()}, 2};
    c.governance.config_timelock_us = 3'600'000'000;
  });
  auto propose_and_approve = [&](uint64_t id, const ExchangeConfig& c) {
    auto proposed = ex.run(op(1), ProposeConfig{id, std::make_shared<const ExchangeConfig>(c)});
    EXPECT_EQ(rejection(proposed), Error::Ok) << ex.engine().last_error();
    return ex.run(op(2), ApproveConfig{id, crypto::sha256(encode_config(c))});
  };
  ExchangeConfig raised = ex.engine().config();
  for (auto& tier : perp(raised).perp.tiers) {
    tier.initial_ppm += 10'000;
    tier.maintenance_ppm += 10'000;
  }
  perp(raised).perp.tiers[0].max_notional /= 2;
  ASSERT_EQ(of_kind(propose_and_approve(1, raised), EventKind::ConfigApplied).size(), 1u);
  EXPECT_EQ(ex.engine().config().markets[kPerp].perp.tiers, perp(raised).perp.tiers);

  ExchangeConfig lowered = ex.engine().config();
  perp(lowered).perp.tiers[0].initial_ppm -= 10'000;
  EXPECT_TRUE(of_kind(propose_and_approve(2, lowered), EventKind::ConfigApplied).empty());
  EXPECT_EQ(ex.engine().config().markets[kPerp].perp.tiers, perp(raised).perp.tiers) << "the lower tiers wait for their timelock";
}

}  // namespace
}  // namespace glassbook::engine::testing
