// Reading a genesis file: TOML syntax, the exemption rule, then every table strictly, then validate_config.
#include "engine/genesis_toml.h"
#include "engine/risk_bounds.h"

#include <optional>

#include "core/decimal.h"
#include "engine/config_codec.h"
#include "engine/genesis_exemption.h"
#include "engine/toml_fields.h"

namespace glassbook::engine {

namespace {

using toml_fields::Fields;
using toml_fields::index;
using toml_fields::join;

class GenesisReader {
 public:
  Result<ExchangeConfig> read(const toml::table& root) {
    Fields f(root, "", {"version", "log_key", "proof_key", "state_root", "assets", "markets", "roles", "risk", "groups", "governance", "witnesses", "withdrawals", "estates"}, error_);
    if (const int64_t v = f.integer<int64_t>("version", true, kGenesisVersion); v != kGenesisVersion)
      f.fail("version", std::to_string(v) + " is not a version this build reads (" + std::to_string(kGenesisVersion) + ")");
    c_.log_key = f.key("log_key", true);
    // Absent: no proof key, and no liabilities root can be published (docs/proofs.md).
    c_.proof_key = f.key("proof_key", false);
    // Absent: 1, as in the binary configuration, so a genesis file from before keeps its journal.
    c_.state_root_version = f.integer<uint8_t>("state_root", false, kStateRootV1);
    if (const toml::array* a = f.array("assets", true)) assets(*a);
    if (error_ && c_.assets.empty()) f.fail("assets", "at least one asset is needed");
    if (const toml::table* t = f.table("risk", false)) risk(*t);
    if (const toml::array* a = f.array("markets", false)) markets(*a);
    if (const toml::table* t = f.table("roles", false)) roles(*t);
    if (const toml::array* a = f.array("groups", false)) groups(*a);
    if (const toml::table* t = f.table("governance", false)) governance(*t);
    if (const toml::table* t = f.table("witnesses", false)) witnesses(*t);
    if (const toml::table* t = f.table("withdrawals", false)) withdrawals(*t);
    if (const toml::array* a = f.array("estates", false)) estates(*a);
    if (!error_) return error_;
    return c_;
  }

 private:
  // Calls `each(table, path)` for every element of an array of tables (at most `max` of them).
  template <class F>
  void each_table(const toml::array& array, const std::string& path, size_t max, F each) {
    if (array.size() > max) toml_fields::fail_at(error_, path, "more than " + std::to_string(max) + " entries", &array);
    for (size_t i = 0; i < array.size() && error_; ++i) {
      const toml::node& n = *array.get(i);
      if (const toml::table* t = n.as_table())
        each(*t, index(path, i));
      else
        toml_fields::fail_at(error_, index(path, i), "expected a table, got " + std::string(toml_fields::type_name(n)), &n);
    }
  }

  std::optional<AssetId> asset_named(const std::string& symbol) const {
    for (size_t i = 0; i < c_.assets.size(); ++i)
      if (c_.assets[i].symbol == symbol) return static_cast<AssetId>(i);
    return std::nullopt;
  }
  AssetId asset_ref(Fields& f, std::string_view key) {
    const std::string symbol = f.string(key, true);
    if (!error_) return 0;
    auto id = asset_named(symbol);
    if (!id) f.fail(key, "no asset \"" + symbol + "\" in assets");
    return id.value_or(0);
  }
  int decimals_of(AssetId a) const { return a < c_.assets.size() ? c_.assets[a].decimals : 0; }
  std::string symbol_of(AssetId a) const { return a < c_.assets.size() ? c_.assets[a].symbol : "?"; }

  void assets(const toml::array& array) {
    std::vector<std::pair<std::string, std::string>> underlying;  // (path, symbol) per asset
    each_table(array, "assets", kMaxConfigAssets, [&](const toml::table& t, const std::string& path) {
      Fields f(t, path, {"symbol", "decimals", "valuation", "collateral_weight_ppm", "underlying", "concentration_share_ppm",
                         "concentration_weight_ppm"}, error_);
      AssetConfig a;
      a.symbol = f.string("symbol", true);
      a.decimals = static_cast<int>(f.integer_in("decimals", true, 0, 0, 18));
      const std::string v = f.string("valuation", false, "none");
      if (v == "margin_asset") a.valuation = Valuation::MarginAsset;
      else if (v == "index") a.valuation = Valuation::Index;
      else if (v == "redemption") a.valuation = Valuation::Redemption;
      else if (v != "none") f.fail("valuation", "\"" + v + "\" is not one of none, margin_asset, index, redemption");
      a.collateral_weight_ppm = f.integer<int32_t>("collateral_weight_ppm", false);
      a.concentration_share_ppm = f.integer<int32_t>("concentration_share_ppm", false);
      a.concentration_weight_ppm = f.integer<int32_t>("concentration_weight_ppm", false);
      if (a.valuation == Valuation::Redemption)
        underlying.emplace_back(join(path, "underlying"), f.string("underlying", true));
      else if (f.has("underlying"))
        f.fail("underlying", "only a redemption-valued asset names an underlying");
      c_.assets.push_back(std::move(a));
    });
    for (size_t i = 0, u = 0; i < c_.assets.size() && error_; ++i) {
      if (c_.assets[i].valuation != Valuation::Redemption) continue;
      const auto& [path, symbol] = underlying[u++];
      auto id = asset_named(symbol);
      if (!id) toml_fields::fail_at(error_, path, "no asset \"" + symbol + "\" in assets", nullptr);
      c_.assets[i].underlying = id.value_or(0);
    }
  }

  void risk(const toml::table& t) {
    Fields f(t, "risk", {"margin_asset", "oracle_staleness_us", "oracle_cap_ppm", "insurance_floor", "seizure_haircut_ppm",
                         "fund_unwind_interval_us", "fund_slices_per_cap"}, error_);
    if (f.has("margin_asset")) c_.risk.margin_asset = asset_ref(f, "margin_asset");
    c_.risk.oracle_staleness_us = f.integer<int64_t>("oracle_staleness_us", false);
    c_.risk.oracle_cap_ppm = f.integer<int32_t>("oracle_cap_ppm", false);
    c_.risk.insurance_floor = f.amount("insurance_floor", false, margin_decimals(), margin_symbol());
    c_.risk.seizure_haircut_ppm = f.integer<int32_t>("seizure_haircut_ppm", false, kDefaultSeizureHaircutPpm);
    c_.risk.fund_unwind_interval_us = f.integer<int64_t>("fund_unwind_interval_us", false, kDefaultFundUnwindIntervalUs);
    c_.risk.fund_slices_per_cap = f.integer<int32_t>("fund_slices_per_cap", false, kDefaultFundSlicesPerCap);
  }
  int margin_decimals() const { return decimals_of(c_.risk.margin_asset); }
  std::string margin_symbol() const { return symbol_of(c_.risk.margin_asset); }

  void markets(const toml::array& array) {
    each_table(array, "markets", kMaxConfigMarkets, [&](const toml::table& t, const std::string& path) {
      Fields f(t, path, {"symbol", "kind", "base", "quote", "tick_size", "lot_size", "min_quantity", "max_price",
                         "maker_fee_ppm", "taker_fee_ppm", "market_protection_ppm", "max_orders", "band_ppm", "breaker", "perp"},
               error_);
      MarketConfig m;
      m.symbol = f.string("symbol", true);
      const std::string kind = f.string("kind", true);
      if (kind == "perpetual") m.kind = MarketKind::Perpetual;
      else if (kind != "spot" && error_) f.fail("kind", "\"" + kind + "\" is not one of spot, perpetual");
      m.base = asset_ref(f, "base");
      m.quote = asset_ref(f, "quote");
      const int bd = decimals_of(m.base), qd = decimals_of(m.quote);
      m.tick_size = f.amount("tick_size", true, qd, symbol_of(m.quote));
      m.lot_size = f.amount("lot_size", true, bd, symbol_of(m.base));
      m.min_quantity = f.amount("min_quantity", true, bd, symbol_of(m.base));
      m.max_price = f.amount("max_price", true, qd, symbol_of(m.quote));
      m.maker_fee_ppm = f.integer<int32_t>("maker_fee_ppm", true);
      m.taker_fee_ppm = f.integer<int32_t>("taker_fee_ppm", true);
      m.market_protection_ppm = f.integer<int32_t>("market_protection_ppm", false, m.market_protection_ppm);
      m.max_orders = f.integer<uint32_t>("max_orders", false, m.max_orders);
      m.band_ppm = f.integer<int32_t>("band_ppm", false);
      if (const toml::table* b = f.table("breaker", false)) {
        Fields g(*b, join(path, "breaker"), {"move_ppm", "window_us", "hold_at_band_us", "pause_us", "min_notional"}, error_);
        m.breaker.move_ppm = g.integer<int32_t>("move_ppm", true);
        m.breaker.window_us = g.integer<int64_t>("window_us", true);
        m.breaker.hold_at_band_us = g.integer<int64_t>("hold_at_band_us", true);
        m.breaker.pause_us = g.integer<int64_t>("pause_us", true);
        m.breaker.min_notional = g.amount("min_notional", true, decimals_of(m.quote), symbol_of(m.quote));
      }
      const toml::table* p = f.table("perp", m.kind == MarketKind::Perpetual);
      if (p != nullptr && m.kind == MarketKind::Spot) f.fail("perp", "only a perpetual market has perpetual parameters");
      if (p != nullptr && m.kind == MarketKind::Perpetual) perp(*p, join(path, "perp"), m);
      c_.markets.push_back(std::move(m));
    });
  }

  void perp(const toml::table& t, const std::string& path, MarketConfig& m) {
    Fields f(t, path, {"tiers", "funding_interval_us", "funding_interest_ppb", "funding_clamp_ppb", "funding_cap_ppb",
                       "impact_notional", "basis_alpha_ppm", "liquidation_fee_ppm", "insurance_max_position", "mark_cap_ppm",
                       "max_open_interest", "max_account_position"},
             error_);
    PerpetualConfig& p = m.perp;
    const int qd = decimals_of(m.quote), bd = decimals_of(m.base);
    if (const toml::array* a = f.array("tiers", true)) {
      each_table(*a, join(path, "tiers"), risk::kMaxMarginTiers, [&](const toml::table& tt, const std::string& at) {
        Fields g(tt, at, {"max_notional", "initial_ppm", "maintenance_ppm"}, error_);
        risk::MarginTier tier;
        tier.max_notional = g.amount("max_notional", true, qd, symbol_of(m.quote));
        tier.initial_ppm = g.integer<int32_t>("initial_ppm", true);
        tier.maintenance_ppm = g.integer<int32_t>("maintenance_ppm", true);
        p.tiers.push_back(tier);
      });
    }
    p.funding_interval_us = f.integer<int64_t>("funding_interval_us", true);
    p.funding.interest_rate = f.integer<int64_t>("funding_interest_ppb", true);
    p.funding.clamp = f.integer<int64_t>("funding_clamp_ppb", true);
    p.funding.cap = f.integer<int64_t>("funding_cap_ppb", true);
    p.impact_notional = f.amount("impact_notional", true, qd, symbol_of(m.quote));
    p.basis_alpha_ppm = f.integer<int32_t>("basis_alpha_ppm", true);
    p.liquidation_fee_ppm = f.integer<int32_t>("liquidation_fee_ppm", true);
    p.insurance_max_position = f.amount("insurance_max_position", true, bd, symbol_of(m.base));
    p.mark_cap_ppm = f.integer<int32_t>("mark_cap_ppm", false, kDefaultMarkCapPpm);
    if (f.has("max_open_interest")) p.max_open_interest = f.amount("max_open_interest", true, bd, symbol_of(m.base));
    if (f.has("max_account_position")) p.max_account_position = f.amount("max_account_position", true, bd, symbol_of(m.base));
  }

  // [witnesses] quorum = N, then [[witnesses.members]] name, url, key.
  void witnesses(const toml::table& t) {
    Fields f(t, "witnesses", {"quorum", "members"}, error_);
    c_.witnesses.quorum = f.integer<uint32_t>("quorum", true);
    if (const toml::array* a = f.array("members", true)) {
      each_table(*a, "witnesses.members", kMaxWitnesses, [&](const toml::table& m, const std::string& path) {
        Fields g(m, path, {"name", "url", "key"}, error_);
        WitnessConfig w;
        w.name = g.string("name", true);
        w.url = g.string("url", true);
        w.key = g.key("key", true);
        c_.witnesses.witnesses.push_back(std::move(w));
      });
    }
  }

  // An array of strings at `path`, each through `each(string, node, element path)`.
  template <class F>
  void strings(const toml::array& a, const std::string& path, F each) {
    for (size_t i = 0; i < a.size() && error_; ++i) {
      const toml::node& n = *a.get(i);
      if (const auto* v = n.as_string())
        each(v->get(), n, index(path, i));
      else
        toml_fields::fail_at(error_, index(path, i), "expected a string, got " + std::string(toml_fields::type_name(n)), &n);
    }
  }

  // [[estates]]: name, claim_unit, claim_asset, payout_assets, claims_agent, kyc_providers,
  // barred_jurisdictions, and [estates.transfer_rules] min_kyc_level, barred_buyer_jurisdictions.
  void estates(const toml::array& array) {
    each_table(array, "estates", kMaxEstates, [&](const toml::table& t, const std::string& path) {
      Fields f(t, path, {"name", "claim_unit", "claim_asset", "payout_assets", "claims_agent", "kyc_providers", "barred_jurisdictions",
                         "transfer_rules"}, error_);
      EstateConfig e;
      e.name = f.string("name", true);
      e.claim_unit = f.string("claim_unit", true);
      e.claim_asset = asset_ref(f, "claim_asset");
      if (const toml::array* a = f.array("payout_assets", true))
        strings(*a, join(path, "payout_assets"), [&](const std::string& symbol, const toml::node& n, const std::string& at) {
          auto id = asset_named(symbol);
          if (!id) toml_fields::fail_at(error_, at, "no asset \"" + symbol + "\" in assets", &n);
          e.payout_assets.push_back(id.value_or(0));
        });
      e.claims_agent = f.key("claims_agent", true);
      if (const toml::array* a = f.array("kyc_providers", true))
        strings(*a, join(path, "kyc_providers"), [&](const std::string& text, const toml::node& n, const std::string& at) {
          auto k = toml_fields::public_key_from_text(text);
          if (!k) toml_fields::fail_at(error_, at, "not an Ed25519 public key (64 hex digits or base64 of 32 bytes)", &n);
          e.kyc_providers.push_back(k.value_or(crypto::PublicKey{}));
        });
      auto codes = [&](const toml::array& a, const std::string& at, std::vector<std::string>& out) {
        strings(a, at, [&](const std::string& code, const toml::node&, const std::string&) { out.push_back(code); });
      };
      if (const toml::array* a = f.array("barred_jurisdictions", false)) codes(*a, join(path, "barred_jurisdictions"), e.barred_jurisdictions);
      if (const toml::table* r = f.table("transfer_rules", false)) {
        const std::string at = join(path, "transfer_rules");
        Fields g(*r, at, {"min_kyc_level", "barred_buyer_jurisdictions"}, error_);
        e.transfer_rules.min_kyc_level = static_cast<uint8_t>(g.integer_in("min_kyc_level", false, 0, 0, kMaxKycLevel));
        if (const toml::array* a = g.array("barred_buyer_jurisdictions", false))
          codes(*a, join(at, "barred_buyer_jurisdictions"), e.transfer_rules.barred_buyer_jurisdictions);
      }
      c_.estates.push_back(std::move(e));
    });
  }

  void roles(const toml::table& t) {
    Fields f(t, "roles", {"operators", "chain_watchers", "oracle_sources", "custodians"}, error_);
    for (auto [key, role] : {std::pair{"operators", &c_.operators}, std::pair{"chain_watchers", &c_.chain_watchers},
                             std::pair{"oracle_sources", &c_.oracle_sources}, std::pair{"custodians", &c_.custodians}}) {
      const toml::table* r = f.table(key, false);
      if (r == nullptr) continue;
      const std::string path = join("roles", key);
      Fields g(*r, path, {"keys", "threshold"}, error_);
      if (const toml::array* keys = g.array("keys", true)) {
        for (size_t i = 0; i < keys->size() && error_; ++i) {
          const toml::node& n = *keys->get(i);
          auto k = n.is_string() ? toml_fields::public_key_from_text(n.as_string()->get()) : std::nullopt;
          if (!k) toml_fields::fail_at(error_, index(join(path, "keys"), i), "not an Ed25519 public key (64 hex digits or base64 of 32 bytes)", &n);
          role->keys.push_back(k.value_or(crypto::PublicKey{}));
        }
      }
      role->threshold = g.integer<uint32_t>("threshold", true);
    }
  }

  void groups(const toml::array& array) {
    each_table(array, "groups", kMaxGroups, [&](const toml::table& t, const std::string& path) {
      Fields f(t, path, {"name", "accounts", "max_notional", "max_market_notional"}, error_);
      AccountGroup g;
      g.name = f.string("name", true);
      if (const toml::array* a = f.array("accounts", true)) {
        for (size_t i = 0; i < a->size() && error_; ++i) {
          const toml::node& n = *a->get(i);
          const auto* v = n.as_integer();
          if (v == nullptr || v->get() < 0 || v->get() > UINT32_MAX)
            toml_fields::fail_at(error_, index(join(path, "accounts"), i), "expected an account id (an integer within 0..4294967295)", &n);
          else
            g.accounts.push_back(static_cast<AccountId>(v->get()));
        }
      }
      g.max_notional = f.amount("max_notional", true, margin_decimals(), margin_symbol());
      g.max_market_notional = f.amount("max_market_notional", true, margin_decimals(), margin_symbol());
      c_.groups.push_back(std::move(g));
    });
  }

  // [governance]: config_timelock_us, and large_deposit = { SYMBOL = "whole units", ... }.
  void governance(const toml::table& t) {
    Fields f(t, "governance", {"config_timelock_us", "large_deposit"}, error_);
    GovernanceConfig& g = c_.governance;
    g.config_timelock_us = f.integer_in("config_timelock_us", false, 0, 0, kMaxConfigTimelockUs);
    const toml::table* limits = f.table("large_deposit", false);
    if (limits == nullptr || !error_) return;
    const std::string path = "governance.large_deposit";
    for (auto&& [k, n] : *limits) {
      const std::string symbol(k.str());
      const std::string at = join(path, symbol);
      auto asset = asset_named(symbol);
      if (!asset) return toml_fields::fail_at(error_, at, "no asset \"" + symbol + "\" in assets", &n);
      const auto* text = n.as_string();
      auto v = text ? parse_decimal(text->get(), decimals_of(*asset)) : Result<int64_t>(Error::InvalidDecimal, "not a string");
      if (!v || *v < 0)
        return toml_fields::fail_at(error_, at, "expected an exact decimal string in whole " + symbol + " (e.g. \"0.1\")", &n);
      if (g.large_deposit.size() <= *asset) g.large_deposit.resize(*asset + 1, 0);
      g.large_deposit[*asset] = *v;
    }
    while (!g.large_deposit.empty() && g.large_deposit.back() == 0) g.large_deposit.pop_back();
  }

  // [withdrawals]: window_us, cooling_off_us, then per asset [withdrawals.assets.SYMBOL] with
  // approval_above, account_limit and global_limit as exact decimal strings in whole units.
  void withdrawals(const toml::table& t) {
    Fields f(t, "withdrawals", {"window_us", "cooling_off_us", "assets"}, error_);
    WithdrawalConfig& w = c_.withdrawals;
    w.window_us = f.integer_in("window_us", false, 0, 0, kMaxWithdrawalWindowUs);
    w.cooling_off_us = f.integer_in("cooling_off_us", false, 0, 0, kMaxWithdrawalWindowUs);
    const toml::table* assets = f.table("assets", false);
    if (assets == nullptr || !error_) return;
    for (auto&& [k, n] : *assets) {
      const std::string symbol(k.str());
      const std::string at = join("withdrawals.assets", symbol);
      auto asset = asset_named(symbol);
      if (!asset) return toml_fields::fail_at(error_, at, "no asset \"" + symbol + "\" in assets", &n);
      const toml::table* limits = n.as_table();
      if (limits == nullptr) return toml_fields::fail_at(error_, at, "expected a table", &n);
      Fields g(*limits, at, {"approval_above", "account_limit", "global_limit"}, error_);
      if (w.assets.size() <= *asset) w.assets.resize(*asset + 1);
      WithdrawalAssetLimits& l = w.assets[*asset];
      l.approval_above = g.amount("approval_above", false, decimals_of(*asset), symbol);
      l.account_limit = g.amount("account_limit", false, decimals_of(*asset), symbol);
      l.global_limit = g.amount("global_limit", false, decimals_of(*asset), symbol);
    }
    while (!w.assets.empty() && w.assets.back() == WithdrawalAssetLimits{}) w.assets.pop_back();
  }

  Status error_;
  ExchangeConfig c_;
};

}  // namespace

Result<ExchangeConfig> parse_genesis_toml(std::string_view text) {
  if (text.size() > kMaxGenesisBytes)
    return {Error::InvalidConfig, "genesis: the file is larger than 1 MiB (" + std::to_string(text.size()) + " bytes)"};
  toml::table root;
  try {
    root = toml::parse(text, std::string_view("genesis"));
  } catch (const toml::parse_error& e) {
    return {Error::InvalidConfig, "genesis: TOML syntax error at line " + std::to_string(e.source().begin.line) + ", column " +
                                      std::to_string(e.source().begin.column) + ": " + std::string(e.description())};
  }
  if (root.empty()) return {Error::InvalidConfig, "genesis: the file is empty (it sets no key)"};
  if (auto s = refuse_exemptions(root); !s) return s;
  auto config = GenesisReader().read(root);
  if (!config) return config;
  if (auto v = validate_config(*config); !v) return v.status();
  return config;
}

}  // namespace glassbook::engine
