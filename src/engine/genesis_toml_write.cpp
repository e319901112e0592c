// Writing a genesis file: every field of the configuration as commented, human-readable TOML.
#include <fmt/format.h>
#include <algorithm>

#include "core/decimal.h"
#include "engine/genesis_toml.h"

namespace glassbook::engine {

namespace {

// A TOML basic string.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') out += fmt::format("\\{}", c);
    else if (u < 0x20 || u == 0x7F) out += fmt::format("\\u{:04X}", u);
    else out += c;
  }
  return out + '"';
}

// 3600000000 -> 3_600_000_000 (TOML integers may group digits).
std::string grouped(int64_t v) {
  const std::string digits = std::to_string(v < 0 ? -(v + 1) + uint64_t{1} : uint64_t(v));
  if (digits.size() <= 3) return std::to_string(v);
  std::string out = v < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '_';
    out += digits[i];
  }
  return out;
}

class GenesisWriter {
 public:
  explicit GenesisWriter(const ExchangeConfig& c) : c_(c) {}

  std::string write() {
    out_ += "# Glassbook genesis: the exchange's whole configuration (docs/genesis.md).\n";
    out_ += "# Amounts are exact decimal strings in whole units of their asset; rates are integers in ppm\n";
    out_ += "# (1e-6) or ppb (1e-9); durations in microseconds. No key can exempt an account from risk rules.\n";
    line("version", std::to_string(kGenesisVersion));
    line("log_key", key(c_.log_key));
    if (c_.proof_key != crypto::PublicKey{}) line("proof_key", key(c_.proof_key));
    if (c_.state_root_version != kStateRootV1) line("state_root", std::to_string(c_.state_root_version));
    for (const auto& a : c_.assets) asset(a);
    risk();
    for (const auto& m : c_.markets) market(m);
    role("operators", c_.operators);
    role("chain_watchers", c_.chain_watchers);
    role("oracle_sources", c_.oracle_sources);
    role("custodians", c_.custodians);
    if (!(c_.governance == GovernanceConfig{})) governance();
    if (!c_.witnesses.witnesses.empty()) witnesses();
    if (!(c_.withdrawals == WithdrawalConfig{})) withdrawals();
    for (const auto& g : c_.groups) group(g);
    for (const auto& e : c_.estates) estate(e);
    return std::move(out_);
  }

 private:
  void line(std::string_view key, const std::string& value) { out_ += fmt::format("{} = {}\n", key, value); }
  void header(std::string_view h) { out_ += fmt::format("\n{}\n", h); }
  std::string amount(int64_t v, AssetId asset) const { return quoted(format_decimal(v, decimals(asset), true)); }
  int decimals(AssetId a) const { return a < c_.assets.size() ? c_.assets[a].decimals : 0; }
  std::string symbol(AssetId a) const { return quoted(a < c_.assets.size() ? c_.assets[a].symbol : ""); }
  static std::string key(const crypto::PublicKey& k) { return quoted(crypto::base64_encode(k)); }

  void asset(const AssetConfig& a) {
    header("[[assets]]");
    line("symbol", quoted(a.symbol));
    line("decimals", std::to_string(a.decimals));
    static constexpr const char* kValuations[] = {"none", "margin_asset", "index", "redemption"};
    line("valuation", quoted(kValuations[static_cast<size_t>(a.valuation) % 4]));
    if (a.valuation == Valuation::Redemption) line("underlying", symbol(a.underlying));
    line("collateral_weight_ppm", grouped(a.collateral_weight_ppm));
    if (a.has_concentration()) {
      line("concentration_share_ppm", grouped(a.concentration_share_ppm));
      line("concentration_weight_ppm", grouped(a.concentration_weight_ppm));
    }
  }

  void risk() {
    const RiskConfig& r = c_.risk;
    header("[risk]");
    bool margin_valued = false;
    for (const auto& a : c_.assets) margin_valued |= a.valuation == Valuation::MarginAsset;
    if (margin_valued || r.margin_asset != 0) line("margin_asset", symbol(r.margin_asset));
    line("oracle_staleness_us", grouped(r.oracle_staleness_us));
    line("oracle_cap_ppm", grouped(r.oracle_cap_ppm));
    line("insurance_floor", amount(r.insurance_floor, r.margin_asset));
    // The fund's constants only when they differ from their defaults: files written before they
    // were configurable stay as they were.
    if (r.seizure_haircut_ppm != kDefaultSeizureHaircutPpm) line("seizure_haircut_ppm", grouped(r.seizure_haircut_ppm));
    if (r.fund_unwind_interval_us != kDefaultFundUnwindIntervalUs) line("fund_unwind_interval_us", grouped(r.fund_unwind_interval_us));
    if (r.fund_slices_per_cap != kDefaultFundSlicesPerCap) line("fund_slices_per_cap", grouped(r.fund_slices_per_cap));
  }

  void market(const MarketConfig& m) {
    header("[[markets]]");
    line("symbol", quoted(m.symbol));
    line("kind", quoted(m.kind == MarketKind::Perpetual ? "perpetual" : "spot"));
    line("base", symbol(m.base));
    line("quote", symbol(m.quote));
    line("tick_size", amount(m.tick_size, m.quote));
    line("lot_size", amount(m.lot_size, m.base));
    line("min_quantity", amount(m.min_quantity, m.base));
    line("max_price", amount(m.max_price, m.quote));
    line("maker_fee_ppm", grouped(m.maker_fee_ppm));
    line("taker_fee_ppm", grouped(m.taker_fee_ppm));
    line("market_protection_ppm", grouped(m.market_protection_ppm));
    line("max_orders", grouped(m.max_orders));
    line("band_ppm", grouped(m.band_ppm));
    if (!(m.breaker == risk::BreakerRules{})) {
      header("[markets.breaker]");
      line("move_ppm", grouped(m.breaker.move_ppm));
      line("window_us", grouped(m.breaker.window_us));
      line("hold_at_band_us", grouped(m.breaker.hold_at_band_us));
      line("pause_us", grouped(m.breaker.pause_us));
      line("min_notional", amount(m.breaker.min_notional, m.quote));
    }
    if (m.kind == MarketKind::Perpetual) perp(m);
  }

  void perp(const MarketConfig& m) {
    const PerpetualConfig& p = m.perp;
    header("[markets.perp]");
    out_ += "tiers = [\n";
    for (const auto& t : p.tiers)
      out_ += fmt::format("  {{ max_notional = {}, initial_ppm = {}, maintenance_ppm = {} }},\n", amount(t.max_notional, m.quote),
                          grouped(t.initial_ppm), grouped(t.maintenance_ppm));
    out_ += "]\n";
    line("funding_interval_us", grouped(p.funding_interval_us));
    line("funding_interest_ppb", grouped(p.funding.interest_rate));
    line("funding_clamp_ppb", grouped(p.funding.clamp));
    line("funding_cap_ppb", grouped(p.funding.cap));
    line("impact_notional", amount(p.impact_notional, m.quote));
    line("basis_alpha_ppm", grouped(p.basis_alpha_ppm));
    line("liquidation_fee_ppm", grouped(p.liquidation_fee_ppm));
    line("insurance_max_position", amount(p.insurance_max_position, m.base));
    line("mark_cap_ppm", grouped(p.mark_cap_ppm));
    if (p.max_open_interest != 0) line("max_open_interest", amount(p.max_open_interest, m.base));
    if (p.max_account_position != 0) line("max_account_position", amount(p.max_account_position, m.base));
  }

  void role(std::string_view name, const RolePolicy& r) {
    header(fmt::format("[roles.{}]", name));
    line("threshold", std::to_string(r.threshold));
    if (r.keys.empty()) {
      line("keys", "[]");
      return;
    }
    out_ += "keys = [\n";
    for (const auto& k : r.keys) out_ += fmt::format("  {},\n", key(k));
    out_ += "]\n";
  }

  // A symbol as a TOML key: bare when it may be, quoted otherwise.
  static std::string table_key(const std::string& symbol) {
    const bool bare = !symbol.empty() && std::all_of(symbol.begin(), symbol.end(), [](char ch) {
      return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    });
    return bare ? symbol : quoted(symbol);
  }

  void governance() {
    const GovernanceConfig& g = c_.governance;
    header("[governance]");
    line("config_timelock_us", grouped(g.config_timelock_us));
    std::string limits;
    for (size_t a = 0; a < g.large_deposit.size(); ++a)
      if (g.large_deposit[a] != 0)
        limits += fmt::format("{}{} = {}", limits.empty() ? "" : ", ", table_key(c_.assets[a].symbol),
                              amount(g.large_deposit[a], static_cast<AssetId>(a)));
    if (!limits.empty()) line("large_deposit", "{ " + limits + " }");
  }

  void withdrawals() {
    const WithdrawalConfig& w = c_.withdrawals;
    header("[withdrawals]");
    line("window_us", grouped(w.window_us));
    line("cooling_off_us", grouped(w.cooling_off_us));
    for (size_t a = 0; a < w.assets.size(); ++a) {
      const WithdrawalAssetLimits& l = w.assets[a];
      if (l == WithdrawalAssetLimits{}) continue;
      header(fmt::format("[withdrawals.assets.{}]", table_key(c_.assets[a].symbol)));
      line("approval_above", amount(l.approval_above, static_cast<AssetId>(a)));
      line("account_limit", amount(l.account_limit, static_cast<AssetId>(a)));
      line("global_limit", amount(l.global_limit, static_cast<AssetId>(a)));
    }
  }

  void witnesses() {
    header("[witnesses]");
    out_ += "# valid cosignatures a checkpoint needs to count (c2sp.org/tlog-witness)\n";
    line("quorum", std::to_string(c_.witnesses.quorum));
    for (const WitnessConfig& w : c_.witnesses.witnesses) {
      header("[[witnesses.members]]");
      line("name", quoted(w.name));
      line("url", quoted(w.url));
      line("key", key(w.key));
    }
  }

  static std::string list(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
    return "[" + out + "]";
  }

  void estate(const EstateConfig& e) {
    header("[[estates]]");
    out_ += "# a bankruptcy estate whose claims the exchange registers (docs/claims.md)\n";
    line("name", quoted(e.name));
    line("claim_unit", quoted(e.claim_unit));
    line("claim_asset", symbol(e.claim_asset));
    std::vector<std::string> items;
    for (AssetId a : e.payout_assets) items.push_back(symbol(a));
    line("payout_assets", list(items));
    line("claims_agent", key(e.claims_agent));
    items.clear();
    for (const auto& k : e.kyc_providers) items.push_back(key(k));
    line("kyc_providers", list(items));
    items.clear();
    for (const auto& code : e.barred_jurisdictions) items.push_back(quoted(code));
    line("barred_jurisdictions", list(items));
    header("[estates.transfer_rules]");
    line("min_kyc_level", std::to_string(e.transfer_rules.min_kyc_level));
    items.clear();
    for (const auto& code : e.transfer_rules.barred_buyer_jurisdictions) items.push_back(quoted(code));
    line("barred_buyer_jurisdictions", list(items));
  }

  void group(const AccountGroup& g) {
    header("[[groups]]");
    line("name", quoted(g.name));
    std::string ids;
    for (AccountId a : g.accounts) ids += (ids.empty() ? "" : ", ") + std::to_string(a);
    line("accounts", "[" + ids + "]");
    line("max_notional", amount(g.max_notional, c_.risk.margin_asset));
    line("max_market_notional", amount(g.max_market_notional, c_.risk.margin_asset));
  }

  const ExchangeConfig& c_;
  std::string out_;
};

}  // namespace

std::string genesis_to_toml(const ExchangeConfig& config) { return GenesisWriter(config).write(); }

}  // namespace glassbook::engine
