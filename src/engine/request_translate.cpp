// Translation of Backpack request instructions into PlaceOrder, CancelOrder and CancelAll bodies.
#include "engine/request_translate.h"

#include <fmt/format.h>

#include "core/assert.h"
#include <charconv>
#include <optional>
#include <span>
#include <string_view>

#include "core/decimal.h"

namespace glassbook::engine {

namespace {

Status bad(std::string message) { return Status(Error::InvalidArgument, std::move(message)); }

// The raw values of the fields an instruction may carry (empty: absent). They are gathered before
// any is interpreted because the market, found by symbol, decides the scale of the amounts.
struct Fields {
  std::string_view symbol, side, order_type, quantity, quote_quantity, price, time_in_force, post_only, client_id, stp, order_id;
  std::string_view trigger_price, trigger_quantity, trigger_by;
  std::string_view take_profit_trigger, take_profit_limit, take_profit_by, stop_loss_trigger, stop_loss_limit, stop_loss_by;
  std::string_view address, blockchain, two_factor_token;
};

struct Binding {
  std::string_view key;
  std::string_view Fields::*field;
};

constexpr Binding kOrderExecuteKeys[] = {
    {"clientId", &Fields::client_id}, {"orderType", &Fields::order_type}, {"postOnly", &Fields::post_only},
    {"price", &Fields::price},        {"quantity", &Fields::quantity},    {"quoteQuantity", &Fields::quote_quantity},
    {"selfTradePrevention", &Fields::stp}, {"side", &Fields::side},      {"symbol", &Fields::symbol},
    {"stopLossLimitPrice", &Fields::stop_loss_limit}, {"stopLossTriggerBy", &Fields::stop_loss_by},
    {"stopLossTriggerPrice", &Fields::stop_loss_trigger}, {"takeProfitLimitPrice", &Fields::take_profit_limit},
    {"takeProfitTriggerBy", &Fields::take_profit_by}, {"takeProfitTriggerPrice", &Fields::take_profit_trigger},
    {"timeInForce", &Fields::time_in_force}, {"triggerBy", &Fields::trigger_by}, {"triggerPrice", &Fields::trigger_price},
    {"triggerQuantity", &Fields::trigger_quantity}};
constexpr Binding kOrderCancelKeys[] = {
    {"clientId", &Fields::client_id}, {"orderId", &Fields::order_id}, {"symbol", &Fields::symbol}};
constexpr Binding kOrderCancelAllKeys[] = {{"symbol", &Fields::symbol}};
constexpr Binding kWithdrawKeys[] = {{"address", &Fields::address},   {"blockchain", &Fields::blockchain},
                                     {"clientId", &Fields::client_id}, {"quantity", &Fields::quantity},
                                     {"symbol", &Fields::symbol},      {"twoFactorToken", &Fields::two_factor_token}};
constexpr Binding kWithdrawalAddressAddKeys[] = {{"address", &Fields::address}, {"blockchain", &Fields::blockchain}};
constexpr Binding kWithdrawalAddressRemoveKeys[] = {{"address", &Fields::address}};
// Flags of Backpack's withdraw that borrow or redeem lent funds: accepted only when they ask for nothing.
constexpr std::string_view kWithdrawFlags[] = {"autoBorrow", "autoLendRedeem"};

// Flags of margin trading: accepted only when they ask for nothing.
constexpr std::string_view kSpotOnlyFlags[] = {"autoBorrow", "autoBorrowRepay", "autoLend", "autoLendRedeem", "reduceOnly"};

bool contains(std::span<const std::string_view> list, std::string_view key) {
  for (std::string_view k : list)
    if (k == key) return true;
  return false;
}

// Fills `f` from the params; refuses unknown, unsupported and repeated keys. `order`: the keys of
// orderExecute that are refused with a specific reason apply.
Status gather(const TextInstruction& in, std::span<const Binding> keys, bool order, Fields& f) {
  for (const TextParam& p : in.params) {
    const Binding* bound = nullptr;
    for (const Binding& b : keys)
      if (b.key == p.key) bound = &b;
    if (bound != nullptr) {
      if (!(f.*bound->field).empty()) return bad(fmt::format("duplicate field {}", p.key));
      f.*bound->field = p.value;
      continue;
    }
    if (order && contains(kSpotOnlyFlags, p.key)) {
      if (p.value == "false") continue;
      if (p.value == "true") return bad(fmt::format("{} is not supported on spot markets", p.key));
      return bad(fmt::format("{} must be true or false", p.key));
    }
    return bad(fmt::format("unknown field {}", p.key));
  }
  return Status::ok();
}

Result<MarketId> market_by_symbol(const ExchangeConfig& config, std::string_view symbol) {
  if (symbol.empty()) return bad("missing field symbol");
  for (size_t i = 0; i < config.markets.size(); ++i)
    if (config.markets[i].symbol == symbol) return static_cast<MarketId>(i);
  return Status(Error::UnknownMarket, fmt::format("unknown market {}", symbol));
}

// A positive amount with at most `decimals` decimals; `code` for every refusal.
Result<int64_t> amount(std::string_view field, std::string_view text, int decimals, Error code) {
  auto v = parse_decimal(text, decimals);
  if (!v)
    return Status(code, fmt::format("{} {}: {} (a decimal with at most {} decimals)", field, text, v.status().message(), decimals));
  if (*v <= 0) return Status(code, fmt::format("{} must be positive", field));
  return v;
}

// A share of a position, "P%" with P a decimal above 0 and at most 100 with at most 2 decimals, in
// basis points.
Result<uint16_t> share_bps(std::string_view text) {
  const std::string_view percent = text.substr(0, text.size() - 1);
  auto v = parse_decimal(percent, 2);
  if (!v || *v <= 0 || *v > 10000)
    return Status(Error::InvalidQuantity,
                  fmt::format("triggerQuantity {}: a share of the position must be above 0% and at most 100%, with at most 2 decimals", text));
  return static_cast<uint16_t>(*v);
}

// A canonical decimal integer in 1..max (digits only, no leading zero); 0 when it is not one.
uint64_t positive_integer(std::string_view s, uint64_t max) {
  if (s.empty() || s[0] == '0') return 0;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v > max) return 0;
  return v;
}

Result<uint32_t> client_id_of(std::string_view text) {
  const uint64_t v = positive_integer(text, UINT32_MAX);
  if (v == 0) return bad(fmt::format("clientId {} must be an integer in 1..{}", text, UINT32_MAX));
  return static_cast<uint32_t>(v);
}

Result<CommandBody> place_order(const TextInstruction& in, const ExchangeConfig& config, AccountId account) {
  Fields f;
  if (auto s = gather(in, kOrderExecuteKeys, true, f); !s) return s;
  auto market = market_by_symbol(config, f.symbol);
  if (!market) return market.status();
  const MarketConfig& mc = config.markets[*market];
  GB_ASSERT(mc.base < config.assets.size() && mc.quote < config.assets.size());  // a validated configuration
  PlaceOrder p;
  p.account = account;
  p.market = *market;

  if (f.side.empty()) return bad("missing field side");
  if (f.side == "Bid") {
    p.side = Side::Buy;
  } else if (f.side == "Ask") {
    p.side = Side::Sell;
  } else {
    return bad(fmt::format("side {} must be Bid or Ask", f.side));
  }

  if (f.order_type.empty()) return bad("missing field orderType");
  if (f.order_type == "Limit") {
    p.type = OrderType::Limit;
  } else if (f.order_type == "Market") {
    p.type = OrderType::Market;
  } else {
    return bad(fmt::format("orderType {} must be Limit or Market", f.order_type));
  }

  // A trigger order: its size is triggerQuantity (what ccxt sends) or quantity, and it fires when the
  // price triggerBy names (LastPrice unless given) reaches triggerPrice.
  if (!f.trigger_price.empty()) {
    auto trigger = amount("triggerPrice", f.trigger_price, config.assets[mc.quote].decimals, Error::InvalidPrice);
    if (!trigger) return trigger.status();
    p.trigger_price = *trigger;
    if (!f.trigger_quantity.empty()) {
      if (!f.quantity.empty()) return bad("give quantity or triggerQuantity, not both");
      if (f.trigger_quantity.back() == '%') {
        auto share = share_bps(f.trigger_quantity);
        if (!share) return share.status();
        p.quantity_share_bps = *share;
      } else {
        f.quantity = f.trigger_quantity;
      }
    }
    if (!f.quote_quantity.empty()) return bad("a trigger order gives quantity or triggerQuantity, not quoteQuantity");
    if (f.trigger_by == "MarkPrice") {
      p.trigger_by = TriggerBy::MarkPrice;
    } else if (!f.trigger_by.empty() && f.trigger_by != "LastPrice") {
      return bad(fmt::format("triggerBy {} must be LastPrice or MarkPrice", f.trigger_by));
    }
  } else if (!f.trigger_quantity.empty() || !f.trigger_by.empty()) {
    return bad(fmt::format("{} needs triggerPrice", f.trigger_quantity.empty() ? "triggerBy" : "triggerQuantity"));
  }

  // Take-profit and stop-loss: trigger prices, optional limit prices (none: a market order), sources.
  struct Leg {
    std::string_view trigger, limit, by;
    const char* name;
    int64_t* trigger_out;
    int64_t* limit_out;
    TriggerBy* by_out;
  };
  const Leg legs[] = {{f.take_profit_trigger, f.take_profit_limit, f.take_profit_by, "takeProfit", &p.take_profit_trigger,
                       &p.take_profit_limit, &p.take_profit_by},
                      {f.stop_loss_trigger, f.stop_loss_limit, f.stop_loss_by, "stopLoss", &p.stop_loss_trigger, &p.stop_loss_limit,
                       &p.stop_loss_by}};
  for (const Leg& leg : legs) {
    if (leg.trigger.empty()) {
      if (!leg.limit.empty() || !leg.by.empty())
        return bad(fmt::format("{}{} needs {}TriggerPrice", leg.name, leg.limit.empty() ? "TriggerBy" : "LimitPrice", leg.name));
      continue;
    }
    auto trigger = amount(fmt::format("{}TriggerPrice", leg.name), leg.trigger, config.assets[mc.quote].decimals, Error::InvalidPrice);
    if (!trigger) return trigger.status();
    *leg.trigger_out = *trigger;
    if (!leg.limit.empty()) {
      auto limit = amount(fmt::format("{}LimitPrice", leg.name), leg.limit, config.assets[mc.quote].decimals, Error::InvalidPrice);
      if (!limit) return limit.status();
      *leg.limit_out = *limit;
    }
    if (leg.by == "MarkPrice") {
      *leg.by_out = TriggerBy::MarkPrice;
    } else if (!leg.by.empty() && leg.by != "LastPrice") {
      return bad(fmt::format("{}TriggerBy {} must be LastPrice or MarkPrice", leg.name, leg.by));
    }
  }
  if (p.trigger_price != 0 && (p.take_profit_trigger != 0 || p.stop_loss_trigger != 0))
    return bad("a trigger order cannot carry a take-profit or stop-loss");

  if (!f.quote_quantity.empty()) {
    if (p.type != OrderType::Market) return bad("quoteQuantity is for Market orders only (a Limit order gives quantity)");
    if (!f.quantity.empty()) return bad("give quantity or quoteQuantity, not both");
    auto quote = amount("quoteQuantity", f.quote_quantity, config.assets[mc.quote].decimals, Error::InvalidQuantity);
    if (!quote) return quote.status();
    p.quote_quantity = *quote;
  } else if (p.quantity_share_bps == 0) {
    if (f.quantity.empty()) return bad(p.type == OrderType::Market ? "missing field quantity (or quoteQuantity)" : "missing field quantity");
    auto quantity = amount("quantity", f.quantity, config.assets[mc.base].decimals, Error::InvalidQuantity);
    if (!quantity) return quantity.status();
    p.quantity = *quantity;
  }

  if (!f.price.empty()) {
    auto price = amount("price", f.price, config.assets[mc.quote].decimals, Error::InvalidPrice);
    if (!price) return price.status();
    p.price = *price;
  } else if (p.type == OrderType::Limit) {
    return bad("missing field price (a Limit order needs one)");
  }

  p.tif = TimeInForce::GTC;
  if (f.time_in_force == "IOC") {
    p.tif = TimeInForce::IOC;
  } else if (f.time_in_force == "FOK") {
    p.tif = TimeInForce::FOK;
  } else if (!f.time_in_force.empty() && f.time_in_force != "GTC") {
    return bad(fmt::format("timeInForce {} must be GTC, IOC or FOK", f.time_in_force));
  }

  if (f.post_only == "true") {
    if (p.type == OrderType::Market) return bad("postOnly cannot be used with a Market order");
    if (p.tif != TimeInForce::GTC) return bad(fmt::format("postOnly cannot be used with timeInForce {}", f.time_in_force));
    p.tif = TimeInForce::PostOnly;
  } else if (!f.post_only.empty() && f.post_only != "false") {
    return bad(fmt::format("postOnly {} must be true or false", f.post_only));
  }

  if (!f.client_id.empty()) {
    auto id = client_id_of(f.client_id);
    if (!id) return id.status();
    p.client_id = *id;
  }

  p.stp = Stp::CancelNewest;
  if (f.stp == "RejectMaker") {
    p.stp = Stp::CancelOldest;
  } else if (f.stp == "RejectBoth") {
    p.stp = Stp::CancelBoth;
  } else if (!f.stp.empty() && f.stp != "RejectTaker") {
    return bad(fmt::format("selfTradePrevention {} must be RejectTaker, RejectMaker or RejectBoth", f.stp));
  }
  return CommandBody{p};
}

Result<CommandBody> cancel_order(const TextInstruction& in, const ExchangeConfig& config, AccountId account) {
  Fields f;
  if (auto s = gather(in, kOrderCancelKeys, false, f); !s) return s;
  auto market = market_by_symbol(config, f.symbol);
  if (!market) return market.status();
  CancelOrder x;
  x.account = account;
  x.market = *market;
  if (f.order_id.empty() == f.client_id.empty())
    return bad(f.order_id.empty() ? "missing field orderId or clientId" : "give orderId or clientId, not both");
  if (!f.order_id.empty()) {
    x.order_id = positive_integer(f.order_id, UINT64_MAX);
    if (x.order_id == 0) return bad(fmt::format("orderId {} must be an integer in 1..{}", f.order_id, UINT64_MAX));
  } else {
    auto id = client_id_of(f.client_id);
    if (!id) return id.status();
    x.client_id = *id;
  }
  return CommandBody{x};
}

Result<CommandBody> cancel_all(const TextInstruction& in, const ExchangeConfig& config, AccountId account) {
  Fields f;
  if (auto s = gather(in, kOrderCancelAllKeys, false, f); !s) return s;
  auto market = market_by_symbol(config, f.symbol);
  if (!market) return market.status();
  return CommandBody{CancelAll{account, *market}};
}

// Backpack's withdraw: `symbol` names an asset, `quantity` is in its decimals. The allow-list and
// its cooling-off stand in for Backpack's two-factor token, which is refused rather than ignored.
Result<CommandBody> withdraw(const TextInstruction& in, const ExchangeConfig& config, AccountId account) {
  Fields f;
  for (const TextParam& p : in.params) {
    if (!contains(kWithdrawFlags, p.key)) continue;
    if (p.value != "false") return bad(fmt::format("{} is not supported: withdrawals draw on the account's own funds only", p.key));
  }
  TextInstruction rest{in.name, {}};
  for (const TextParam& p : in.params)
    if (!contains(kWithdrawFlags, p.key)) rest.params.push_back(p);
  if (auto s = gather(rest, kWithdrawKeys, false, f); !s) return s;
  if (!f.two_factor_token.empty()) return bad("twoFactorToken is not supported: withdrawal addresses are allow-listed instead");
  if (f.symbol.empty()) return bad("missing field symbol");
  std::optional<AssetId> asset;
  for (size_t i = 0; i < config.assets.size(); ++i)
    if (config.assets[i].symbol == f.symbol) asset = static_cast<AssetId>(i);
  if (!asset) return Status(Error::UnknownAsset, fmt::format("unknown asset {}", f.symbol));
  if (f.quantity.empty()) return bad("missing field quantity");
  if (f.address.empty()) return bad("missing field address");
  if (f.blockchain.empty()) return bad("missing field blockchain");
  auto amount_units = amount("quantity", f.quantity, config.assets[*asset].decimals, Error::InvalidQuantity);
  if (!amount_units) return amount_units.status();
  RequestWithdrawal w;
  w.account = account;
  w.asset = *asset;
  w.amount = *amount_units;
  w.address = std::string(f.address);
  w.blockchain = std::string(f.blockchain);
  if (!f.client_id.empty()) {
    auto id = client_id_of(f.client_id);
    if (!id) return id.status();
    w.client_id = *id;
  }
  return CommandBody{std::move(w)};
}

// Glassbook's withdrawalAddressAdd (Backpack has no request that allow-lists an address): the
// allow-list is per address, so the blockchain is checked for its form only; the gateway checks that
// the exchange serves it and that the address has that chain's form.
Result<CommandBody> withdrawal_address_add(const TextInstruction& in, AccountId account) {
  Fields f;
  if (auto s = gather(in, kWithdrawalAddressAddKeys, false, f); !s) return s;
  if (f.address.empty()) return bad("missing field address");
  if (f.blockchain.empty()) return bad("missing field blockchain");
  if (f.blockchain.size() > kMaxBlockchainBytes)
    return bad(fmt::format("blockchain has {} characters (at most {})", f.blockchain.size(), kMaxBlockchainBytes));
  return CommandBody{AddWithdrawalAddress{account, std::string(f.address)}};
}

// Glassbook's withdrawalAddressRemove: the allow-list is per address, so the address alone names it.
Result<CommandBody> withdrawal_address_remove(const TextInstruction& in, AccountId account) {
  Fields f;
  if (auto s = gather(in, kWithdrawalAddressRemoveKeys, false, f); !s) return s;
  if (f.address.empty()) return bad("missing field address");
  return CommandBody{RemoveWithdrawalAddress{account, std::string(f.address)}};
}

Result<CommandBody> translate_one(const TextInstruction& in, const ExchangeConfig& config, AccountId account) {
  if (in.name == "orderExecute") return place_order(in, config, account);
  if (in.name == "orderCancel") return cancel_order(in, config, account);
  if (in.name == "orderCancelAll") return cancel_all(in, config, account);
  if (in.name == "withdraw") return withdraw(in, config, account);
  if (in.name == "withdrawalAddressAdd") return withdrawal_address_add(in, account);
  if (in.name == "withdrawalAddressRemove") return withdrawal_address_remove(in, account);
  return bad(fmt::format("{} does not change state", in.name));
}

}  // namespace

Result<std::vector<CommandBody>> translate_request(const RequestText& text, const ExchangeConfig& config, AccountId account) {
  const size_t n = text.instructions.size();
  if (n == 0) return bad("no instruction");
  if (n > kMaxRequestInstructions) return bad(fmt::format("{} instructions (limit {})", n, kMaxRequestInstructions));
  if (n > 1) {
    for (const TextInstruction& in : text.instructions)
      if (in.name != "orderExecute") return bad(fmt::format("only orderExecute may be batched, not {}", in.name));
  }
  std::vector<CommandBody> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto body = translate_one(text.instructions[i], config, account);
    if (!body) {
      if (n == 1) return body.status();
      return Status(body.code(), fmt::format("order {}: {}", i, body.status().message()));
    }
    out.push_back(std::move(body).value());
  }
  return out;
}

}  // namespace glassbook::engine
