// The engine applies Backpack's signed request texts exactly as the equivalent native commands:
// same events, same state root; batches go order by order; expired requests are refused.
#include <string>
#include <vector>

#include "core/decimal.h"
#include "engine/command_codec.h"
#include "engine/request_text.h"
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

constexpr int64_t kSignedAtMs = 1'700'000'000'000;  // the fixture's clock starts at this millisecond

std::string text_of(std::string_view instruction, std::vector<TextParam> params, int64_t window_ms = 5000) {
  return build_request_text(instruction, std::move(params), kSignedAtMs, window_ms);
}

// The text of a BTC_USDC limit order with the fixture's units (price: quote units, qty: sats). The
// params view its strings: keep it alive while they are used.
struct OrderText {
  std::string price, quantity, client_id;
  std::vector<TextParam> params(Side side, std::string_view extra_key = {}, std::string_view extra_value = {}) const {
    std::vector<TextParam> p = {{"symbol", "BTC_USDC"}, {"side", side == Side::Buy ? "Bid" : "Ask"}, {"orderType", "Limit"},
                                {"price", price},       {"quantity", quantity}};
    if (!client_id.empty()) p.push_back({"clientId", client_id});
    if (!extra_key.empty()) p.push_back({extra_key, extra_value});
    return p;
  }
};
OrderText order_text(int64_t price, int64_t qty, uint32_t client_id = 0) {
  return {format_decimal(price, 6, true), format_decimal(qty, 8, true), client_id ? std::to_string(client_id) : ""};
}

// Two exchanges fed the same traders: one speaks native commands, the other signed texts.
class SignedRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    for (Exchange* ex : {&native, &text})
      for (const char* name : {"alice", "bob"}) ex->trader(name);
  }
  std::vector<Event> signed_text(const std::string& name, std::string t) { return text.run(text.key(name), SignedRequest{std::move(t)}); }
  // The same state but for the requests the text engine remembers, which the native engine has none
  // of: the text engine's snapshot without its last four sections (the requests, u32 n then 40 bytes
  // each; the pending deposits, none: u32 0; the samples, an empty batch per spot market; the trigger
  // orders and what orders carry, none: u32 0 twice; the deposit addresses, none: u32 0), read as a
  // v3 snapshot (which has none of them), has the native engine's state root.
  void expect_same_state() {
    EXPECT_EQ(native.engine().remembered_requests(), 0u);
    std::string t = text.engine().snapshot();
    ASSERT_TRUE(text.engine().pending_deposits().empty());
    const size_t samples = 25 * text.engine().config().markets.size();
    const size_t requests = 4 + 40 * text.engine().remembered_requests() + 4;
    const size_t triggers = 8;  // none pending, none attached: u32 0, u32 0
    const size_t claims = 4;    // no estates: u32 0
    const size_t addresses = 4;  // no deposit address: u32 0
    const size_t withdrawals = 8 + 4 * 4 + 8;  // none ever: the next id, four empty counts, no reversal
    const size_t distributions = 4;            // no estates: u32 0
    const size_t liabilities = 8;              // no published liabilities root: u64 0
    const size_t custody = 4 + 4 + 8 + 4;      // no wallet, no vote, the next alert id, no alert
    ASSERT_GE(t.size(), requests + samples + triggers + claims + addresses + withdrawals + distributions + liabilities + custody);
    t.resize(t.size() - samples - requests - triggers - claims - addresses - withdrawals - distributions - liabilities - custody);
    const std::string tag = "glassbook/snapshot/v13", v3 = "glassbook/snapshot/v3";
    ASSERT_EQ(t.substr(4, tag.size()), tag);
    const char v3_length[4] = {static_cast<char>(v3.size()), 0, 0, 0};
    t = std::string(v3_length, 4) + v3 + t.substr(4 + tag.size());
    auto without = Engine::restore(t);
    ASSERT_TRUE(without.is_ok()) << without.status().to_string();
    EXPECT_EQ(native.engine().state_root(), (*without)->state_root());
    EXPECT_TRUE(text.engine().check_invariants().is_ok()) << text.engine().check_invariants().to_string();
  }
  Exchange native, text;
};

TEST_F(SignedRequests, OrdersAndCancelsMatchTheirNativeCommands) {
  // A resting ask, a crossing bid with a client id, a post-only that rests, a market order.
  const OrderText ask = order_text(px(1'000'000), lots(10));
  auto n1 = native.order("alice", Side::Sell, px(1'000'000), lots(10));
  auto t1 = signed_text("alice", text_of("orderExecute", ask.params(Side::Sell)));
  EXPECT_EQ(t1, n1);

  const OrderText bid = order_text(px(1'000'005), lots(4), 7);
  auto n2 = native.order("bob", Side::Buy, px(1'000'005), lots(4), TimeInForce::GTC, kBtc, 7);
  auto t2 = signed_text("bob", text_of("orderExecute", bid.params(Side::Buy)));
  EXPECT_EQ(t2, n2);
  EXPECT_EQ(of_kind(t2, EventKind::Trade).size(), 1u);

  const OrderText post = order_text(px(999'990), lots(3), 8);
  auto n3 = native.order("bob", Side::Buy, px(999'990), lots(3), TimeInForce::PostOnly, kBtc, 8, Stp::CancelOldest);
  std::vector<TextParam> post_params = post.params(Side::Buy, "postOnly", "true");
  post_params.push_back({"selfTradePrevention", "RejectMaker"});
  auto t3 = signed_text("bob", text_of("orderExecute", post_params, 60000));
  EXPECT_EQ(t3, n3);
  expect_same_state();
  auto n3b = native.cancel("bob", accepted_id(n3));
  auto t3b = signed_text("bob", text_of("orderCancel", {{"symbol", "BTC_USDC"}, {"clientId", "8"}}));
  EXPECT_EQ(t3b, n3b);
  expect_same_state();

  auto n4 = native.market("bob", Side::Buy, lots(2));
  auto t4 = signed_text("bob", text_of("orderExecute", {{"symbol", "BTC_USDC"}, {"side", "Bid"}, {"orderType", "Market"},
                                                        {"quantity", format_decimal(lots(2), 8, true)}, {"timeInForce", "IOC"}}));
  EXPECT_EQ(t4, n4);
  EXPECT_EQ(of_kind(t4, EventKind::Trade).size(), 1u);

  // Cancel by order id, then everything left.
  const OrderId resting = accepted_id(n1);
  auto n5 = native.cancel("alice", resting);
  auto t5 = signed_text("alice", text_of("orderCancel", {{"symbol", "BTC_USDC"}, {"orderId", std::to_string(resting)}}));
  EXPECT_EQ(t5, n5);
  ASSERT_EQ(of_kind(t5, EventKind::OrderCancelled).size(), 1u);

  native.order("alice", Side::Sell, px(1'000'100), lots(1));
  native.order("alice", Side::Sell, 100 * kUsdc, 1'000'000'000, TimeInForce::GTC, kSol);  // other market: stays
  signed_text("alice", text_of("orderExecute", order_text(px(1'000'100), lots(1)).params(Side::Sell)));
  signed_text("alice", text_of("orderExecute", {{"symbol", "SOL_USDC"}, {"side", "Ask"}, {"orderType", "Limit"},
                                                {"price", "100"}, {"quantity", "1"}}));
  expect_same_state();
  auto n6 = native.run(native.key("alice"), CancelAll{native.id("alice"), kBtc});
  auto t6 = signed_text("alice", text_of("orderCancelAll", {{"symbol", "BTC_USDC"}}));
  EXPECT_EQ(t6, n6);
  EXPECT_EQ(of_kind(t6, EventKind::OrderCancelled).size(), 1u);
  EXPECT_EQ(text.engine().book(kSol).order_count(), 1u);
  expect_same_state();
}

TEST_F(SignedRequests, BatchAppliesEachOrderAndRejectsOnlyTheBadOne) {
  // The middle order is not on the tick grid: refused by the engine, not by the translation.
  const OrderText a = order_text(px(999'000), lots(2), 1), b = order_text(px(999'000) + 50'000, lots(2), 2),
                  c = order_text(px(999'001), lots(3), 3);  // the params below view these strings
  const std::vector<std::vector<TextParam>> orders = {a.params(Side::Buy), b.params(Side::Buy), c.params(Side::Buy)};
  auto ev = signed_text("bob", build_batch_text("orderExecute", orders, kSignedAtMs, 5000));
  ASSERT_EQ(ev.size(), 5u);
  EXPECT_EQ(ev[0].kind, EventKind::OrderAccepted);
  EXPECT_EQ(ev[0].client_id, 1u);
  EXPECT_EQ(ev[1].kind, EventKind::OrderRested);
  EXPECT_EQ(ev[2].kind, EventKind::Rejected);
  EXPECT_EQ(ev[2].error, Error::PriceNotTickMultiple);
  EXPECT_EQ(ev[2].market, kBtc);
  EXPECT_EQ(ev[2].client_id, 2u);
  EXPECT_EQ(ev[2].account, text.id("bob"));
  EXPECT_NE(text.engine().last_error().find("is not a multiple of the tick size"), std::string::npos) << text.engine().last_error();
  EXPECT_EQ(ev[2].message, text.engine().last_error());  // the refusal carries its own message
  EXPECT_EQ(ev[3].kind, EventKind::OrderAccepted);
  EXPECT_EQ(ev[3].client_id, 3u);
  EXPECT_EQ(ev[4].kind, EventKind::OrderRested);

  // The same as the two good orders sent alone.
  native.order("bob", Side::Buy, px(999'000), lots(2), TimeInForce::GTC, kBtc, 1);
  native.run(native.key("bob"), PlaceOrder{native.id("bob"), kBtc, Side::Buy, OrderType::Limit, TimeInForce::GTC,
                                           Stp::CancelNewest, px(999'000) + 50'000, lots(2), 2});  // refused, changes nothing
  native.order("bob", Side::Buy, px(999'001), lots(3), TimeInForce::GTC, kBtc, 3);
  expect_same_state();
}

TEST_F(SignedRequests, BatchOrdersTradeAndFailOnFunds) {
  text.order("alice", Side::Sell, px(1'000'000), lots(5));
  // Bob buys twice, then tries to sell more BTC than he has, then a duplicate client id.
  const OrderText a = order_text(px(1'000'000), lots(2), 9), b = order_text(px(1'000'000), lots(3)),
                  c = order_text(px(2'000'000), 11 * kBtcUnit), d = order_text(px(900'000), lots(1), 9);
  const std::vector<std::vector<TextParam>> orders = {a.params(Side::Buy), b.params(Side::Buy), c.params(Side::Sell),
                                                      d.params(Side::Buy), d.params(Side::Buy)};
  auto ev = signed_text("bob", build_batch_text("orderExecute", orders, kSignedAtMs, 5000));
  std::vector<EventKind> firsts;
  std::vector<Error> errors;
  for (const Event& e : ev) {
    if (e.kind == EventKind::OrderAccepted || e.kind == EventKind::Rejected) firsts.push_back(e.kind);
    if (e.kind == EventKind::Rejected) errors.push_back(e.error);
  }
  EXPECT_EQ(firsts, (std::vector<EventKind>{EventKind::OrderAccepted, EventKind::OrderAccepted, EventKind::Rejected,
                                            EventKind::OrderAccepted, EventKind::Rejected}));
  EXPECT_EQ(errors, (std::vector<Error>{Error::InsufficientFunds, Error::DuplicateClientOrderId}));
  EXPECT_EQ(of_kind(ev, EventKind::Trade).size(), 2u);
  int64_t fees = 0;
  for (const Event& e : of_kind(ev, EventKind::Trade)) fees += e.taker_fee;
  EXPECT_GT(fees, 0);
  EXPECT_EQ(text.balance("bob", BTC).total, 10 * kBtcUnit + lots(5) - fees);
  EXPECT_TRUE(text.engine().check_invariants().is_ok());
}

TEST_F(SignedRequests, RefusedAsAWhole) {
  auto refused = [&](const std::string& name, std::string t, Error code, std::string_view why) {
    const crypto::Digest before = text.engine().state_root();
    auto ev = signed_text(name, std::move(t));
    EXPECT_EQ(rejection(ev), code);
    EXPECT_NE(text.engine().last_error().find(why), std::string::npos) << text.engine().last_error();
    EXPECT_EQ(text.engine().state_root(), before);
  };
  const OrderText o = order_text(px(1'000'000), lots(1));
  refused("bob", text_of("orderExecute", o.params(Side::Buy, "foo", "1")), Error::InvalidArgument, "unknown field foo");
  refused("bob", text_of("orderExecute", o.params(Side::Buy, "reduceOnly", "true")), Error::InvalidArgument,
          "reduceOnly is not supported on spot markets");
  refused("bob", text_of("balanceQuery", {}), Error::InvalidArgument, "balanceQuery does not change state");
  refused("bob", "instruction=orderExecute&side=Bid&price=1&timestamp=1&window=1", Error::InvalidArgument, "out of order");
  refused("nobody", text_of("orderExecute", o.params(Side::Buy)), Error::UnknownAccount, "no account for this key");
  refused("bob", text_of("orderCancel", {{"symbol", "BTC_USDC"}, {"orderId", "12345"}}), Error::OrderNotFound, "no open order");
  // One untranslatable order refuses the whole batch.
  const std::vector<std::vector<TextParam>> batch = {o.params(Side::Buy), o.params(Side::Buy, "triggerBy", "MarkPrice")};
  refused("bob", build_batch_text("orderExecute", batch, kSignedAtMs, 5000), Error::InvalidArgument,
          "order 1: triggerBy needs triggerPrice");
}

TEST_F(SignedRequests, ExpiresWhenSequencedAfterItsWindow) {
  Engine& e = text.engine();
  const crypto::KeyPair& bob = text.key("bob");
  SeqNo seq = e.last_seq();
  auto apply_at = [&](Timestamp ts, std::string t) {
    Command c;
    c.seq = ++seq;
    c.timestamp = ts;
    c.signer = bob.public_key();
    c.body = SignedRequest{std::move(t)};
    auto ev = e.apply(c);
    return std::vector<Event>(ev.begin(), ev.end());
  };
  const OrderText o = order_text(px(1'000'000), lots(1)), o2 = order_text(px(1'000'000), lots(1), 2);
  const int64_t window = 5000;
  const Timestamp closes = (kSignedAtMs + window) * 1000;
  ASSERT_GE(closes - 1, e.last_timestamp());
  EXPECT_EQ(of_kind(apply_at(closes - 1, text_of("orderExecute", o.params(Side::Buy), window)), EventKind::OrderAccepted).size(), 1u);
  EXPECT_EQ(of_kind(apply_at(closes, text_of("orderExecute", o2.params(Side::Buy), window)), EventKind::OrderAccepted).size(), 1u);
  auto late = apply_at(closes + 1, text_of("orderExecute", order_text(px(1'000'000), lots(1), 3).params(Side::Buy), window));
  EXPECT_EQ(rejection(late), Error::Expired);
  EXPECT_EQ(e.last_error(), "request expired: its window closed before it was sequenced");
  // A replay after the window is expired too, not a duplicate.
  EXPECT_EQ(rejection(apply_at(closes + 2, text_of("orderExecute", o.params(Side::Buy), window))), Error::Expired);
  // Cancels expire too; a far-future timestamp is refused (it would be remembered too long) and
  // does not overflow.
  EXPECT_EQ(rejection(apply_at(closes + 3, text_of("orderCancelAll", {{"symbol", "BTC_USDC"}}, window))), Error::Expired);
  EXPECT_EQ(rejection(apply_at(closes + 4, build_request_text("orderCancelAll", {{"symbol", "BTC_USDC"}}, INT64_MAX, 60000))),
            Error::Expired);
  EXPECT_NE(e.last_error().find("more than 60 s ahead of the sequencer's clock"), std::string::npos) << e.last_error();
  const int64_t ahead_ms = (closes + 5) / 1000 + kMaxRequestLeadMs;  // exactly the lead allowed
  EXPECT_EQ(rejection(apply_at(closes + 5, build_request_text("orderCancelAll", {{"symbol", "BTC_USDC"}}, ahead_ms, 60000))),
            Error::Ok);
  EXPECT_TRUE(e.check_invariants().is_ok());
}

TEST(SignedRequestCodec, SigningBytesAreTheTextAndDecodeBack) {
  const std::string t = build_request_text("orderCancel", {{"symbol", "SOL_USDC"}, {"orderId", "5"}}, kSignedAtMs, 5000);
  const CommandBody body = SignedRequest{t};
  EXPECT_EQ(body.index(), 8u);
  EXPECT_STREQ(command_name(body), "SignedRequest");
  EXPECT_EQ(signing_bytes(body), t);
  auto d = decode_body(t);
  ASSERT_TRUE(d.is_ok()) << d.status().to_string();
  ASSERT_TRUE(std::holds_alternative<SignedRequest>(*d));
  EXPECT_EQ(std::get<SignedRequest>(*d).text, t);

  // A signature over the text verifies as a command's.
  const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label("signed-request/codec"));
  const SignedCommand sc = sign_command(key, 1, 2, SignedRequest{t});
  EXPECT_TRUE(crypto::verify(key.public_key(), t, sc.signature));
  EXPECT_TRUE(verify_command(sc));

  // Texts the parser refuses are refused; native bodies still decode; the kind has no tagged form.
  for (std::string_view bad : {"instruction=", "instruction=orderExecute&timestamp=1&window=0",
                               "instruction=orderExecute&b=1&a=2&timestamp=1&window=1"}) {
    auto r = decode_body(bad);
    ASSERT_FALSE(r.is_ok()) << bad;
    EXPECT_EQ(r.code(), Error::InvalidArgument);
    EXPECT_NE(r.status().message().find("request text:"), std::string::npos) << r.status().message();
  }
  auto native = decode_body(signing_bytes(CancelAll{17, 1}));
  ASSERT_TRUE(native.is_ok());
  EXPECT_TRUE(std::holds_alternative<CancelAll>(*native));
  std::string tagged(kCommandDomainTag);
  tagged.push_back(8);
  tagged += t;
  auto r = decode_body(tagged);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("unknown kind 8"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace glassbook::engine::testing
