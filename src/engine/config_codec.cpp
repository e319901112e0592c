// The configuration's one field list, read and written through ByteWriter/ByteReader.
#include "engine/config_codec.h"

#include <type_traits>

#include "core/byte_io.h"

namespace glassbook::engine {

namespace {

template <class V, class A>
  requires std::is_same_v<std::remove_const_t<A>, AssetConfig>
void fields(V& v, A& a) {
  v.str("asset symbol", a.symbol, kMaxSymbolBytes);
  int32_t decimals = a.decimals;
  v.i32(decimals);
  if constexpr (V::kReading) a.decimals = decimals;
  v.enum8("asset valuation", a.valuation, 3);
  v.u16(a.underlying);
  v.i32(a.collateral_weight_ppm);
}

template <class V, class T>
  requires std::is_same_v<std::remove_const_t<T>, risk::MarginTier>
void fields(V& v, T& t) {
  v.i64(t.max_notional);
  v.i32(t.initial_ppm);
  v.i32(t.maintenance_ppm);
}

template <class V, class P>
  requires std::is_same_v<std::remove_const_t<P>, PerpetualConfig>
void fields(V& v, P& p) {
  v.seq("margin tiers", p.tiers, risk::kMaxMarginTiers, [](V& w, auto& t) { fields(w, t); });
  v.i64(p.funding_interval_us);
  v.i64(p.funding.interest_rate);
  v.i64(p.funding.clamp);
  v.i64(p.funding.cap);
  v.i64(p.impact_notional);
  v.i32(p.basis_alpha_ppm);
  v.i32(p.liquidation_fee_ppm);
  v.i64(p.insurance_max_position);
}

template <class V, class M>
  requires std::is_same_v<std::remove_const_t<M>, MarketConfig>
void fields(V& v, M& m) {
  v.str("market symbol", m.symbol, kMaxSymbolBytes);
  v.u16(m.base);
  v.u16(m.quote);
  v.i64(m.tick_size);
  v.i64(m.lot_size);
  v.i64(m.min_quantity);
  v.i64(m.max_price);
  v.i32(m.maker_fee_ppm);
  v.i32(m.taker_fee_ppm);
  v.i32(m.market_protection_ppm);
  v.u32(m.max_orders);
  v.enum8("market kind", m.kind, 1);
  v.i32(m.band_ppm);
  v.i32(m.breaker.move_ppm);
  v.i64(m.breaker.window_us);
  v.i64(m.breaker.hold_at_band_us);
  v.i64(m.breaker.pause_us);
  // Only a configured breaker has a minimum notional, so a market without one keeps its bytes.
  if (m.breaker.move_ppm != 0) v.i64(m.breaker.min_notional);
  fields(v, m.perp);
  // Appended for perpetuals only, so that a spot market's bytes (and a spot-only state root) stay.
  if (m.kind == MarketKind::Perpetual) v.i32(m.perp.mark_cap_ppm);
}

template <class V, class G>
  requires std::is_same_v<std::remove_const_t<G>, AccountGroup>
void fields(V& v, G& g) {
  v.str("group name", g.name, kMaxSymbolBytes);
  v.seq("group accounts", g.accounts, kMaxGroupAccounts, [](V& w, auto& a) { w.u32(a); });
  v.i64(g.max_notional);
  v.i64(g.max_market_notional);
}

template <class V, class R>
  requires std::is_same_v<std::remove_const_t<R>, RolePolicy>
void fields(V& v, R& r) {
  v.seq("role keys", r.keys, kMaxRoleKeys, [](V& w, auto& k) { w.key(k); });
  v.u32(r.threshold);
}

// The risk parameters added after the governance section (open-interest caps, concentration
// haircuts, the fund's constants): written, after a tag byte, only when one of them differs from
// its default, so that a configuration that keeps them all keeps its bytes and its state roots.
constexpr uint8_t kRiskExtensionTag = 1;
constexpr uint8_t kWitnessTag = 2;
constexpr uint8_t kStateRootTag = 3;  // the state root's version, written only when it is not 1
constexpr uint8_t kWithdrawalTag = 4;  // withdrawals' limits, written only when they are not the default
constexpr uint8_t kEstatesTag = 5;    // bankruptcy estates (estate_config.h), only when there are any
constexpr uint8_t kProofKeyTag = 6;   // the key that signs published liabilities roots, only when one is named
constexpr uint8_t kCustodyTag = 7;    // custody's rules, only when they are not the default
constexpr uint8_t kLastTag = kCustodyTag;

bool risk_extension_is_default(const ExchangeConfig& c) {
  const RiskConfig defaults;
  if (c.risk.seizure_haircut_ppm != defaults.seizure_haircut_ppm || c.risk.fund_unwind_interval_us != defaults.fund_unwind_interval_us ||
      c.risk.fund_slices_per_cap != defaults.fund_slices_per_cap)
    return false;
  for (const AssetConfig& a : c.assets)
    if (a.concentration_share_ppm != 0 || a.concentration_weight_ppm != 0) return false;
  for (const MarketConfig& m : c.markets)
    if (m.perp.max_open_interest != 0 || m.perp.max_account_position != 0) return false;
  return true;
}

template <class V, class C>
void risk_extension(V& v, C& c) {
  v.i32(c.risk.seizure_haircut_ppm);
  v.i64(c.risk.fund_unwind_interval_us);
  v.i32(c.risk.fund_slices_per_cap);
  // One entry per asset and per perpetual market already read: their counts are known.
  for (auto& a : c.assets) {
    v.i32(a.concentration_share_ppm);
    v.i32(a.concentration_weight_ppm);
  }
  for (auto& m : c.markets) {
    if (m.kind != MarketKind::Perpetual) continue;
    v.i64(m.perp.max_open_interest);
    v.i64(m.perp.max_account_position);
  }
  if constexpr (V::kReading) {
    if (v.ok() && risk_extension_is_default(c)) v.fail("a risk section holding only defaults (it is written only when it differs)");
  }
}

// The witnesses who cosign checkpoints (tag kWitnessTag), only when there are any.
template <class V, class C>
void witness_section(V& v, C& c) {
  v.seq("witnesses", c.witnesses.witnesses, kMaxWitnesses, [](V& w, auto& x) {
    w.str("witness name", x.name, kMaxWitnessTextBytes);
    w.str("witness url", x.url, kMaxWitnessTextBytes);
    w.key(x.key);
  });
  v.u32(c.witnesses.quorum);
  if constexpr (V::kReading) {
    if (v.ok() && c.witnesses.witnesses.empty()) v.fail("an empty witness section (it is written only when there are witnesses)");
  }
}

// Withdrawals' window, cooling-off and per-asset limits (tag kWithdrawalTag), only when not default.
template <class V, class C>
void withdrawal_section(V& v, C& c) {
  v.i64(c.withdrawals.window_us);
  v.i64(c.withdrawals.cooling_off_us);
  v.seq("withdrawal limits", c.withdrawals.assets, kMaxConfigAssets, [](V& w, auto& x) {
    w.i64(x.approval_above);
    w.i64(x.account_limit);
    w.i64(x.global_limit);
  });
  if constexpr (V::kReading) {
    if (v.ok() && c.withdrawals == WithdrawalConfig{})
      v.fail("a withdrawal section holding only defaults (it is written only when it differs)");
  }
}

template <class V, class E>
  requires std::is_same_v<std::remove_const_t<E>, EstateConfig>
void fields(V& v, E& e) {
  auto codes = [](V& w, auto& code) { w.str("jurisdiction", code, 2); };
  v.str("estate name", e.name, kMaxEstateTextBytes);
  v.str("claim unit", e.claim_unit, kMaxEstateTextBytes);
  v.u16(e.claim_asset);
  v.seq("payout assets", e.payout_assets, 16, [](V& w, auto& a) { w.u16(a); });
  v.key(e.claims_agent);
  v.seq("KYC providers", e.kyc_providers, kMaxRoleKeys, [](V& w, auto& k) { w.key(k); });
  v.seq("barred jurisdictions", e.barred_jurisdictions, kMaxJurisdictions, codes);
  v.u8(e.transfer_rules.min_kyc_level);
  v.seq("barred buyer jurisdictions", e.transfer_rules.barred_buyer_jurisdictions, kMaxJurisdictions, codes);
}

// The estates (tag kEstatesTag), only when there are any.
template <class V, class C>
void estates_section(V& v, C& c) {
  v.seq("estates", c.estates, kMaxEstates, [](V& w, auto& e) { fields(w, e); });
  if constexpr (V::kReading) {
    if (v.ok() && c.estates.empty()) v.fail("an empty estates section (it is written only when there are estates)");
  }
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, ExchangeConfig>
void fields(V& v, C& c) {
  v.seq("assets", c.assets, kMaxConfigAssets, [](V& w, auto& a) { fields(w, a); });
  v.seq("markets", c.markets, kMaxConfigMarkets, [](V& w, auto& m) { fields(w, m); });
  v.key(c.log_key);
  fields(v, c.operators);
  fields(v, c.chain_watchers);
  fields(v, c.oracle_sources);
  fields(v, c.custodians);
  v.u16(c.risk.margin_asset);
  v.i64(c.risk.oracle_staleness_us);
  v.i32(c.risk.oracle_cap_ppm);
  v.i64(c.risk.insurance_floor);
  v.seq("account groups", c.groups, kMaxGroups, [](V& w, auto& g) { fields(w, g); });
  // The governance section follows only when it differs from the default or a tagged section
  // follows it, so that every configuration written before it existed keeps its bytes, its hash and
  // its journals' roots.
  if constexpr (V::kReading) {
    if (v.remaining() == 0) return;
  } else {
    if (c.governance == GovernanceConfig{} && risk_extension_is_default(c) && c.witnesses.witnesses.empty() &&
        c.state_root_version == kStateRootV1 && c.withdrawals == WithdrawalConfig{} && c.estates.empty() &&
        c.proof_key == crypto::PublicKey{} && c.custody == CustodyConfig{})
      return;
  }
  v.i64(c.governance.config_timelock_us);
  v.seq("large deposits", c.governance.large_deposit, kMaxConfigAssets, [](V& w, auto& x) { w.i64(x); });
  // Then the tagged sections, each only when it holds something other than its defaults, at most
  // once and in tag order: the risk extension (1), the witnesses (2), the state root version (3),
  // the withdrawals (4), the estates (5), the proof key (6), custody (7).
  if constexpr (V::kReading) {
    if (v.remaining() == 0) {
      if (v.ok() && c.governance == GovernanceConfig{})
        v.fail("a governance section holding only defaults (it is written only when it differs)");
      return;
    }
    uint8_t last = 0;
    while (v.ok() && v.remaining() > 0) {
      const size_t left = v.remaining();
      uint8_t tag = 0;
      v.u8(tag);
      if (!v.ok()) return;
      if (tag <= last || tag > kLastTag) return v.fail(std::to_string(left) + " trailing bytes after the governance section");
      last = tag;
      if (tag == kRiskExtensionTag) {
        risk_extension(v, c);
      } else if (tag == kWitnessTag) {
        witness_section(v, c);
      } else if (tag == kWithdrawalTag) {
        withdrawal_section(v, c);
      } else if (tag == kEstatesTag) {
        estates_section(v, c);
      } else if (tag == kCustodyTag) {
        v.boolean(c.custody.halt_withdrawals_on_alert);
        if (v.ok() && c.custody == CustodyConfig{}) v.fail("a custody section holding only defaults (it is written only when it differs)");
      } else if (tag == kProofKeyTag) {
        v.key(c.proof_key);
        if (v.ok() && c.proof_key == crypto::PublicKey{}) v.fail("a proof key section naming no key (it is written only when one is named)");
      } else {
        v.u8(c.state_root_version);
        if (v.ok() && c.state_root_version == kStateRootV1)
          v.fail("a state root section holding only defaults (it is written only when it differs)");
      }
    }
  } else {
    if (!risk_extension_is_default(c)) {
      uint8_t tag = kRiskExtensionTag;
      v.u8(tag);
      risk_extension(v, c);
    }
    if (!c.witnesses.witnesses.empty()) {
      uint8_t tag = kWitnessTag;
      v.u8(tag);
      witness_section(v, c);
    }
    if (c.state_root_version != kStateRootV1) {
      uint8_t tag = kStateRootTag;
      v.u8(tag);
      uint8_t version = c.state_root_version;
      v.u8(version);
    }
    if (c.withdrawals != WithdrawalConfig{}) {
      uint8_t tag = kWithdrawalTag;
      v.u8(tag);
      withdrawal_section(v, c);
    }
    if (!c.estates.empty()) {
      uint8_t tag = kEstatesTag;
      v.u8(tag);
      estates_section(v, c);
    }
    if (c.proof_key != crypto::PublicKey{}) {
      uint8_t tag = kProofKeyTag;
      v.u8(tag);
      v.key(c.proof_key);
    }
    if (c.custody != CustodyConfig{}) {
      uint8_t tag = kCustodyTag;
      v.u8(tag);
      v.boolean(c.custody.halt_withdrawals_on_alert);
    }
  }
}

}  // namespace

std::string encode_config(const ExchangeConfig& config) {
  std::string out;
  ByteWriter w(out);
  fields(w, config);
  return out;
}

Result<ExchangeConfig> decode_config(std::string_view bytes) {
  ExchangeConfig c;
  ByteReader r(bytes, "configuration");
  fields(r, c);
  if (auto s = r.status(); !s) return s;
  if (auto v = validate_config(c); !v) return v.status();
  return c;
}

}  // namespace glassbook::engine
