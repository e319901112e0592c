// Claims trading: a claim market's pre-trade eligibility (KYC, the estate's transfer rules) for
// takers and, at match time, for makers; the transfer-of-claim record of every fill; each refusal
// changes nothing.
#include <gtest/gtest.h>

#include "claims_fixture.h"
#include "core/decimal.h"
#include "engine/config_codec.h"
#include "engine/request_text.h"
#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

crypto::KeyPair op(int i) { return crypto::KeyPair::from_seed(crypto::seed_from_label("test/claims-operator" + std::to_string(i))); }

// 0.001 USDC steps: a price of `thousandths` / 1000 USDC per whole claim unit.
int64_t cents_px(int64_t thousandths) { return thousandths * kClaimTick; }
// Whole claim units (USD of face) in claim-asset units.
int64_t face(int64_t usd) { return usd * kClaimLot; }

class ClaimsTrading : public ::testing::Test {
 protected:
  ClaimsTrading()
      : ex([this](ExchangeConfig& c) {
          market = add_claim_market(c);
          c.operators = {{op(1).public_key(), op(2).public_key()}, 2};
        }) {
    ex.check_invariants_always();
    // alice: a creditor with KYC and an allowed, linked claim of 1,000 USD.
    ex.open("alice");
    ex.attest(1, 1, face(1'000), ClaimStatus::Allowed, legacy_hash("alice@example.com"));
    ex.kyc("alice", 1, "US");
    ex.link("alice", 1, legacy_hash("alice@example.com"));
    // bob: a buyer with USDC and KYC at the estate's minimum buying level, in France.
    buyer("bob", 2, "FR");
  }

  void buyer(const std::string& name, uint8_t level, const std::string& jurisdiction, Timestamp lasts = 3'600'000'000) {
    ex.open(name);
    ex.deposit(name, USDC, 10'000 * kUsdc);
    if (level != 0) {
      ASSERT_EQ(rejection(ex.kyc(name, level, jurisdiction, lasts)), Error::Ok) << ex.engine().last_error();
    }
  }
  // A second creditor with `usd` of claims (claim id `claim`).
  void creditor(const std::string& name, uint64_t claim, int64_t usd, Timestamp lasts = 3'600'000'000) {
    ex.open(name);
    const crypto::Digest hash = legacy_hash(name + "@example.com");
    ex.attest(claim, 1, face(usd), ClaimStatus::Allowed, hash);
    ASSERT_EQ(rejection(ex.kyc(name, 1, "DE", lasts)), Error::Ok);
    ASSERT_EQ(rejection(ex.link(name, claim, hash)), Error::Ok) << ex.engine().last_error();
  }
  std::vector<Event> order(const std::string& name, Side side, int64_t thousandths, int64_t usd, TimeInForce tif = TimeInForce::GTC) {
    return ex.order(name, side, cents_px(thousandths), face(usd), tif, market);
  }
  // An order as a signed request (what carries trigger prices and quote quantities): `params` after
  // the symbol, decimals already as text.
  std::vector<Event> request(const std::string& name, std::vector<TextParam> params) {
    params.insert(params.begin(), TextParam{"symbol", "FTXCLAIM_USDC"});
    return ex.run(ex.key(name), SignedRequest{build_request_text("orderExecute", std::move(params), ex.now() / 1000, 5000)});
  }
  // A stop: a market buy of `usd` of face once the last price reaches `thousandths`.
  std::vector<Event> stop_buy(const std::string& name, int64_t thousandths, int64_t usd) {
    return request(name, {{"side", "Bid"}, {"orderType", "Market"}, {"triggerQuantity", format_decimal(face(usd), 2, true)},
                          {"triggerPrice", format_decimal(cents_px(thousandths), 6, true)}});
  }


  MarketId market = 0;
  ClaimsExchange ex;
};

TEST_F(ClaimsTrading, ACreditorSellsToAnEligibleBuyerAndTheTransferIsRecorded) {
  const OrderId ask = accepted_id(order("alice", Side::Sell, 350, 100));  // 100 USD of face at 0.35
  EXPECT_EQ(ex.balance("alice", FTXC).held, face(100));
  const auto ev = order("bob", Side::Buy, 360, 100);
  const auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 1u) << ex.engine().last_error();
  EXPECT_EQ(trades[0].maker_order_id, ask);
  EXPECT_EQ(trades[0].taker_fee, 0);
  EXPECT_EQ(trades[0].maker_fee, 0);
  // The ledger moves exactly: 100 USD of face for 35 USDC, the price improvement back to bob.
  EXPECT_EQ(ex.balance("alice", FTXC).total, face(900));
  EXPECT_EQ(ex.balance("alice", FTXC).held, 0);
  EXPECT_EQ(ex.balance("alice", USDC).total, 35 * kUsdc);
  EXPECT_EQ(ex.balance("bob", FTXC).total, face(100));
  EXPECT_EQ(ex.balance("bob", USDC).total, (10'000 - 35) * kUsdc);
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
  EXPECT_EQ(ex.issuer_balance(FTXC), -face(1'000)) << "a trade moves units between holders: none are issued";
  // The transfer record follows its trade.
  const auto records = of_kind(ev, EventKind::ClaimTransferred);
  ASSERT_EQ(records.size(), 1u);
  const Event& r = records[0];
  EXPECT_EQ(std::find(ev.begin(), ev.end(), r) - ev.begin(), std::find(ev.begin(), ev.end(), trades[0]) - ev.begin() + 1);
  EXPECT_EQ(r.client_id, kFtx);
  EXPECT_EQ(r.market, market);
  EXPECT_EQ(r.asset, FTXC);
  EXPECT_EQ(r.maker_account, ex.id("alice")) << "the seller";
  EXPECT_EQ(r.account, ex.id("bob")) << "the buyer";
  EXPECT_EQ(r.quantity, face(100));
  EXPECT_EQ(r.price, cents_px(350));
  EXPECT_EQ(r.remaining, 35 * kUsdc) << "the quote amount paid";
  EXPECT_EQ(r.order_id, 1u) << "the market's first trade";
  EXPECT_EQ(ex.engine().stats(market).trades, 1u);
  // A second fill is trade 2.
  order("alice", Side::Sell, 340, 10);
  const auto second = of_kind(order("bob", Side::Buy, 340, 10), EventKind::ClaimTransferred);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].order_id, 2u);
}

TEST_F(ClaimsTrading, EveryIneligibleTakerIsRefusedWithItsOwnErrorAndNothingChanges) {
  order("alice", Side::Sell, 350, 100);
  buyer("carol", 0, "");  // no KYC at all
  ex.expect_refused(Error::KycMissing, "no KYC attestation for estate 'FTX Trading Ltd.'", [&] { return order("carol", Side::Buy, 350, 10); });
  buyer("dave", 2, "FR", 1'000);  // KYC that lasts 1 ms
  ex.advance(2'000);
  ex.expect_refused(Error::KycExpired, "expired", [&] { return order("dave", Side::Buy, 350, 10); });
  buyer("erin", 1, "FR");  // below the estate's level 2 for buyers
  ex.expect_refused(Error::KycLevelTooLow, "below 2", [&] { return order("erin", Side::Buy, 350, 10); });
  buyer("frank", 3, "KP");  // a jurisdiction the estate bars buyers from
  ex.expect_refused(Error::BuyerJurisdictionBarred, "in KP", [&] { return order("frank", Side::Buy, 350, 10); });
  // A market order and an IOC, FOK or post-only order are judged the same way.
  ex.expect_refused(Error::KycLevelTooLow, "below 2",
                 [&] { return ex.order("erin", Side::Buy, 0, face(10), TimeInForce::IOC, market, 0, Stp::CancelNewest, OrderType::Market); });
  ex.expect_refused(Error::BuyerJurisdictionBarred, "in KP", [&] { return order("frank", Side::Buy, 350, 10, TimeInForce::FOK); });
  ex.expect_refused(Error::KycMissing, "no KYC", [&] { return order("carol", Side::Buy, 300, 10, TimeInForce::PostOnly); });
  // Selling needs KYC only (a seller acquires no claim): erin at level 1 may sell, but has no units.
  ex.expect_refused(Error::InsufficientFunds, "", [&] { return order("erin", Side::Sell, 350, 10); });
  ex.expect_refused(Error::KycMissing, "no KYC", [&] { return order("carol", Side::Sell, 350, 10); });
  // A trigger order is judged when placed (and again when it fires), and so is a quote-sized order.
  ex.expect_refused(Error::BuyerJurisdictionBarred, "in KP", [&] { return stop_buy("frank", 400, 10); });
  ex.expect_refused(Error::KycMissing, "no KYC", [&] {
    return request("carol", {{"side", "Bid"}, {"orderType", "Market"}, {"quoteQuantity", "10"}});
  });
  EXPECT_EQ(ex.balance("alice", FTXC).held, face(100)) << "alice's ask still rests untouched";
}

TEST_F(ClaimsTrading, AnAmendIsJudgedLikeANewOrder) {
  const OrderId bid = accepted_id(order("bob", Side::Buy, 300, 10));
  // bob's KYC lapses while his bid rests: he can still cancel, not amend.
  ex.advance(3'600'000'000);
  ex.expect_refused(Error::KycExpired, "expired", [&] { return ex.amend("bob", bid, cents_px(310), face(10), market); });
  const auto cancelled = of_kind(ex.cancel("bob", bid, market), EventKind::OrderCancelled);
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
}

TEST_F(ClaimsTrading, AMakerWhoseKycExpiredIsCancelledNotFilledAndMatchingContinues) {
  creditor("gina", 2, 500, 1'000'000);  // gina's KYC lasts 1 s
  const OrderId gina_ask = accepted_id(order("gina", Side::Sell, 300, 50));
  const OrderId alice_ask = accepted_id(order("alice", Side::Sell, 320, 50));
  ex.advance(2'000'000);  // gina's KYC has expired when bob arrives
  const auto ev = order("bob", Side::Buy, 350, 80);
  const auto cancelled = of_kind(ev, EventKind::OrderCancelled);
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].order_id, gina_ask);
  EXPECT_EQ(cancelled[0].cause, CancelCause::ClaimIneligible);
  EXPECT_EQ(cancelled[0].remaining, face(50));
  const auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].maker_order_id, alice_ask);
  EXPECT_EQ(trades[0].quantity, face(50));
  EXPECT_EQ(of_kind(ev, EventKind::OrderRested).size(), 1u) << "bob's remaining 30 rest";
  // gina keeps her units, all available again; she sold nothing.
  EXPECT_EQ(ex.balance("gina", FTXC).total, face(500));
  EXPECT_EQ(ex.balance("gina", FTXC).held, 0);
  EXPECT_EQ(ex.balance("bob", FTXC).total, face(50));
}

TEST_F(ClaimsTrading, AnExpiredMakerAloneLeavesAFokUnfilledAndAMarketOrderWithoutPrice) {
  creditor("gina", 2, 500, 1'000'000);
  order("gina", Side::Sell, 300, 50);
  ex.advance(2'000'000);
  // A market order without a price sees no eligible ask: refused, and the ask stays until a
  // command that would trade with it removes it.
  ex.expect_refused(Error::InvalidPrice, "has no asks",
                 [&] { return ex.order("bob", Side::Buy, 0, face(10), TimeInForce::IOC, market, 0, Stp::CancelNewest, OrderType::Market); });
  const auto ev = order("bob", Side::Buy, 300, 50, TimeInForce::FOK);
  EXPECT_EQ(of_kind(ev, EventKind::Trade).size(), 0u);
  const auto cancelled = of_kind(ev, EventKind::OrderCancelled);
  ASSERT_EQ(cancelled.size(), 2u);
  EXPECT_EQ(cancelled[0].cause, CancelCause::ClaimIneligible);
  EXPECT_EQ(cancelled[1].cause, CancelCause::FokUnfilled);
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
  EXPECT_EQ(ex.balance("gina", FTXC).held, 0);
}

TEST_F(ClaimsTrading, ARuleChangeByGovernanceBarsABuyerWhoseBidRests) {
  const OrderId bid = accepted_id(order("bob", Side::Buy, 300, 20));
  ExchangeConfig next = ex.engine().config();
  next.estates[kFtx].transfer_rules.barred_buyer_jurisdictions = {"FR", "KP"};
  ASSERT_EQ(rejection(ex.run(op(1), ProposeConfig{1, std::make_shared<const ExchangeConfig>(next)})), Error::Ok) << ex.engine().last_error();
  ASSERT_EQ(rejection(ex.run(op(2), ApproveConfig{1, crypto::sha256(encode_config(next))})), Error::Ok) << ex.engine().last_error();
  ASSERT_EQ(ex.engine().config().estates[kFtx].transfer_rules.barred_buyer_jurisdictions.size(), 2u);
  // bob's new bids are refused; his resting one is cancelled when alice's ask reaches it.
  ex.expect_refused(Error::BuyerJurisdictionBarred, "in FR", [&] { return order("bob", Side::Buy, 300, 20); });
  const auto ev = order("alice", Side::Sell, 300, 20);
  EXPECT_EQ(of_kind(ev, EventKind::Trade).size(), 0u);
  const auto cancelled = of_kind(ev, EventKind::OrderCancelled);
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].order_id, bid);
  EXPECT_EQ(cancelled[0].cause, CancelCause::ClaimIneligible);
  EXPECT_EQ(of_kind(ev, EventKind::OrderRested).size(), 1u);
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
  EXPECT_EQ(ex.balance("bob", FTXC).total, 0);
  // As a seller bob is still eligible: his ask is refused for funds (he holds none), not by the rules.
  ex.expect_refused(Error::InsufficientFunds, "", [&] { return order("bob", Side::Sell, 300, 1); });
}

TEST_F(ClaimsTrading, AStopWhoseOwnerLostEligibilityFailsWhenItFires) {
  buyer("dave", 2, "DE");
  order("alice", Side::Sell, 300, 10);
  order("dave", Side::Buy, 300, 10);  // a last price: 0.300
  const auto placed = stop_buy("bob", 320, 10);
  ASSERT_EQ(of_kind(placed, EventKind::TriggerAccepted).size(), 1u) << ex.engine().last_error();
  ex.advance(3'600'000'000);  // bob's KYC expires; dave's is renewed
  ASSERT_EQ(rejection(ex.kyc("dave", 2, "DE")), Error::Ok);
  ASSERT_EQ(rejection(ex.kyc("alice", 1, "US")), Error::Ok);
  order("alice", Side::Sell, 320, 20);
  const auto ev = order("dave", Side::Buy, 320, 10);  // the last price reaches bob's trigger
  const auto failed = of_kind(ev, EventKind::TriggerFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].account, ex.id("bob"));
  EXPECT_EQ(failed[0].error, Error::KycExpired);
  EXPECT_EQ(ex.balance("bob", FTXC).total, 0);
}

TEST_F(ClaimsTrading, AQuoteSizedMarketOrderWalksOnlyEligibleMakers) {
  creditor("gina", 2, 500, 1'000'000);
  order("gina", Side::Sell, 300, 50);   // expires before bob comes
  order("alice", Side::Sell, 320, 50);  // eligible
  ex.advance(2'000'000);
  // 16 USDC buys exactly 50 at 0.320 from alice: had gina's cheaper ask counted, the order would have
  // been sized for it.
  const auto ev = request("bob", {{"side", "Bid"}, {"orderType", "Market"}, {"quoteQuantity", "16"}});
  const auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 1u) << ex.engine().last_error();
  EXPECT_EQ(trades[0].quantity, face(50));
  EXPECT_EQ(trades[0].price, cents_px(320));
  const auto cancelled = of_kind(ev, EventKind::OrderCancelled);
  ASSERT_GE(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].cause, CancelCause::ClaimIneligible);
  EXPECT_EQ(ex.balance("bob", USDC).total, (10'000 - 16) * kUsdc);
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
}

TEST_F(ClaimsTrading, SelfTradePreventionStillDecidesBetweenAnAccountsOwnOrders) {
  order("alice", Side::Sell, 300, 10);
  order("bob", Side::Buy, 300, 10);  // trades with alice: bob now holds 10
  order("bob", Side::Sell, 310, 10);
  const auto ev = order("bob", Side::Buy, 310, 10);  // would meet his own ask
  EXPECT_EQ(of_kind(ev, EventKind::Trade).size(), 0u);
  EXPECT_EQ(of_kind(ev, EventKind::ClaimTransferred).size(), 0u);
  EXPECT_EQ(ex.balance("bob", FTXC).total, face(10));
}

TEST_F(ClaimsTrading, TakingBackUnitsOnOrderIsRefusedAndChangesNothing) {
  order("alice", Side::Sell, 350, 1'000);  // every unit offered
  ex.expect_refused(Error::InsufficientFunds, "no longer has available",
                 [&] { return ex.attest(1, 2, face(1'000), ClaimStatus::Disputed, legacy_hash("alice@example.com")); });
  // Sold units are gone too: after a sale of 400 and a cancel, a dispute of the claim still fails.
  order("bob", Side::Buy, 350, 400);
  ASSERT_EQ(rejection(ex.run(ex.key("alice"), CancelAll{ex.id("alice"), market})), Error::Ok);
  ex.expect_refused(Error::InsufficientFunds, "no longer has available",
                 [&] { return ex.attest(1, 2, face(1'000), ClaimStatus::Disputed, legacy_hash("alice@example.com")); });
  // Units the holder has available are taken back: allowed for less, by what is left.
  ASSERT_EQ(rejection(ex.attest(1, 2, face(700), ClaimStatus::Allowed, legacy_hash("alice@example.com"))), Error::Ok);
  EXPECT_EQ(ex.balance("alice", FTXC).total, face(300));
}

// While a distribution round is paid the estate's holdings are frozen: its market takes only
// cancels (an order that could fill is refused, MarketPaused, changing nothing), and once the round
// is paid it trades again. A record point before the estate's last trade is refused.
TEST_F(ClaimsTrading, TheMarketTakesOnlyCancelsWhileARoundIsPaidAndATradeMovesTheRecordPoint) {
  const OrderId ask = accepted_id(order("alice", Side::Sell, 350, 100));
  // The claims agent's own account funds the round.
  const crypto::KeyPair agent = ClaimsExchange::agent(kFtx);
  const auto opened = ex.run(agent, RegisterAccount{agent.public_key()});
  ASSERT_EQ(opened.at(0).kind, EventKind::AccountRegistered);
  const AccountId fund = opened[0].account;
  ASSERT_EQ(rejection(ex.run(ex.watcher(), Deposit{fund, USDC, 1'000 * kUsdc, ex.next_deposit_id()})), Error::Ok);

  // A trade, then a round whose record point is before it: refused.
  ASSERT_EQ(of_kind(order("bob", Side::Buy, 350, 10), EventKind::ClaimTransferred).size(), 1u);
  const SeqNo traded_at = ex.engine().last_seq();
  ex.expect_refused(Error::InvalidArgument, "", [&] {
    return ex.run(agent, DeclareDistribution{kFtx, 1, fund, USDC, 1, 10, traded_at - 1});
  });
  ASSERT_EQ(rejection(ex.run(agent, DeclareDistribution{kFtx, 1, fund, USDC, 1, 10, traded_at})), Error::Ok) << ex.engine().last_error();
  ASSERT_TRUE(ex.engine().distribution_freezes_units(kFtx));

  // Orders that could fill are refused: a buy against the resting ask, a new ask, an amend.
  ex.expect_refused(Error::MarketPaused, "accepts only cancels", [&] { return order("bob", Side::Buy, 360, 10); });
  ex.expect_refused(Error::MarketPaused, "distribution round 1", [&] { return order("alice", Side::Sell, 400, 10); });
  ex.expect_refused(Error::MarketPaused, "accepts only cancels",
                 [&] { return ex.run(ex.key("alice"), AmendOrder{ex.id("alice"), market, ask, cents_px(340), face(90)}); });
  // A cancel goes on and releases its hold.
  ASSERT_EQ(rejection(ex.cancel("alice", ask, market)), Error::Ok) << ex.engine().last_error();
  EXPECT_EQ(ex.balance("alice", FTXC).held, 0);

  // Paid: the market trades again.
  const auto paid = ex.run(agent, PayDistribution{kFtx, 1});
  ASSERT_EQ(of_kind(paid, EventKind::DistributionCompleted).size(), 1u) << ex.engine().last_error();
  EXPECT_FALSE(ex.engine().distribution_freezes_units(kFtx));
  accepted_id(order("alice", Side::Sell, 350, 10));
  EXPECT_EQ(of_kind(order("bob", Side::Buy, 350, 10), EventKind::ClaimTransferred).size(), 1u);
}

TEST(ClaimsTradingIsolated, AnIsolatedAccountCannotTradeClaims) {
  MarketId market = 0;
  PerpExchange ex([&](ExchangeConfig& c) {
    add_estates(c);
    market = add_claim_market(c);
  });
  ex.open("alice");
  ex.deposit("alice", USDC, 1'000 * kUsdc);
  const auto opened = ex.run(ex.key("alice"), OpenIsolated{ex.id("alice"), kPerp});
  ASSERT_EQ(opened.size(), 1u);
  ASSERT_EQ(opened[0].kind, EventKind::IsolatedOpened) << ex.engine().last_error();
  PlaceOrder p;
  p.account = opened[0].account;
  p.market = market;
  p.side = Side::Buy;
  p.price = cents_px(300);
  p.quantity = face(10);
  const auto ev = ex.run(ex.key("alice"), p);
  ASSERT_EQ(rejection(ev), Error::InvalidArgument);
  EXPECT_NE(ev[0].message.find("trades only BTC_PERP"), std::string::npos) << ev[0].message;
}

}  // namespace
}  // namespace glassbook::engine::testing
