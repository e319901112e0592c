// translate_request turns every Backpack field into the engine's body fields and refuses the rest.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/request_translate.h"

namespace glassbook::engine {
namespace {

constexpr AccountId kAccount = 77;
constexpr MarketId kBtcUsdc = 0, kSolUsdc = 1;

const ExchangeConfig& config() {
  static const ExchangeConfig c = demo_config(crypto::PublicKey{});
  return c;
}

Result<std::vector<CommandBody>> translate(std::string_view text) {
  auto parsed = parse_request_text(text);
  EXPECT_TRUE(parsed.is_ok()) << text << ": " << parsed.status().to_string();
  if (!parsed) return parsed.status();
  return translate_request(*parsed, config(), kAccount);
}

Result<std::vector<CommandBody>> translate(std::string_view instruction, std::vector<TextParam> params) {
  return translate(build_request_text(instruction, std::move(params), 1'700'000'000'000, 5000));
}

// The single body of a translation that must succeed.
template <class T>
T one(std::string_view instruction, std::vector<TextParam> params) {
  auto r = translate(instruction, std::move(params));
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  if (!r || r->size() != 1 || !std::holds_alternative<T>(r->front())) {
    ADD_FAILURE() << "not one body of the expected kind";
    return T{};
  }
  return std::get<T>(r->front());
}

// A limit buy of 1 SOL at 100.5 USDC, with `extra` params added (or replacing same-named ones).
std::vector<TextParam> sol_order(std::vector<TextParam> extra = {}) {
  std::vector<TextParam> p = {{"orderType", "Limit"}, {"price", "100.5"}, {"quantity", "1"}, {"side", "Bid"}, {"symbol", "SOL_USDC"}};
  for (const TextParam& e : extra) {
    bool replaced = false;
    for (TextParam& q : p)
      if (q.key == e.key) q.value = e.value, replaced = true;
    if (!replaced) p.push_back(e);
  }
  return p;
}
std::vector<TextParam> without(std::vector<TextParam> p, std::string_view key) {
  std::erase_if(p, [&](const TextParam& q) { return q.key == key; });
  return p;
}

void expect_refused(std::string_view instruction, std::vector<TextParam> params, Error code, std::string_view why) {
  auto r = translate(instruction, std::move(params));
  ASSERT_FALSE(r.is_ok()) << "accepted: " << why;
  EXPECT_EQ(r.code(), code) << r.status().to_string();
  EXPECT_NE(r.status().message().find(why), std::string::npos) << r.status().message();
}

TEST(RequestTranslate, LimitOrderWithDefaults) {
  const PlaceOrder p = one<PlaceOrder>("orderExecute", sol_order());
  EXPECT_EQ(p.account, kAccount);
  EXPECT_EQ(p.market, kSolUsdc);
  EXPECT_EQ(p.side, Side::Buy);
  EXPECT_EQ(p.type, OrderType::Limit);
  EXPECT_EQ(p.tif, TimeInForce::GTC);
  EXPECT_EQ(p.stp, Stp::CancelNewest);
  EXPECT_EQ(p.price, 100'500'000);          // USDC has 6 decimals
  EXPECT_EQ(p.quantity, 1'000'000'000);     // SOL has 9
  EXPECT_EQ(p.client_id, 0u);
}

TEST(RequestTranslate, EveryOrderField) {
  const PlaceOrder p = one<PlaceOrder>(
      "orderExecute", {{"symbol", "BTC_USDC"}, {"side", "Ask"}, {"orderType", "Limit"}, {"price", "99999.9"},
                       {"quantity", "0.00001"}, {"timeInForce", "IOC"}, {"clientId", "4294967295"},
                       {"selfTradePrevention", "RejectBoth"}, {"reduceOnly", "false"}, {"autoLend", "false"},
                       {"autoLendRedeem", "false"}, {"autoBorrow", "false"}, {"autoBorrowRepay", "false"}});
  EXPECT_EQ(p.market, kBtcUsdc);
  EXPECT_EQ(p.side, Side::Sell);
  EXPECT_EQ(p.price, 99'999'900'000);
  EXPECT_EQ(p.quantity, 1'000);  // BTC has 8 decimals
  EXPECT_EQ(p.tif, TimeInForce::IOC);
  EXPECT_EQ(p.client_id, 4'294'967'295u);
  EXPECT_EQ(p.stp, Stp::CancelBoth);

  EXPECT_EQ(one<PlaceOrder>("orderExecute", sol_order({{"timeInForce", "FOK"}})).tif, TimeInForce::FOK);
  EXPECT_EQ(one<PlaceOrder>("orderExecute", sol_order({{"timeInForce", "GTC"}})).tif, TimeInForce::GTC);
  EXPECT_EQ(one<PlaceOrder>("orderExecute", sol_order({{"postOnly", "true"}})).tif, TimeInForce::PostOnly);
  EXPECT_EQ(one<PlaceOrder>("orderExecute", sol_order({{"postOnly", "true"}, {"timeInForce", "GTC"}})).tif, TimeInForce::PostOnly);
  EXPECT_EQ(one<PlaceOrder>("orderExecute", sol_order({{"postOnly", "false"}, {"timeInForce", "IOC"}})).tif, TimeInForce::IOC);
  EXPECT_EQ(one<PlaceOrder>("orderExecute", sol_order({{"selfTradePrevention", "RejectTaker"}})).stp, Stp::CancelNewest);
  EXPECT_EQ(one<PlaceOrder>("orderExecute", sol_order({{"selfTradePrevention", "RejectMaker"}})).stp, Stp::CancelOldest);
  EXPECT_EQ(one<PlaceOrder>("orderExecute", sol_order({{"clientId", "1"}})).client_id, 1u);
  // Trailing zeros beyond the asset's decimals are the same amount.
  EXPECT_EQ(one<PlaceOrder>("orderExecute", sol_order({{"price", "100.5000000000"}})).price, 100'500'000);
}

TEST(RequestTranslate, MarketOrders) {
  const PlaceOrder m = one<PlaceOrder>("orderExecute", {{"symbol", "SOL_USDC"}, {"side", "Ask"}, {"orderType", "Market"}, {"quantity", "2.5"}});
  EXPECT_EQ(m.type, OrderType::Market);
  EXPECT_EQ(m.price, 0);  // no protection limit: the engine derives one
  EXPECT_EQ(m.quantity, 2'500'000'000);
  const PlaceOrder limited = one<PlaceOrder>("orderExecute", sol_order({{"orderType", "Market"}, {"price", "90"}}));
  EXPECT_EQ(limited.price, 90'000'000);
  EXPECT_EQ(limited.type, OrderType::Market);
}

TEST(RequestTranslate, RefusesMissingAndBadOrderFields) {
  const auto e = Error::InvalidArgument;
  expect_refused("orderExecute", without(sol_order(), "symbol"), e, "missing field symbol");
  expect_refused("orderExecute", without(sol_order(), "side"), e, "missing field side");
  expect_refused("orderExecute", without(sol_order(), "orderType"), e, "missing field orderType");
  expect_refused("orderExecute", without(sol_order(), "quantity"), e, "missing field quantity");
  expect_refused("orderExecute", without(sol_order(), "price"), e, "missing field price");
  expect_refused("orderExecute", sol_order({{"symbol", "DOGE_USDC"}}), Error::UnknownMarket, "unknown market DOGE_USDC");
  expect_refused("orderExecute", sol_order({{"symbol", "sol_usdc"}}), Error::UnknownMarket, "unknown market sol_usdc");
  expect_refused("orderExecute", sol_order({{"side", "Buy"}}), e, "side Buy must be Bid or Ask");
  expect_refused("orderExecute", sol_order({{"orderType", "StopLimit"}}), e, "orderType StopLimit must be Limit or Market");
  expect_refused("orderExecute", sol_order({{"timeInForce", "GTD"}}), e, "timeInForce GTD must be GTC, IOC or FOK");
  expect_refused("orderExecute", sol_order({{"postOnly", "yes"}}), e, "postOnly yes must be true or false");
  expect_refused("orderExecute", sol_order({{"postOnly", "true"}, {"timeInForce", "IOC"}}), e, "postOnly cannot be used with timeInForce IOC");
  expect_refused("orderExecute", sol_order({{"postOnly", "true"}, {"timeInForce", "FOK"}}), e, "postOnly cannot be used with timeInForce FOK");
  expect_refused("orderExecute", sol_order({{"postOnly", "true"}, {"orderType", "Market"}}), e, "postOnly cannot be used with a Market order");
  expect_refused("orderExecute", sol_order({{"selfTradePrevention", "Allow"}}), e, "selfTradePrevention Allow must be");
  for (std::string_view id : {"0", "4294967296", "01", "-1", "1.0", "x"})
    expect_refused("orderExecute", sol_order({{"clientId", id}}), e, "must be an integer in 1..4294967295");
}

TEST(RequestTranslate, RefusesBadAmounts) {
  expect_refused("orderExecute", sol_order({{"quantity", "0.0000000001"}}), Error::InvalidQuantity,
                 "quantity 0.0000000001: too many decimals (at most 9) (a decimal with at most 9 decimals)");
  expect_refused("orderExecute", sol_order({{"quantity", "abc"}}), Error::InvalidQuantity, "at most 9 decimals");
  expect_refused("orderExecute", sol_order({{"quantity", "1."}}), Error::InvalidQuantity, "quantity 1.");
  expect_refused("orderExecute", sol_order({{"quantity", "-1"}}), Error::InvalidQuantity, "quantity -1");
  expect_refused("orderExecute", sol_order({{"quantity", "99999999999"}}), Error::InvalidQuantity, "out of range");
  expect_refused("orderExecute", sol_order({{"quantity", "0"}}), Error::InvalidQuantity, "quantity must be positive");
  expect_refused("orderExecute", sol_order({{"quantity", "0.000"}}), Error::InvalidQuantity, "quantity must be positive");
  expect_refused("orderExecute", sol_order({{"price", "100.0000001"}}), Error::InvalidPrice, "price 100.0000001: too many decimals (at most 6)");
  expect_refused("orderExecute", sol_order({{"price", "1e3"}}), Error::InvalidPrice, "at most 6 decimals");
  expect_refused("orderExecute", sol_order({{"price", "0"}}), Error::InvalidPrice, "price must be positive");
  expect_refused("orderExecute", sol_order({{"orderType", "Market"}, {"price", "0"}}), Error::InvalidPrice, "price must be positive");
  // BTC has 8 decimals: 9 are too many there, not on SOL.
  expect_refused("orderExecute", sol_order({{"symbol", "BTC_USDC"}, {"quantity", "0.000000001"}}), Error::InvalidQuantity, "at most 8");
}

TEST(RequestTranslate, RefusesUnsupportedAndUnknownFields) {
  for (std::string_view flag : {"reduceOnly", "autoLend", "autoLendRedeem", "autoBorrow", "autoBorrowRepay"}) {
    expect_refused("orderExecute", sol_order({{flag, "true"}}), Error::InvalidArgument,
                   std::string(flag) + " is not supported on spot markets");
    expect_refused("orderExecute", sol_order({{flag, "False"}}), Error::InvalidArgument, std::string(flag) + " must be true or false");
  }
  expect_refused("orderExecute", sol_order({{"foo", "1"}}), Error::InvalidArgument, "unknown field foo");
  expect_refused("orderExecute", sol_order({{"orderId", "1"}}), Error::InvalidArgument, "unknown field orderId");
}

TEST(RequestTranslate, MarketOrdersByQuoteQuantity) {
  const PlaceOrder p = one<PlaceOrder>("orderExecute", without(without(sol_order({{"orderType", "Market"}, {"quoteQuantity", "12.5"}}), "quantity"), "price"));
  EXPECT_EQ(p.type, OrderType::Market);
  EXPECT_EQ(p.quantity, 0);
  EXPECT_EQ(p.quote_quantity, 12'500'000);  // USDC has 6 decimals
  expect_refused("orderExecute", without(sol_order({{"quoteQuantity", "12.5"}}), "quantity"), Error::InvalidArgument,
                 "quoteQuantity is for Market orders only");
  expect_refused("orderExecute", without(sol_order({{"orderType", "Market"}, {"quoteQuantity", "12.5"}}), "price"), Error::InvalidArgument,
                 "give quantity or quoteQuantity, not both");
  expect_refused("orderExecute", without(without(sol_order({{"orderType", "Market"}, {"quoteQuantity", "0.0000001"}}), "quantity"), "price"),
                 Error::InvalidQuantity, "quoteQuantity 0.0000001");
  expect_refused("orderExecute", without(without(sol_order({{"orderType", "Market"}}), "quantity"), "price"), Error::InvalidArgument,
                 "missing field quantity (or quoteQuantity)");
}

TEST(RequestTranslate, Cancels) {
  const CancelOrder by_id = one<CancelOrder>("orderCancel", {{"symbol", "SOL_USDC"}, {"orderId", "18446744073709551615"}});
  EXPECT_EQ(by_id.account, kAccount);
  EXPECT_EQ(by_id.market, kSolUsdc);
  EXPECT_EQ(by_id.order_id, UINT64_MAX);
  EXPECT_EQ(by_id.client_id, 0u);
  const CancelOrder by_client = one<CancelOrder>("orderCancel", {{"symbol", "BTC_USDC"}, {"clientId", "12"}});
  EXPECT_EQ(by_client.market, kBtcUsdc);
  EXPECT_EQ(by_client.order_id, 0u);
  EXPECT_EQ(by_client.client_id, 12u);
  const CancelAll all = one<CancelAll>("orderCancelAll", {{"symbol", "SOL_USDC"}});
  EXPECT_EQ(all.account, kAccount);
  EXPECT_EQ(all.market, kSolUsdc);

  const auto e = Error::InvalidArgument;
  expect_refused("orderCancel", {{"symbol", "SOL_USDC"}}, e, "missing field orderId or clientId");
  expect_refused("orderCancel", {{"symbol", "SOL_USDC"}, {"orderId", "1"}, {"clientId", "1"}}, e, "not both");
  expect_refused("orderCancel", {{"orderId", "1"}}, e, "missing field symbol");
  expect_refused("orderCancel", {{"symbol", "X_Y"}, {"orderId", "1"}}, Error::UnknownMarket, "unknown market X_Y");
  for (std::string_view id : {"0", "18446744073709551616", "007", "1.5"})
    expect_refused("orderCancel", {{"symbol", "SOL_USDC"}, {"orderId", id}}, e, "must be an integer in 1..18446744073709551615");
  expect_refused("orderCancel", {{"symbol", "SOL_USDC"}, {"clientId", "0"}}, e, "must be an integer in 1..4294967295");
  expect_refused("orderCancel", {{"symbol", "SOL_USDC"}, {"orderId", "1"}, {"side", "Bid"}}, e, "unknown field side");
  expect_refused("orderCancelAll", {}, e, "missing field symbol");
  expect_refused("orderCancelAll", {{"symbol", "SOL_USDC"}, {"orderType", "Limit"}}, e, "unknown field orderType");
  expect_refused("orderCancelAll", {{"symbol", "DOGE_USDC"}}, Error::UnknownMarket, "unknown market DOGE_USDC");
  // No margin-flag leniency outside orderExecute.
  expect_refused("orderCancelAll", {{"symbol", "SOL_USDC"}, {"reduceOnly", "false"}}, e, "unknown field reduceOnly");
}

TEST(RequestTranslate, QueriesDoNotChangeState) {
  for (std::string_view name : {"balanceQuery", "orderQuery", "orderQueryAll", "orderHistoryQueryAll", "fillHistoryQueryAll",
                                "depositQueryAll", "withdrawalQueryAll", "subscribe"})
    expect_refused(name, {{"symbol", "SOL_USDC"}}, Error::InvalidArgument, std::string(name) + " does not change state");
}

TEST(RequestTranslate, Batches) {
  const std::vector<std::vector<TextParam>> orders = {sol_order({{"clientId", "1"}}), sol_order({{"side", "Ask"}, {"price", "101"}}),
                                                      sol_order({{"symbol", "BTC_USDC"}, {"price", "100000"}})};
  const std::string text = build_batch_text("orderExecute", orders, 1, 5000);
  auto r = translate(text);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ(std::get<PlaceOrder>((*r)[0]).client_id, 1u);
  EXPECT_EQ(std::get<PlaceOrder>((*r)[1]).side, Side::Sell);
  EXPECT_EQ(std::get<PlaceOrder>((*r)[2]).market, kBtcUsdc);
  for (const auto& b : *r) EXPECT_EQ(std::get<PlaceOrder>(b).account, kAccount);

  // One untranslatable order refuses the whole batch, naming it.
  const std::vector<std::vector<TextParam>> bad = {sol_order(), sol_order({{"quantity", "0"}})};
  auto refused = translate(build_batch_text("orderExecute", bad, 1, 5000));
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.code(), Error::InvalidQuantity);
  EXPECT_EQ(refused.status().message(), "order 1: quantity must be positive");

  // A hand-made RequestText is held to the same batch rule as the parser's.
  RequestText mixed;
  mixed.instructions = {{"orderExecute", {}}, {"orderCancelAll", {{"symbol", "SOL_USDC"}}}};
  auto m = translate_request(mixed, config(), kAccount);
  ASSERT_FALSE(m.is_ok());
  EXPECT_NE(m.status().message().find("only orderExecute may be batched"), std::string::npos);
  EXPECT_FALSE(translate_request(RequestText{}, config(), kAccount).is_ok());
}

}  // namespace
}  // namespace glassbook::engine

namespace glassbook::engine {
namespace {

TEST(RequestTranslateTrigger, TriggerPriceWithTriggerQuantityOrQuantity) {
  // What ccxt sends for a trigger order: triggerQuantity in place of quantity.
  PlaceOrder p = one<PlaceOrder>("orderExecute", without(sol_order({{"triggerPrice", "99.5"}, {"triggerQuantity", "2"}}), "quantity"));
  EXPECT_EQ(p.trigger_price, 99'500'000);
  EXPECT_EQ(p.trigger_by, TriggerBy::LastPrice);
  EXPECT_EQ(p.quantity, 2'000'000'000);
  EXPECT_EQ(p.price, 100'500'000);
  p = one<PlaceOrder>("orderExecute", sol_order({{"triggerPrice", "99.5"}, {"triggerBy", "MarkPrice"}}));
  EXPECT_EQ(p.trigger_by, TriggerBy::MarkPrice);
  EXPECT_EQ(p.quantity, 1'000'000'000);
  p = one<PlaceOrder>("orderExecute", without(sol_order({{"orderType", "Market"}, {"triggerPrice", "99.5"}}), "price"));
  EXPECT_EQ(p.type, OrderType::Market);
  EXPECT_EQ(p.trigger_price, 99'500'000);
}

TEST(RequestTranslateTrigger, RefusesWhatATriggerOrderCannotBe) {
  expect_refused("orderExecute", sol_order({{"triggerPrice", "99.5"}, {"triggerQuantity", "2"}}), Error::InvalidArgument,
                 "give quantity or triggerQuantity, not both");
  expect_refused("orderExecute", sol_order({{"triggerQuantity", "2"}}), Error::InvalidArgument, "triggerQuantity needs triggerPrice");
  expect_refused("orderExecute", sol_order({{"triggerBy", "LastPrice"}}), Error::InvalidArgument, "triggerBy needs triggerPrice");
  expect_refused("orderExecute", sol_order({{"triggerPrice", "99.5"}, {"triggerBy", "IndexPrice"}}), Error::InvalidArgument,
                 "triggerBy IndexPrice must be LastPrice or MarkPrice");
  expect_refused("orderExecute", sol_order({{"triggerPrice", "-1"}}), Error::InvalidPrice, "triggerPrice");
  expect_refused("orderExecute", sol_order({{"triggerPrice", "99.1234567"}}), Error::InvalidPrice, "triggerPrice");
  expect_refused("orderExecute",
                 without(without(sol_order({{"orderType", "Market"}, {"triggerPrice", "99.5"}, {"quoteQuantity", "5"}}), "quantity"), "price"),
                 Error::InvalidArgument, "a trigger order gives quantity or triggerQuantity, not quoteQuantity");
}

TEST(RequestTranslateTrigger, TakeProfitAndStopLossAsCcxtSendsThem) {
  const PlaceOrder p = one<PlaceOrder>("orderExecute", sol_order({{"takeProfitTriggerPrice", "110"}, {"takeProfitLimitPrice", "109.5"},
                                                                  {"stopLossTriggerPrice", "95"}, {"stopLossTriggerBy", "MarkPrice"}}));
  EXPECT_EQ(p.take_profit_trigger, 110'000'000);
  EXPECT_EQ(p.take_profit_limit, 109'500'000);
  EXPECT_EQ(p.take_profit_by, TriggerBy::LastPrice);
  EXPECT_EQ(p.stop_loss_trigger, 95'000'000);
  EXPECT_EQ(p.stop_loss_limit, 0);
  EXPECT_EQ(p.stop_loss_by, TriggerBy::MarkPrice);
  expect_refused("orderExecute", sol_order({{"stopLossLimitPrice", "95"}}), Error::InvalidArgument, "stopLossLimitPrice needs stopLossTriggerPrice");
  expect_refused("orderExecute", sol_order({{"takeProfitTriggerBy", "MarkPrice"}}), Error::InvalidArgument,
                 "takeProfitTriggerBy needs takeProfitTriggerPrice");
  expect_refused("orderExecute", sol_order({{"takeProfitTriggerPrice", "0"}}), Error::InvalidPrice, "takeProfitTriggerPrice must be positive");
  expect_refused("orderExecute", sol_order({{"stopLossTriggerPrice", "95"}, {"stopLossTriggerBy", "Index"}}), Error::InvalidArgument,
                 "stopLossTriggerBy Index must be LastPrice or MarkPrice");
  expect_refused("orderExecute", sol_order({{"triggerPrice", "99"}, {"stopLossTriggerPrice", "95"}}), Error::InvalidArgument,
                 "a trigger order cannot carry a take-profit or stop-loss");
}

}  // namespace
}  // namespace glassbook::engine

namespace glassbook::engine {
namespace {

TEST(RequestTranslate, WithdrawalAddressAddPutsTheAddressOnTheSignersAllowList) {
  const auto a = one<AddWithdrawalAddress>("withdrawalAddressAdd", {{"address", "ab12cd"}, {"blockchain", "sim"}});
  EXPECT_EQ(a.account, kAccount);
  EXPECT_EQ(a.address, "ab12cd");
  const Error e = Error::InvalidArgument;
  expect_refused("withdrawalAddressAdd", {{"blockchain", "sim"}}, e, "missing field address");
  expect_refused("withdrawalAddressAdd", {{"address", "ab12cd"}}, e, "missing field blockchain");
  expect_refused("withdrawalAddressAdd", {{"address", "ab12cd"}, {"blockchain", "sim"}, {"symbol", "BTC"}}, e, "unknown field symbol");
  expect_refused("withdrawalAddressAdd", {{"address", "ab12cd"}, {"blockchain", std::string(33, 'x')}}, e,
                 "blockchain has 33 characters (at most 32)");
}

}  // namespace
}  // namespace glassbook::engine
