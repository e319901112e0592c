// Estates in the configuration: their validation and what a configuration change may do to them.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "engine/config.h"
#include "engine/config_codec.h"

namespace glassbook::engine {

namespace {

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

Status check_jurisdictions(const std::string& where, const std::vector<std::string>& codes) {
  if (codes.size() > kMaxJurisdictions) return Status(Error::InvalidConfig, fmt::format("{}: more than {} jurisdictions", where, kMaxJurisdictions));
  for (size_t i = 0; i < codes.size(); ++i) {
    if (!is_jurisdiction(codes[i]))
      return Status(Error::InvalidConfig, fmt::format("{}: '{}' is not an ISO 3166-1 alpha-2 code (two upper-case letters)", where, codes[i]));
    // One encoding per set: sorted, each once.
    if (i > 0 && codes[i] <= codes[i - 1])
      return Status(Error::InvalidConfig, fmt::format("{}: jurisdictions must be strictly increasing ('{}' after '{}')", where, codes[i], codes[i - 1]));
  }
  return {};
}

}  // namespace

bool is_jurisdiction(std::string_view code) {
  return code.size() == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z';
}

std::optional<size_t> estate_of_claim_asset(const ExchangeConfig& config, AssetId asset) {
  for (size_t i = 0; i < config.estates.size(); ++i)
    if (config.estates[i].claim_asset == asset) return i;
  return std::nullopt;
}

Status validate_estates(const ExchangeConfig& c) {
  if (c.estates.size() > kMaxEstates) return Status(Error::InvalidConfig, fmt::format("more than {} estates", kMaxEstates));
  std::set<std::string> names;
  std::set<AssetId> claim_assets;
  for (const EstateConfig& e : c.estates) claim_assets.insert(e.claim_asset);
  if (claim_assets.size() != c.estates.size()) return Status(Error::InvalidConfig, "two estates share a claim asset");
  for (size_t i = 0; i < c.estates.size(); ++i) {
    const EstateConfig& e = c.estates[i];
    const std::string where = fmt::format("estate {} ('{}')", i, e.name);
    auto bad = [&](const std::string& why) { return Status(Error::InvalidConfig, where + ": " + why); };
    if (e.name.empty() || e.name.size() > kMaxEstateTextBytes || !printable(e.name))
      return bad(fmt::format("the name must be 1..{} printable ASCII bytes", kMaxEstateTextBytes));
    if (!names.insert(e.name).second) return bad("the name is another estate's");
    if (e.claim_unit.empty() || e.claim_unit.size() > kMaxEstateTextBytes || !printable(e.claim_unit))
      return bad(fmt::format("the claim unit must be 1..{} printable ASCII bytes", kMaxEstateTextBytes));
    if (e.claim_asset >= c.assets.size()) return bad(fmt::format("claim asset {} is not configured", e.claim_asset));
    const AssetConfig& claim = c.assets[e.claim_asset];
    if (claim.valuation != Valuation::None || claim.collateral_weight_ppm != 0)
      return bad(fmt::format("claim asset {} must be unvalued and no collateral: its units are claims, not money", claim.symbol));
    // Claims trade on spot markets behind the engine's eligibility checks (claims_trading.cpp): the
    // claim is what is sold, priced in money, so it is only ever the base.
    for (const MarketConfig& m : c.markets) {
      if (m.quote == e.claim_asset)
        return bad(fmt::format("market {} is quoted in claim asset {}: a claim asset is only ever the base of a spot market", m.symbol,
                               claim.symbol));
      if (m.base != e.claim_asset) continue;
      if (m.kind != MarketKind::Spot)
        return bad(fmt::format("market {} is a perpetual on claim asset {}: claims trade only on spot markets", m.symbol, claim.symbol));
      if (claim_assets.contains(m.quote))
        return bad(fmt::format("market {} trades one estate's claims for another's: the quote must be money", m.symbol));
      // A spot fee is charged in what each side receives: the buyer's would pay claim units to the
      // fee account, making the operator a holder of claims outside the KYC and the transfer records.
      if (m.maker_fee_ppm != 0 || m.taker_fee_ppm != 0)
        return bad(fmt::format("market {} trades claim asset {} with fees: a claim market charges none (a buyer's fee would be "
                               "paid in claim units to the fee account)",
                               m.symbol, claim.symbol));
    }
    if (e.payout_assets.empty() || e.payout_assets.size() > 16) return bad("1..16 payout assets");
    std::set<AssetId> payouts;
    for (AssetId a : e.payout_assets) {
      if (a >= c.assets.size()) return bad(fmt::format("payout asset {} is not configured", a));
      if (claim_assets.contains(a)) return bad(fmt::format("payout asset {} is a claim asset", c.assets[a].symbol));
      if (!payouts.insert(a).second) return bad(fmt::format("payout asset {} named twice", c.assets[a].symbol));
    }
    if (e.claims_agent == crypto::PublicKey{}) return bad("no claims agent key");
    if (e.kyc_providers.empty() || e.kyc_providers.size() > kMaxRoleKeys) return bad(fmt::format("1..{} KYC provider keys", kMaxRoleKeys));
    if (std::set<crypto::PublicKey>(e.kyc_providers.begin(), e.kyc_providers.end()).size() != e.kyc_providers.size())
      return bad("a KYC provider key named twice");
    if (auto s = check_jurisdictions(where + " barred jurisdictions", e.barred_jurisdictions); !s) return s;
    if (e.transfer_rules.min_kyc_level > kMaxKycLevel) return bad(fmt::format("the minimum KYC level must be within 0..{}", kMaxKycLevel));
    if (auto s = check_jurisdictions(where + " barred buyer jurisdictions", e.transfer_rules.barred_buyer_jurisdictions); !s) return s;
  }
  return {};
}

Status check_estate_change(const ExchangeConfig& now, const ExchangeConfig& next) {
  auto refuse = [](std::string why) { return Status(Error::InvalidConfig, "configuration change refused: " + why); };
  if (next.estates.size() < now.estates.size()) return refuse("estates can only be added, never removed");
  for (size_t i = 0; i < now.estates.size(); ++i) {
    const EstateConfig& a = now.estates[i];
    const EstateConfig& b = next.estates[i];
    if (a.name != b.name || a.claim_unit != b.claim_unit || a.claim_asset != b.claim_asset)
      return refuse(fmt::format("estate {} ('{}') keeps its name, claim unit and claim asset", i, a.name));
    if (b.payout_assets.size() < a.payout_assets.size() ||
        !std::equal(a.payout_assets.begin(), a.payout_assets.end(), b.payout_assets.begin()))
      return refuse(fmt::format("estate {} ('{}'): payout assets can only be added", i, a.name));
  }
  // A new estate's claim asset must be new to the ledger too: an existing asset could already be held.
  for (size_t i = now.estates.size(); i < next.estates.size(); ++i)
    if (next.estates[i].claim_asset < now.assets.size())
      return refuse(fmt::format("estate {} ('{}'): its claim asset must be added with it", i, next.estates[i].name));
  return {};
}

}  // namespace glassbook::engine
