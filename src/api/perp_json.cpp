// Backpack REST JSON of perpetuals. Rates are fractions ("0.0001"), amounts in the margin asset, times in ms.
#include "api/perp_json.h"

#include "api/iso_time.h"
#include "core/decimal.h"

namespace glassbook::api {

namespace {

constexpr int kPpmDecimals = 6;
constexpr int kRateDecimals = 9;  // funding rates are 1e-9

std::string fraction(__int128 num, __int128 den) {
  if (den == 0) return "0";
  return format_wide_decimal(num * 1'000'000 / den, kPpmDecimals, true);
}

std::string margin_amount(const engine::ExchangeConfig& c, __int128 v) {
  return format_wide_decimal(v, c.assets[c.risk.margin_asset].decimals, true);
}

void price_or_null(JsonWriter& w, const MarketFormat& f, std::optional<int64_t> p) {
  if (p) {
    w.decimal(f.price(*p));
  } else {
    w.null();
  }
}

}  // namespace

void write_mark_price_band(JsonWriter& w, const engine::MarketConfig& c) {
  if (c.band_ppm <= 0) return;
  w.key("meanMarkPriceBand").begin_object();
  w.key("maxMultiplier").decimal(format_decimal(1'000'000 + c.band_ppm, kPpmDecimals, true));
  w.key("minMultiplier").decimal(format_decimal(1'000'000 - c.band_ppm, kPpmDecimals, true));
  w.end_object();
}

void write_perp_market_fields(JsonWriter& w, const MarketView& m) {
  const engine::MarketConfig& c = m.config.markets[m.id];
  const engine::PerpetualConfig& p = c.perp;
  w.key("fundingInterval").integer(p.funding_interval_us / 1000);
  // Backpack gives the bounds in basis points: 1 bp = 1e5 in 1e-9 units.
  w.key("fundingRateLowerBound").decimal(format_decimal(-p.funding.cap, 5, true));
  w.key("fundingRateUpperBound").decimal(format_decimal(p.funding.cap, 5, true));
  // Margins are tiered here, not Backpack's square-root functions: null, and the tiers below.
  w.key("imfFunction").null();
  w.key("mmfFunction").null();
  w.key("marginTiers").begin_array();
  for (const risk::MarginTier& t : p.tiers) {
    w.begin_object();
    w.key("maxNotional").decimal(m.format.quote_amount(t.max_notional));
    w.key("initialMarginFraction").decimal(format_decimal(t.initial_ppm, kPpmDecimals, true));
    w.key("maintenanceMarginFraction").decimal(format_decimal(t.maintenance_ppm, kPpmDecimals, true));
    w.end_object();
  }
  w.end_array();
  // The market's open-interest cap in base units; "0" when it has none (only the largest tier).
  w.key("openInterestLimit").decimal(m.format.base_amount(p.max_open_interest));
}

void write_mark_price(JsonWriter& w, const MarketView& m, const MarkFigures& f) {
  w.begin_object();
  w.key("fundingRate").decimal(format_decimal(f.funding_rate, kRateDecimals, true));
  w.key("indexPrice");
  price_or_null(w, m.format, f.index);
  w.key("markPrice");
  price_or_null(w, m.format, f.mark);
  w.key("nextFundingTimestamp").integer(floor_div(f.next_funding, 1000));
  w.key("symbol").string(m.symbol());
  w.end_object();
}

void write_open_interest(JsonWriter& w, const MarketView& m, int64_t open_interest, Timestamp now) {
  w.begin_object();
  w.key("symbol").string(m.symbol());
  w.key("openInterest").decimal(m.format.base_amount(open_interest));
  w.key("timestamp").integer(floor_div(now, 1000));
  w.end_object();
}

void write_funding_rate(JsonWriter& w, const MarketView& m, const FundingRateRecord& r) {
  w.begin_object();
  w.key("symbol").string(m.symbol());
  w.key("intervalEndTimestamp").string(iso_seconds(floor_div(r.interval_end, 1'000'000)));
  w.key("fundingRate").decimal(format_decimal(r.rate, kRateDecimals, true));
  w.end_object();
}

void write_funding_payment(JsonWriter& w, const MarketView& m, AccountId account, const FundingPaymentRecord& p) {
  w.begin_object();
  w.key("userId").unsigned_integer(account);
  w.key("subaccountId").null();
  w.key("symbol").string(m.symbol());
  w.key("quantity").decimal(margin_amount(m.config, -static_cast<__int128>(p.paid)));  // positive: received
  w.key("intervalEndTimestamp").string(iso_seconds(floor_div(p.interval_end, 1'000'000)));
  w.key("fundingRate").decimal(format_decimal(p.rate, kRateDecimals, true));
  w.end_object();
}

void write_position(JsonWriter& w, const MarketView& m, const PositionFigures& p) {
  const auto& c = m.config;
  w.begin_object();
  w.key("breakEvenPrice");
  price_or_null(w, m.format, p.break_even);
  w.key("cumulativeFundingPayment").decimal(margin_amount(c, -static_cast<__int128>(p.track.funding)));
  w.key("cumulativeInterest").decimal("0");
  w.key("entryPrice").decimal(m.format.price(p.entry_price));
  w.key("estLiquidationPrice");
  price_or_null(w, m.format, p.liquidation);
  w.key("imf").decimal(format_decimal(p.imf_ppm, kPpmDecimals, true));
  w.key("imfFunction").null();
  w.key("markPrice");
  price_or_null(w, m.format, p.mark);
  w.key("mmf").decimal(format_decimal(p.mmf_ppm, kPpmDecimals, true));
  w.key("mmfFunction").null();
  w.key("netCost").decimal(margin_amount(c, p.cost));
  w.key("netExposureNotional").decimal(margin_amount(c, p.exposure_notional));
  w.key("netExposureQuantity").decimal(m.format.base_amount(p.exposure));
  w.key("netQuantity").decimal(m.format.base_amount(p.quantity));
  w.key("pnlRealized").decimal(margin_amount(c, p.track.realized));
  w.key("pnlUnrealized").decimal(margin_amount(c, p.unrealized));
  w.key("positionId").string(std::to_string(p.id));
  w.key("subaccountId").null();
  w.key("symbol").string(m.symbol());
  w.key("userId").unsigned_integer(p.account);
  w.key("feesPaid").decimal(margin_amount(c, p.track.fees));  // Glassbook: trading fees since it opened
  if (p.adl) {  // Glassbook: the place in the auto-deleveraging queue of its side (1: taken first)
    w.key("adlRank").unsigned_integer(p.adl->rank);
    w.key("adlQueueLength").unsigned_integer(p.adl->of);
  }
  w.end_object();
}

void write_insurance_figures(JsonWriter& w, const engine::ExchangeConfig& config, __int128 balance,
                             const engine::MarginSummary& s) {
  w.key("balance").decimal(margin_amount(config, balance));
  w.key("floor").decimal(margin_amount(config, config.risk.insurance_floor));
  w.key("equity");
  if (s.frozen) {
    w.null();
  } else {
    w.decimal(margin_amount(config, s.equity));
  }
  w.key("maintenanceMargin").decimal(margin_amount(config, s.maintenance));
}

void write_collateral(JsonWriter& w, const engine::ExchangeConfig& config, const ledger::Ledger& ledger, AccountId account,
                      const engine::MarginSummary& s, __int128 unrealized, std::span<const CollateralLine> lines) {
  __int128 assets = 0, liabilities = 0;
  for (const CollateralLine& l : lines) {
    if (l.notional >= 0) {
      assets += l.notional;
    } else {
      liabilities -= l.notional;
    }
  }
  w.begin_object();
  w.key("assetsValue").decimal(margin_amount(config, assets));
  w.key("borrowLiability").decimal("0");
  w.key("collateral").begin_array();
  for (const CollateralLine& l : lines) {
    const engine::AssetConfig& a = config.assets[l.asset];
    const ledger::Balance& b = ledger.balance(account, l.asset);
    w.begin_object();
    w.key("symbol").string(a.symbol);
    w.key("assetMarkPrice");
    if (l.price) {
      w.decimal(margin_amount(config, *l.price));
    } else {
      w.null();
    }
    w.key("totalQuantity").decimal(format_decimal(b.total, a.decimals, true));
    w.key("availableQuantity").decimal(format_decimal(b.total - b.held, a.decimals, true));
    w.key("openOrderQuantity").decimal(format_decimal(b.held, a.decimals, true));
    w.key("lendQuantity").decimal("0");
    w.key("balanceNotional").decimal(margin_amount(config, l.notional));
    w.key("collateralWeight").decimal(format_decimal(a.collateral_weight_ppm, kPpmDecimals, true));
    w.key("collateralValue").decimal(margin_amount(config, l.value));
    w.end_object();
  }
  w.end_array();
  w.key("imf").decimal(fraction(s.initial, s.notional));
  w.key("liabilitiesValue").decimal(margin_amount(config, liabilities));
  w.key("marginFraction");
  if (s.notional > 0) {
    w.decimal(fraction(s.equity, s.notional));
  } else {
    w.null();
  }
  w.key("mmf").decimal(fraction(s.maintenance, s.notional));
  w.key("netEquity").decimal(margin_amount(config, s.equity));
  w.key("netEquityAvailable").decimal(margin_amount(config, s.equity - s.initial));
  w.key("netEquityLocked").decimal(margin_amount(config, s.initial));
  w.key("netExposureFutures").decimal(margin_amount(config, s.notional));
  w.key("pnlUnrealized").decimal(margin_amount(config, unrealized));
  w.key("unsettledEquity").decimal(margin_amount(config, unrealized));
  // Glassbook: the margins as amounts, and whether a price they need is frozen.
  w.key("initialMargin").decimal(margin_amount(config, s.initial));
  w.key("maintenanceMargin").decimal(margin_amount(config, s.maintenance));
  w.key("frozen").boolean(s.frozen);
  w.end_object();
}

}  // namespace glassbook::api
