// Exchange configuration: assets, spot markets with tick/lot sizes and fees, and role keys.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "engine/estate_config.h"
#include "risk/circuit_breaker.h"
#include "risk/funding.h"
#include "risk/margin_tiers.h"

namespace glassbook::engine {

// How the risk engine values an asset in the margin asset (RiskConfig::margin_asset).
enum class Valuation : uint8_t {
  None = 0,        // not valued: never collateral, cannot be the base of a perpetual
  MarginAsset = 1, // the margin asset itself (one whole unit is worth one whole unit)
  Index = 2,       // the median of the oracle sources' prices for this asset
  Redemption = 3,  // a claim on `underlying` (wrapped, staked, a stablecoin): the oracle sources'
                   // median redemption rate x the underlying's value. Never our own order book.
};

struct AssetConfig {
  std::string symbol;  // "BTC"
  int decimals = 0;    // smallest unit = 10^-decimals
  Valuation valuation = Valuation::None;
  AssetId underlying = 0;             // Redemption only: the asset one unit redeems into
  int32_t collateral_weight_ppm = 0;  // share of its value that counts as margin (0: not collateral)
  // Concentration haircut (risk_prices.cpp): the part of this asset's value above
  // `concentration_share_ppm` of the account's collateral value (every collateral asset at its full
  // oracle value) counts at `concentration_weight_ppm` instead of collateral_weight_ppm. Share 0: no
  // haircut (the weight must then be 0 too); otherwise share 1..100% and weight 0..the weight.
  int32_t concentration_share_ppm = 0;
  int32_t concentration_weight_ppm = 0;

  bool has_concentration() const { return concentration_share_ppm != 0; }
  bool operator==(const AssetConfig&) const = default;
};

enum class MarketKind : uint8_t { Spot = 0, Perpetual = 1 };

// A linear perpetual: its base is the valued asset it tracks (no base ever moves in the ledger);
// it is quoted and settled in the margin asset.
struct PerpetualConfig {
  std::vector<risk::MarginTier> tiers;      // by position notional; the last tier caps a position
  int64_t funding_interval_us = 0;          // 1 h or 8 h
  risk::FundingRules funding;               // interest, clamp and cap per interval (1e-9)
  int64_t impact_notional = 0;              // margin-asset units a market order needs for the premium
  int32_t basis_alpha_ppm = 0;              // weight per second of the (mid - index) in its average
  int32_t liquidation_fee_ppm = 0;          // of the liquidated notional, paid to the insurance fund
  int64_t insurance_max_position = 0;       // base units the fund may hold in this market (0: none)
  // How far the mark may stand from the index beyond the funding term (risk/mark_price.h), ppm;
  // 1..kMaxMarkCapPpm (risk_bounds.h). Encoded for perpetual markets only.
  int32_t mark_cap_ppm = 0;
  // Open-interest caps (risk_orders.cpp), base units, multiples of the lot; 0: no cap. An order that
  // could raise the market's open interest (the sum of long positions) beyond `max_open_interest`, or
  // an account's worst-case position beyond `max_account_position`, is refused at entry.
  int64_t max_open_interest = 0;
  int64_t max_account_position = 0;

  bool operator==(const PerpetualConfig&) const = default;
};

// Prices are in quote smallest units per one whole base unit; quantities in base smallest units.
// tick_size * lot_size must be a multiple of 10^base_decimals so that every trade's notional is a
// whole number of quote units (no rounding on settlement).
struct MarketConfig {
  std::string symbol;  // "BTC_USDC"
  AssetId base = 0;
  AssetId quote = 0;
  int64_t tick_size = 1;          // price step, quote units
  int64_t lot_size = 1;           // quantity step, base units
  int64_t min_quantity = 1;       // base units, a multiple of lot_size
  int64_t max_price = 0;          // highest accepted price, quote units (a multiple of tick_size)
  int32_t maker_fee_ppm = 0;      // fee on what the maker receives, parts per million
  int32_t taker_fee_ppm = 0;      // fee on what the taker receives, parts per million
  int32_t market_protection_ppm = 50'000;  // a market order without a limit stops this far beyond the touch
  uint32_t max_orders = 1u << 20;          // resting orders the book may hold
  MarketKind kind = MarketKind::Spot;
  // Price band: limit orders beyond reference x (1 +- band) are refused and market orders stop at
  // the band (the reference is the mark for a perpetual, the last trade for spot). 0: no band.
  int32_t band_ppm = 0;
  risk::BreakerRules breaker;  // all zero: no circuit breaker
  PerpetualConfig perp;        // Perpetual only

  bool operator==(const MarketConfig&) const = default;
};

// Defaults of the risk engine's exchange-wide constants (their bounds: risk_bounds.h). A
// configuration that keeps all of them encodes as it did before they were configurable.
inline constexpr int32_t kDefaultSeizureHaircutPpm = 200'000;      // 20%
inline constexpr int64_t kDefaultFundUnwindIntervalUs = 1'000'000;  // 1 s
inline constexpr int32_t kDefaultFundSlicesPerCap = 20;

// The risk engine's exchange-wide parameters. They belong to the exchange, never to an account.
struct RiskConfig {
  AssetId margin_asset = 0;         // what perpetuals settle in; meaningless without perpetuals
  int64_t oracle_staleness_us = 0;  // a source's price older than this has no weight
  int32_t oracle_cap_ppm = 0;       // each source is capped at the median +- this
  // The insurance fund absorbs a liquidated position only while its equity stays at or above this
  // (margin-asset units); below it, auto-deleveraging takes over.
  int64_t insurance_floor = 0;
  // What an asset margin gives no weight is worth to the fund when it seizes it from a bankrupt
  // account: the index less this share (risk_bankruptcy.cpp). 1..kMaxSeizureHaircutPpm.
  int32_t seizure_haircut_ppm = kDefaultSeizureHaircutPpm;
  // The fund's liquidator (risk_fund_unwind.cpp): at most one slice per market in each interval of
  // journaled time, each at most the fund's position cap / fund_slices_per_cap.
  int64_t fund_unwind_interval_us = kDefaultFundUnwindIntervalUs;
  int32_t fund_slices_per_cap = kDefaultFundSlicesPerCap;

  bool operator==(const RiskConfig&) const = default;
};

// Accounts declared linked (one owner, an affiliate, a market maker and its trading firm). Linking
// only adds limits: an order that would take the group's gross notional (positions and the worst
// case of open orders, at mark; over all perpetuals, and in any one) beyond them is refused, and
// while the positions alone are at or over a limit (a price move, fills) the whole group is
// reduce-only.
struct AccountGroup {
  std::string name;
  std::vector<AccountId> accounts;
  int64_t max_notional = 0;         // margin-asset units, all perpetuals together
  int64_t max_market_notional = 0;  // margin-asset units, in any one perpetual

  bool operator==(const AccountGroup&) const = default;
};

// The keys that hold one role and how many of them must agree (m-of-n). A role with no keys has
// threshold 0 and can do nothing.
struct RolePolicy {
  std::vector<crypto::PublicKey> keys;
  uint32_t threshold = 0;

  bool contains(const crypto::PublicKey& k) const;
  bool operator==(const RolePolicy&) const = default;
};

// How role commands are governed (governance.cpp). The default (all zero) is the strictest for
// deposits (every deposit waits for the chain watchers' threshold) and the loosest for configuration
// changes (no timelock).
struct GovernanceConfig {
  // An approved configuration change that does more than make limits safer waits this long before
  // an operator may enact it (EnactConfig). At most kMaxConfigTimelockUs.
  int64_t config_timelock_us = 0;
  // By asset (at most one entry per asset; missing entries are 0): a deposit of at most this many
  // smallest units is credited on one chain watcher's attestation; a larger one, and every deposit
  // of an asset whose entry is 0, waits for `chain_watchers.threshold` distinct attestations.
  std::vector<int64_t> large_deposit;

  bool operator==(const GovernanceConfig&) const = default;
};
inline constexpr int64_t kMaxConfigTimelockUs = int64_t{30} * 24 * 3600 * 1'000'000;  // 30 days

// A witness the exchange sends each signed checkpoint to (c2sp.org/tlog-witness), and the quorum of
// their cosignatures a checkpoint needs to count (witness_policy.cpp validates them). The engine
// never contacts them: the node's witness client does, off the engine thread.
struct WitnessConfig {
  std::string name;          // its cosigner key name (a schema-less URL): printable ASCII, no space or '+'
  std::string url;           // "http://host:port", where it serves POST /add-checkpoint
  crypto::PublicKey key{};   // its Ed25519 cosigning key

  bool operator==(const WitnessConfig&) const = default;
};
struct WitnessPolicy {
  std::vector<WitnessConfig> witnesses;
  uint32_t quorum = 0;  // 1..witnesses when there are witnesses, else 0

  bool operator==(const WitnessPolicy&) const = default;
};
inline constexpr size_t kMaxWitnesses = 16;
inline constexpr size_t kMaxWitnessTextBytes = 256;  // a name or a URL

// Withdrawal limits of one asset (withdrawals.cpp). Amounts in the asset's smallest units; 0: none.
struct WithdrawalAssetLimits {
  // A withdrawal of more than this waits for `custodians.threshold` custodian approvals; one of at
  // most this is approved at once. 0: every withdrawal of the asset waits for approvals.
  int64_t approval_above = 0;
  int64_t account_limit = 0;  // what one account may request in any window (0: no limit)
  int64_t global_limit = 0;   // what all accounts together may request in any window (0: no limit)

  bool operator==(const WithdrawalAssetLimits&) const = default;
};

// Withdrawals' rules. The default (all zero) approves nothing alone (every withdrawal waits for the
// custodians), sets no velocity limit and lets an allow-listed address be used at once.
struct WithdrawalConfig {
  int64_t window_us = 0;       // the rolling window of the velocity limits (> 0 when any limit is set)
  int64_t cooling_off_us = 0;  // how long a newly allow-listed address waits before withdrawals to it
  std::vector<WithdrawalAssetLimits> assets;  // by asset, at most one entry each; missing: all zero

  const WithdrawalAssetLimits& of(AssetId a) const {
    static const WithdrawalAssetLimits kNone;
    return a < assets.size() ? assets[a] : kNone;
  }
  bool operator==(const WithdrawalConfig&) const = default;
};
inline constexpr int64_t kMaxWithdrawalWindowUs = int64_t{30} * 24 * 3600 * 1'000'000;  // 30 days

// Custody's rules (docs/custody.md, "Reconciliation").
struct CustodyConfig {
  // An open reconciliation alert on an asset refuses new withdrawals of it (WITHDRAWALS_HALTED)
  // until the operators resolve it.
  bool halt_withdrawals_on_alert = true;
  bool operator==(const CustodyConfig&) const = default;
};

// The state root's format (docs/journal.md, "State root"). 1: one SHA-256 over the whole state, what
// every configuration from before version 2 keeps (its checkpoints verify as they were signed).
// 2: accounts, books and credited deposits in buckets whose digests are cached and rehashed only
// where they changed. A configuration change may raise it, never lower it.
inline constexpr uint8_t kStateRootV1 = 1;
inline constexpr uint8_t kStateRootV2 = 2;

// Everything genesis fixes: assets, markets and their fee schedules, and every role's keys. Changing
// any of it later is a command approved by `operators` under their threshold.
struct ExchangeConfig {
  std::vector<AssetConfig> assets;
  std::vector<MarketConfig> markets;
  crypto::PublicKey log_key{};  // the exchange's log key: signs genesis and checkpoints
  RolePolicy operators;         // approve configuration changes, m-of-n
  RolePolicy chain_watchers;    // each attests deposits it saw on chain
  RolePolicy oracle_sources;    // sign index prices; the threshold is the quorum
  RolePolicy custodians;        // approve withdrawals from custody, m-of-n
  RiskConfig risk;
  std::vector<AccountGroup> groups;
  GovernanceConfig governance;
  WitnessPolicy witnesses;
  uint8_t state_root_version = kStateRootV1;  // absent from older configurations: 1
  std::vector<EstateConfig> estates;  // bankruptcy estates whose claims the exchange registers (estates.cpp)
  WithdrawalConfig withdrawals;               // absent from older configurations: the default
  // The exchange's proof key: signs the liabilities roots it publishes (PublishLiabilitiesRoot,
  // docs/proofs.md). All zero: none named, and no root can be published.
  crypto::PublicKey proof_key{};
  CustodyConfig custody;  // absent from older configurations: the default

  bool operator==(const ExchangeConfig&) const = default;
};

// Derived per-market constants, computed once when the configuration is loaded.
struct MarketScale {
  int64_t notional_per_tick_lot = 0;  // quote units for one tick of price times one lot
  int64_t max_price_ticks = 0;
};

// Whether the configuration has any perpetual market (and so a margin asset).
bool has_perpetuals(const ExchangeConfig& config);
// Whether the configuration names an asset valued as the margin asset (the ledger lets only that
// asset go below zero, through margin settlement). Without perpetuals `risk.margin_asset` may name
// nothing at all.
bool has_margin_asset(const ExchangeConfig& config);

// Checks the configuration (sizes, scales, fee bounds, unique symbols, role thresholds within
// 1..keys and no key twice in a role) and derives the scales.
Result<std::vector<MarketScale>> validate_config(const ExchangeConfig& config);

// The witnesses' names, URLs, distinct keys and quorum (witness_policy.cpp); part of validate_config.
Status validate_witnesses(const ExchangeConfig& config);
// The governance section's bounds (governance.cpp); part of validate_config.
Status validate_governance(const ExchangeConfig& config);
// The withdrawal section's bounds (withdrawals.cpp); part of validate_config.
Status validate_withdrawals(const ExchangeConfig& config);
// The chain-watcher attestations a deposit of `amount` of `asset` needs before it is credited.
uint32_t attestations_needed(const ExchangeConfig& config, AssetId asset, int64_t amount);
// Whether `next` differs from `now` only by making limits safer (governance.cpp): lower collateral
// weights, a narrower price band where there was one, lower (or new) open-interest caps, lower group
// limits, lower large-deposit limits, a longer timelock. Such a change needs no timelock.
bool only_safer(const ExchangeConfig& now, const ExchangeConfig& next);

// Whether `next` may replace `now` (governance.cpp): assets and markets are only appended, and an
// existing market keeps what shapes its book; fees, minimum quantity, protection and roles may change.
Status check_config_change(const ExchangeConfig& now, const ExchangeConfig& next);

// The demo and test configuration: BTC, SOL, USDC; BTC_USDC and SOL_USDC; one chain watcher.
ExchangeConfig demo_config(const crypto::PublicKey& chain_watcher);

}  // namespace glassbook::engine
