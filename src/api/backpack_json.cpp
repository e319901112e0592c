// Backpack REST JSON rendering. Decimals are JSON strings; ids are strings where Backpack uses strings.
#include "api/backpack_json.h"

#include <fmt/format.h>

#include "api/backpack_names.h"
#include "api/iso_time.h"
#include "api/perp_json.h"
#include "core/decimal.h"

namespace glassbook::api {

namespace {
// A share of the position as the request gave it: 5000 basis points is "50%", 3333 is "33.33%".
std::string share_text(uint16_t bps) {
  if (bps % 100 == 0) return fmt::format("{}%", bps / 100);
  return fmt::format("{}.{:02}%", bps / 100, bps % 100);
}

void price_or_null(JsonWriter& w, const MarketFormat& f, int64_t price) {
  if (price == 0) {
    w.null();
  } else {
    w.decimal(f.price(price));
  }
}

// (last - first) / first as a fraction with 6 decimals, truncated toward zero ("-0.031279").
std::string change_fraction(int64_t first, int64_t last) {
  if (first == 0) return "0";
  const __int128 scaled = static_cast<__int128>(last - first) * 1'000'000 / first;
  return format_wide_decimal(scaled, 6, true);
}

void null_fields(JsonWriter& w, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys) w.key(k).null();
}
}  // namespace

void write_assets(JsonWriter& w, const engine::ExchangeConfig& config, const std::set<std::pair<std::string, AssetId>>& chain_assets) {
  w.begin_array();
  const bool custodians = !config.custodians.keys.empty();
  for (AssetId id = 0; id < config.assets.size(); ++id) {
    const auto& a = config.assets[id];
    const bool withdrawable = custodians && !engine::estate_of_claim_asset(config, id);
    w.begin_object();
    w.key("symbol").string(a.symbol);
    w.key("displayName").string(a.symbol);
    w.key("coingeckoId").null();
    // A token per chain where the chain watchers recorded a deposit address of this asset: deposits
    // are taken there, and withdrawals too once custodians are configured (without one no withdrawal
    // can be approved or broadcast). Claim units never leave (engine_withdrawals.cpp).
    w.key("tokens").begin_array();
    for (const auto& [chain, asset] : chain_assets) {
      if (asset != id) continue;
      w.begin_object();
      w.key("blockchain").string(chain);
      w.key("contractAddress").null();
      w.key("depositEnabled").boolean(true);
      w.key("displayName").string(a.symbol);
      w.key("maximumWithdrawal").null();
      w.key("minimumDeposit").decimal(format_decimal(1, a.decimals, true));
      w.key("minimumWithdrawal").decimal(format_decimal(withdrawable ? 1 : 0, a.decimals, true));
      w.key("withdrawEnabled").boolean(withdrawable);
      w.key("withdrawalFee").decimal("0");
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
}

void write_market(JsonWriter& w, const MarketView& m) {
  const engine::MarketConfig& c = m.config.markets[m.id];
  const bool perp = c.kind == engine::MarketKind::Perpetual;
  w.begin_object();
  w.key("symbol").string(c.symbol);
  w.key("baseSymbol").string(m.config.assets[c.base].symbol);
  w.key("quoteSymbol").string(m.config.assets[c.quote].symbol);
  w.key("marketType").string(perp ? "PERP" : "SPOT");
  w.key("orderBookState").string("Open");
  w.key("createdAt").null();
  w.key("filters").begin_object();
  w.key("price").begin_object();
  w.key("tickSize").decimal(m.format.price(c.tick_size));
  w.key("minPrice").decimal(m.format.price(c.tick_size));
  w.key("maxPrice").decimal(m.format.price(c.max_price));
  if (perp) write_mark_price_band(w, c);
  w.end_object();
  w.key("quantity").begin_object();
  w.key("stepSize").decimal(m.format.quantity(c.lot_size));
  w.key("minQuantity").decimal(m.format.quantity(c.min_quantity));
  w.key("maxQuantity").null();
  w.end_object();
  w.end_object();
  if (perp) {
    write_perp_market_fields(w, m);
  } else {
    null_fields(w, {"fundingInterval", "fundingRateLowerBound", "fundingRateUpperBound", "imfFunction", "mmfFunction"});
    w.key("openInterestLimit").decimal("0");
  }
  w.end_object();
}

void write_ticker(JsonWriter& w, const MarketView& m, const Ticker24h& t) {
  w.begin_object();
  w.key("symbol").string(m.symbol());
  w.key("firstPrice");
  price_or_null(w, m.format, t.first);
  w.key("lastPrice");
  price_or_null(w, m.format, t.last);
  w.key("priceChange").decimal(m.format.quote_amount(static_cast<__int128>(t.last) - t.first));
  w.key("priceChangePercent").decimal(change_fraction(t.first, t.last));
  w.key("high");
  price_or_null(w, m.format, t.high);
  w.key("low");
  price_or_null(w, m.format, t.low);
  w.key("volume").decimal(m.format.base_amount(t.volume));
  w.key("quoteVolume").decimal(m.format.quote_amount(t.quote_volume));
  w.key("trades").decimal(std::to_string(t.trades));
  w.end_object();
}

void write_depth(JsonWriter& w, const MarketView& m, std::span<const std::pair<int64_t, int64_t>> asks,
                 std::span<const std::pair<int64_t, int64_t>> bids, uint64_t last_update_id, Timestamp now) {
  auto side = [&](std::string_view key, std::span<const std::pair<int64_t, int64_t>> levels) {
    w.key(key).begin_array();
    for (const auto& [price, qty] : levels) w.begin_array().decimal(m.format.price(price)).decimal(m.format.quantity(qty)).end_array();
    w.end_array();
  };
  w.begin_object();
  side("asks", asks);
  side("bids", bids);
  w.key("lastUpdateId").decimal(std::to_string(last_update_id));
  w.key("timestamp").integer(now);
  w.end_object();
}

void write_public_trade(JsonWriter& w, const MarketView& m, const PublicTrade& t) {
  w.begin_object();
  w.key("id").unsigned_integer(t.id);
  w.key("price").decimal(m.format.price(t.price));
  w.key("quantity").decimal(m.format.quantity(t.quantity));
  w.key("quoteQuantity").decimal(m.format.quote_amount(m.format.notional(t.price, t.quantity)));
  w.key("timestamp").integer(floor_div(t.timestamp, 1000));
  w.key("isBuyerMaker").boolean(t.buyer_maker);
  w.end_object();
}

void write_kline(JsonWriter& w, const MarketView& m, KlineInterval interval, const Candle& c) {
  w.begin_object();
  w.key("start").string(spaced_seconds(c.start));
  w.key("end").string(spaced_seconds(kline_bucket(interval, c.start).end));
  w.key("open").decimal(m.format.price(c.open));
  w.key("high").decimal(m.format.price(c.high));
  w.key("low").decimal(m.format.price(c.low));
  w.key("close").decimal(m.format.price(c.close));
  w.key("volume").decimal(m.format.base_amount(c.volume));
  w.key("quoteVolume").decimal(m.format.quote_amount(c.quote_volume));
  w.key("trades").decimal(std::to_string(c.trades));
  w.end_object();
}

void write_capital(JsonWriter& w, const engine::ExchangeConfig& config, const ledger::Ledger& ledger, AccountId account) {
  w.begin_object();
  if (ledger.has_account(account) && is_customer(account)) {
    for (AssetId a = 0; a < config.assets.size() && a < ledger.asset_count(); ++a) {
      const ledger::Balance& b = ledger.balance(account, a);
      const int scale = config.assets[a].decimals;
      w.key(config.assets[a].symbol).begin_object();
      w.key("available").decimal(format_decimal(b.available(), scale, true));
      w.key("locked").decimal(format_decimal(b.held, scale, true));
      w.key("staked").decimal("0");
      w.end_object();
    }
  }
  w.end_object();
}

void write_order(JsonWriter& w, const MarketView& m, const OrderRecord& o, OrderStyle style) {
  w.begin_object();
  w.key("id").string(std::to_string(o.id));
  w.key("clientId");
  if (o.client_id != 0) {
    w.unsigned_integer(o.client_id);
  } else {
    w.null();
  }
  w.key("symbol").string(m.symbol());
  w.key("side").string(side_name(o.side));
  w.key("orderType").string(order_type_name(o.type));
  w.key("timeInForce").string(tif_name(o.tif));
  w.key("postOnly").boolean(o.tif == book::TimeInForce::PostOnly);
  w.key("selfTradePrevention").string(stp_name(o.stp));
  w.key("price");
  if (o.type == engine::OrderType::Limit) {
    w.decimal(m.format.price(o.price));
  } else {
    w.null();
  }
  w.key("quantity").decimal(m.format.quantity(o.quantity));
  w.key("quoteQuantity").null();
  w.key("executedQuantity").decimal(m.format.quantity(o.executed));
  w.key("executedQuoteQuantity").decimal(m.format.quote_amount(o.executed_quote));
  w.key("status").string(status_name(o.status));
  w.key("createdAt");
  if (style == OrderStyle::Current) {
    w.integer(floor_div(o.created_at, 1000));
  } else {
    w.string(iso_millis(o.created_at));
    w.key("expiryReason");
    if (o.status == OrderStatus::Expired) {
      w.string(expiry_reason_name(o.cause));
    } else {
      w.null();
    }
    w.key("systemOrderType").null();
  }
  if (o.trigger_price != 0) {
    w.key("triggerBy").string(trigger_by_name(o.trigger_by));
    w.key("triggerPrice").decimal(m.format.price(o.trigger_price));
    if (o.quantity_share_bps != 0) {
      w.key("triggerQuantity").string(share_text(o.quantity_share_bps));
    } else {
      w.key("triggerQuantity").decimal(m.format.quantity(o.quantity));
    }
    w.key("triggeredAt");
    if (o.triggered_at != 0) {
      if (style == OrderStyle::Current) {
        w.integer(floor_div(o.triggered_at, 1000));
      } else {
        w.string(iso_millis(o.triggered_at));
      }
    } else {
      w.null();
    }
  } else {
    null_fields(w, {"triggerBy", "triggerPrice", "triggerQuantity", "triggeredAt"});
  }
  w.key("reduceOnly");
  if (o.related != 0) {
    w.boolean(true);  // a take-profit or stop-loss only reduces
    w.key("relatedOrderId").string(std::to_string(o.related));
  } else {
    w.null();
    w.key("relatedOrderId").null();
  }
  w.key("strategyId").null();
  auto leg = [&](std::string_view by_key, std::string_view trigger_key, std::string_view limit_key, int64_t trigger, int64_t limit,
                 engine::TriggerBy by) {
    if (trigger == 0) return null_fields(w, {by_key, trigger_key, limit_key});
    w.key(by_key).string(trigger_by_name(by));
    w.key(trigger_key).decimal(m.format.price(trigger));
    w.key(limit_key);
    if (limit != 0) {
      w.decimal(m.format.price(limit));
    } else {
      w.null();
    }
  };
  leg("stopLossTriggerBy", "stopLossTriggerPrice", "stopLossLimitPrice", o.stop_loss_trigger, o.stop_loss_limit, o.stop_loss_by);
  leg("takeProfitTriggerBy", "takeProfitTriggerPrice", "takeProfitLimitPrice", o.take_profit_trigger, o.take_profit_limit, o.take_profit_by);
  w.end_object();
}

void write_fill(JsonWriter& w, const MarketView& m, const FillRecord& f) {
  w.begin_object();
  w.key("tradeId");
  if (f.trade_id != 0) {
    w.unsigned_integer(f.trade_id);
  } else {
    w.null();  // a position taken over: no trade
  }
  w.key("orderId");
  if (f.order_id != 0) {
    w.string(std::to_string(f.order_id));
  } else {
    w.null();
  }
  w.key("clientId");
  if (f.client_id != 0) {
    w.string(std::to_string(f.client_id));
  } else {
    w.null();
  }
  w.key("symbol").string(m.symbol());
  w.key("side").string(side_name(f.side));
  w.key("price").decimal(m.format.price(f.price));
  w.key("quantity").decimal(m.format.quantity(f.quantity));
  w.key("fee").decimal(format_decimal(f.fee, m.config.assets[f.fee_asset].decimals, true));
  w.key("feeSymbol").string(m.config.assets[f.fee_asset].symbol);
  w.key("isMaker").boolean(f.maker);
  w.key("systemOrderType");
  if (f.system != SystemOrder::None) {
    w.string(system_order_name(f.system));
  } else {
    w.null();
  }
  w.key("timestamp").string(iso_millis(f.timestamp));
  w.end_object();
}

void write_deposit(JsonWriter& w, const engine::ExchangeConfig& config, const DepositRecord& d) {
  w.begin_object();
  w.key("id").unsigned_integer(d.id);
  w.key("symbol").string(config.assets[d.asset].symbol);
  w.key("quantity").decimal(format_decimal(d.amount, config.assets[d.asset].decimals, true));
  w.key("status").string(d.reversed ? "reversed" : "confirmed");  // "reversed": ours (Backpack has no such status)
  w.key("createdAt").string(iso_millis(d.timestamp));
  null_fields(w, {"source", "fromAddress", "toAddress", "transactionHash", "platformMemo", "fiatAmount", "fiatCurrency",
                  "institutionBic"});
  w.end_object();
}

}  // namespace glassbook::api
