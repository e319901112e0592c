// Bad input: each refused command yields one Rejected event with a specific error and leaves the
// state root exactly as it was.
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    ex.trader("alice");
    ex.trader("bob");
    ex.order("alice", Side::Sell, px(1'000'000), lots(5), TimeInForce::GTC, kBtc, 11);
    resting = ex.engine().book(kBtc).best_ask();
  }
  // Applies the command and checks the error and that nothing changed.
  void expect_refused(const crypto::KeyPair& signer, CommandBody body, Error want) {
    const auto before = ex.engine().state_root();
    const auto& l = ex.engine().ledger();
    const int64_t alice_usdc = l.balance(ex.id("alice"), USDC).total;
    auto ev = ex.run(signer, std::move(body));
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].kind, EventKind::Rejected);
    EXPECT_EQ(ev[0].error, want) << "got " << error_name(ev[0].error) << ": " << ex.engine().last_error();
    EXPECT_FALSE(ex.engine().last_error().empty());
    EXPECT_EQ(ex.engine().state_root(), before);
    EXPECT_EQ(l.balance(ex.id("alice"), USDC).total, alice_usdc);
  }
  PlaceOrder order(Side side, int64_t price, int64_t qty) {
    PlaceOrder p;
    p.account = ex.id("bob");
    p.market = kBtc;
    p.side = side;
    p.price = price;
    p.quantity = qty;
    return p;
  }
  Exchange ex;
  book::Ticks resting = 0;
};

TEST_F(BadInput, PriceErrors) {
  expect_refused(ex.key("bob"), order(Side::Buy, 0, lots(1)), Error::InvalidPrice);
  expect_refused(ex.key("bob"), order(Side::Buy, -kTick, lots(1)), Error::InvalidPrice);
  expect_refused(ex.key("bob"), order(Side::Buy, kTick + 1, lots(1)), Error::PriceNotTickMultiple);
  expect_refused(ex.key("bob"), order(Side::Buy, 5'000'000'000'000 + kTick, lots(1)), Error::InvalidPrice);
  expect_refused(ex.key("bob"), order(Side::Buy, INT64_MAX, lots(1)), Error::PriceNotTickMultiple);
}

TEST_F(BadInput, QuantityErrors) {
  expect_refused(ex.key("bob"), order(Side::Buy, px(900'000), 0), Error::InvalidQuantity);
  expect_refused(ex.key("bob"), order(Side::Buy, px(900'000), -lots(1)), Error::InvalidQuantity);
  expect_refused(ex.key("bob"), order(Side::Buy, px(900'000), kLot + 1), Error::QuantityNotLotMultiple);
  expect_refused(ex.key("bob"), order(Side::Buy, px(900'000), INT64_MAX / kLot * kLot), Error::Overflow);
}

TEST_F(BadInput, InsufficientFunds) {
  // 20 BTC at 100,000 USDC costs 2M USDC; bob has 1M.
  expect_refused(ex.key("bob"), order(Side::Buy, px(1'000'000), lots(2'000'000)), Error::InsufficientFunds);
  // Selling more BTC than he has.
  expect_refused(ex.key("bob"), order(Side::Sell, px(1'100'000), 11 * kBtcUnit), Error::InsufficientFunds);
}

TEST_F(BadInput, UnknownMarketAccountAndOrder) {
  PlaceOrder p = order(Side::Buy, px(900'000), lots(1));
  p.market = 99;
  expect_refused(ex.key("bob"), p, Error::UnknownMarket);
  p = order(Side::Buy, px(900'000), lots(1));
  p.account = 12345;
  expect_refused(ex.key("bob"), p, Error::UnknownAccount);
  expect_refused(ex.key("bob"), CancelOrder{ex.id("bob"), kBtc, 424242, 0}, Error::OrderNotFound);
  expect_refused(ex.key("bob"), CancelOrder{ex.id("bob"), kBtc, 0, 77}, Error::OrderNotFound);
  expect_refused(ex.key("bob"), CancelOrder{ex.id("bob"), kBtc, 0, 0}, Error::OrderNotFound);
  expect_refused(ex.key("bob"), AmendOrder{ex.id("bob"), kBtc, 424242, px(1), lots(1)}, Error::OrderNotFound);
  expect_refused(ex.key("bob"), CancelAll{ex.id("bob"), 7}, Error::UnknownMarket);
}

TEST_F(BadInput, WrongSigner) {
  // Bob's order signed by Alice's key; Alice's order cancelled by Bob by its id.
  expect_refused(ex.key("alice"), order(Side::Buy, px(900'000), lots(1)), Error::Unauthorized);
  expect_refused(ex.key("bob"), CancelOrder{ex.id("alice"), kBtc, 1, 0}, Error::Unauthorized);
  expect_refused(ex.key("bob"), CancelAll{ex.id("alice"), kAllMarkets}, Error::Unauthorized);
  // Deposits only from the chain watcher.
  expect_refused(ex.key("bob"), Deposit{ex.id("bob"), USDC, 1, 999}, Error::Unauthorized);
  // Registration only by the key being registered.
  expect_refused(ex.key("bob"), RegisterAccount{ex.key("mallory").public_key()}, Error::Unauthorized);
}

TEST_F(BadInput, DepositErrors) {
  expect_refused(ex.watcher(), Deposit{ex.id("bob"), USDC, 0, 1000}, Error::InvalidQuantity);
  expect_refused(ex.watcher(), Deposit{ex.id("bob"), USDC, -5, 1000}, Error::InvalidQuantity);
  expect_refused(ex.watcher(), Deposit{ex.id("bob"), 9, 5, 1000}, Error::UnknownAsset);
  expect_refused(ex.watcher(), Deposit{kFeeAccount, USDC, 5, 1000}, Error::UnknownAccount);
  expect_refused(ex.watcher(), Deposit{ex.id("bob"), USDC, INT64_MAX, 1000}, Error::Overflow);
  expect_refused(ex.watcher(), Deposit{ex.id("bob"), USDC, 5, 1}, Error::DuplicateDeposit);  // id 1 was credited in SetUp
}

TEST_F(BadInput, DuplicateRegistrationAndClientId) {
  expect_refused(ex.key("bob"), RegisterAccount{ex.key("bob").public_key()}, Error::DuplicateAccountKey);
  PlaceOrder p = order(Side::Sell, px(1'100'000), lots(1));
  p.account = ex.id("alice");
  p.client_id = 11;
  expect_refused(ex.key("alice"), p, Error::DuplicateClientOrderId);
}

TEST_F(BadInput, MarketPostOnlyIsRefused) {
  PlaceOrder p = order(Side::Buy, 0, lots(1));
  p.type = OrderType::Market;
  p.tif = TimeInForce::PostOnly;
  expect_refused(ex.key("bob"), p, Error::InvalidArgument);
}

TEST_F(BadInput, OutOfSequenceCommandChangesNothing) {
  const auto before = ex.engine().state_root();
  Command c;
  c.seq = 1;  // long past
  c.signer = ex.key("bob").public_key();
  c.body = order(Side::Buy, px(900'000), lots(1));
  auto ev = ex.engine().apply(c);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].error, Error::InvalidArgument);
  EXPECT_EQ(ex.engine().state_root(), before);
}

TEST(Signatures, TamperedCommandFailsVerification) {
  auto k = crypto::KeyPair::from_seed(crypto::seed_from_label("x"));
  PlaceOrder p;
  p.account = kFirstCustomer;
  p.price = 10;
  p.quantity = 1;
  SignedCommand sc = sign_command(k, 1, 1, p);
  EXPECT_TRUE(verify_command(sc));
  std::get<PlaceOrder>(sc.command.body).price = 11;
  EXPECT_FALSE(verify_command(sc));
  std::get<PlaceOrder>(sc.command.body).price = 10;
  sc.command.signer = crypto::KeyPair::from_seed(crypto::seed_from_label("y")).public_key();
  EXPECT_FALSE(verify_command(sc));
}

TEST(Config, RefusesInconsistentMarkets) {
  auto cfg = demo_config({});
  EXPECT_TRUE(validate_config(cfg).is_ok());
  auto bad = cfg;
  bad.markets[0].tick_size = 1;  // 1 unit x 1000 sats is not a whole number of USDC units
  EXPECT_EQ(validate_config(bad).code(), Error::InvalidConfig);
  bad = cfg;
  bad.markets[1].symbol = "BTC_USDC";
  EXPECT_EQ(validate_config(bad).code(), Error::InvalidConfig);
  bad = cfg;
  bad.markets[0].taker_fee_ppm = -1;
  EXPECT_EQ(validate_config(bad).code(), Error::InvalidConfig);
  bad = cfg;
  bad.markets[0].quote = bad.markets[0].base;
  EXPECT_EQ(validate_config(bad).code(), Error::InvalidConfig);
  bad = cfg;
  bad.markets[0].max_price = bad.markets[0].tick_size * ((int64_t{1} << 26) + 1);
  EXPECT_EQ(validate_config(bad).code(), Error::InvalidConfig);
  EXPECT_THROW(Engine{bad}, std::invalid_argument);
}

}  // namespace
}  // namespace glassbook::engine::testing
