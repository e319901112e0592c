// Golden test: a small scripted trading sequence whose every event and final state root are fixed.
// A change here means the engine's observable behaviour changed: review it, never just re-record.
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

std::vector<std::string> script(Exchange& ex) {
  ex.open("maker");
  ex.open("taker");
  ex.deposit("maker", BTC, 1 * kBtcUnit);
  ex.deposit("taker", USDC, 10'000 * kUsdc);
  ex.order("maker", Side::Sell, px(1'000'000), lots(30), TimeInForce::GTC, kBtc, 1);
  ex.order("maker", Side::Sell, px(1'000'010), lots(50), TimeInForce::GTC, kBtc, 2);
  ex.order("taker", Side::Buy, px(999'990), lots(20), TimeInForce::PostOnly);
  ex.order("taker", Side::Buy, px(1'000'010), lots(40), TimeInForce::IOC);
  ex.amend("maker", 2, px(1'000'020), lots(30));
  ex.order("taker", Side::Buy, px(1'000'020), lots(100), TimeInForce::FOK);
  ex.market("taker", Side::Buy, lots(10));
  ex.cancel("taker", 3);
  std::vector<std::string> lines;
  for (const auto& e : ex.log()) lines.push_back(describe(e));
  return lines;
}

TEST(Golden, ScriptedSequence) {
  Exchange ex;
  std::vector<std::string> got = script(ex);
  const std::vector<std::string> want = {
      "account 16 registered",
      "account 17 registered",
      "deposit 1 asset 0 amount 100000000 to account 16",
      "deposit 2 asset 2 amount 10000000000 to account 17",
      "order 1 accepted: account 16 market 0 Ask 30000 @ 100000000000 client 1",
      "order 1 rests 30000 @ 100000000000",
      "order 2 accepted: account 16 market 0 Ask 50000 @ 100001000000 client 2",
      "order 2 rests 50000 @ 100001000000",
      "order 3 accepted: account 17 market 0 Bid 20000 @ 99999000000 client 0",
      "order 3 rests 20000 @ 99999000000",
      "order 4 accepted: account 17 market 0 Bid 40000 @ 100001000000 client 0",
      "trade market 0 30000 @ 100000000000: taker 4 (account 17, 10000 left, fee 15) maker 1 (account 16, 0 left, fee 6000)",
      "trade market 0 10000 @ 100001000000: taker 4 (account 17, 0 left, fee 5) maker 2 (account 16, 40000 left, fee 2001)",
      "order 2 amended to 30000 @ 100002000000",
      "order 2 rests 30000 @ 100002000000",
      "order 5 accepted: account 17 market 0 Bid 100000 @ 100002000000 client 0",
      "order 5 cancelled (fok-unfilled): 100000 left @ 100002000000",
      "order 6 accepted: account 17 market 0 Bid 10000 @ 105002100000 client 0",
      "trade market 0 10000 @ 100002000000: taker 6 (account 17, 0 left, fee 5) maker 2 (account 16, 20000 left, fee 2001)",
      "order 3 cancelled (user): 20000 left @ 99999000000",
  };
  EXPECT_EQ(got, want);
  // State root format 2 (the demo configuration's since it exists; docs/journal.md, "State root").
  EXPECT_EQ(crypto::to_hex(ex.engine().state_root()), "599a85eea0153123042c6e863e9aa4935ce12967472e634aa2c88608649ca159");
  EXPECT_TRUE(ex.engine().check_invariants().is_ok());
}

// The same script under format 1, which every configuration from before format 2 keeps: the root
// this test fixed before format 2 existed, unchanged.
TEST(Golden, ScriptedSequenceUnderStateRootFormat1) {
  Exchange ex([](ExchangeConfig& c) { c.state_root_version = kStateRootV1; });
  script(ex);
  EXPECT_EQ(crypto::to_hex(ex.engine().state_root()), "fea0a22289ee7ce66aa6811bc79375abf9eac8bde30f296710ec3b4714d82467");
}

}  // namespace
}  // namespace glassbook::engine::testing
