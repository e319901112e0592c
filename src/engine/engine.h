// The exchange state machine: one deterministic apply(command) -> events over ledger and books.
// No clock, no randomness, no I/O: time arrives in commands. Single-threaded by design.
#pragma once
#include <array>
#include <cstring>
#include <optional>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "book/order_book.h"
#include "core/account_marks.h"
#include "core/id_bitmap.h"
#include "core/byte_io.h"
#include "crypto/sha256.h"
#include "engine/claims_registry.h"
#include "engine/command.h"
#include "engine/config.h"
#include "engine/custody_wallets.h"
#include "engine/deposit_address_book.h"
#include "engine/deposit_ids.h"
#include "engine/distributions.h"
#include "engine/event.h"
#include "engine/pending_deposits.h"
#include "engine/published_liabilities.h"
#include "engine/risk_state.h"
#include "engine/sequenced_requests.h"
#include "engine/trigger_orders.h"
#include "engine/withdrawals.h"
#include "risk/adl_queue.h"
#include "risk/safety_index.h"
#include "ledger/ledger.h"

namespace glassbook::engine {

struct StateBuckets;

// Keys are uniform for honest signers, but every byte counts: a prefix shared by many keys must
// not put them in one bucket.
struct PublicKeyHash {
  size_t operator()(const crypto::PublicKey& k) const {
    uint64_t w[4];
    std::memcpy(w, k.data(), sizeof w);
    uint64_t h = w[0] ^ (w[1] * 0x9E3779B97F4A7C15ull) ^ (w[2] * 0xC2B2AE3D27D4EB4Full) ^ (w[3] * 0x165667B19E3779F9ull);
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

// A trade as kept in a market's recent-trade list (a projection: not part of the state root).
struct TradeRecord {
  SeqNo seq = 0;
  Timestamp timestamp = 0;
  OrderId taker_order_id = 0;
  OrderId maker_order_id = 0;
  int64_t price = 0;
  int64_t quantity = 0;
  book::Side taker_side = book::Side::Buy;
};

// Running totals per market (a projection for the demo and tickers: not part of the state root).
struct MarketStats {
  uint64_t trades = 0;
  int64_t base_volume = 0;
  __int128 quote_volume = 0;
  int64_t last_price = 0;
};

class Engine {
 public:
  static constexpr size_t kRecentTrades = 1000;

  // Throws std::invalid_argument when the configuration is refused.
  explicit Engine(ExchangeConfig config);
  ~Engine();

  // Applies one command. The returned events stay valid until the next call.
  // A refused command yields exactly one Rejected event and changes no state.
  // A SignedRequest carrying a batch of orders is applied order by order and is never refused as a
  // whole once its text, expiry and translation pass: the events of each order, in order, start with
  // OrderAccepted (then that order's rests, trades, cancels) or are a single Rejected (error, market,
  // account and client_id of that order, which changed no state).
  std::span<const Event> apply(const Command& command);
  // The message of the last Rejected event.
  const std::string& last_error() const { return last_error_; }

  // SHA-256 over a canonical serialization of the whole state (config, accounts, balances, books,
  // deposits seen, id counters), in the format the configuration names (state_root_version;
  // docs/journal.md, "State root"). Two engines fed the same commands agree on it. Format 2 rehashes
  // only the buckets changed since the last call (state_root_v2.cpp).
  crypto::Digest state_root() const;
  // Format 2 computed from nothing cached, whatever the configuration's version. Equal to
  // state_root() under format 2 as long as every change marked its bucket: check_state_root().
  crypto::Digest state_root_from_scratch() const;
  // Format 1 over the current state, whatever the configuration names (state_root.cpp; the
  // benchmark compares the two formats over one state).
  crypto::Digest state_root_v1() const;
  // Under format 2: the cached root equals the one from scratch (a change that escaped its mark
  // makes them differ). O(state): tests and invariant-checking builds.
  Status check_state_root() const;
  // Double entry, no negative balances, and held funds equal to what the open orders reserve.
  Status check_invariants() const;
  // The same invariants for what the last command changed only (O(changes), not O(state)): needs
  // log_changes(true) before that command. Every cell and position it changed obeys the rules, the
  // accounts it touched hold exactly what their orders reserve, and its changes sum to zero per
  // asset, per market's positions and between entry costs and the clearing account.
  void log_changes(bool on);
  Status check_last_command() const;
  // Reference mode: every oracle update judges every account with positions, without the safety
  // index (risk_sweep.cpp). Both modes give the same events and state; tests compare them.
  void set_full_sweeps(bool on);

  // Snapshots (snapshot.cpp). snapshot(): canonical, versioned bytes of everything the engine's
  // future behaviour depends on, plus the recent trades and market stats. restore(): its strict
  // inverse; refuses (Error::Corruption, naming the fault) malformed or out-of-range bytes and any
  // state failing check_invariants(). A restored engine's snapshot() is the bytes it came from.
  std::string snapshot() const;
  static Result<std::unique_ptr<Engine>> restore(std::string_view bytes);

  const ExchangeConfig& config() const { return config_; }
  const ledger::Ledger& ledger() const { return ledger_; }
  const book::OrderBook& book(MarketId m) const { return *markets_[m].book; }
  const std::deque<TradeRecord>& recent_trades(MarketId m) const { return markets_[m].trades; }
  const MarketStats& stats(MarketId m) const { return markets_[m].stats; }
  size_t customer_count() const { return keys_.size(); }
  std::optional<AccountId> account_of(const crypto::PublicKey& key) const;
  SeqNo last_seq() const { return last_seq_; }
  Timestamp last_timestamp() const { return last_timestamp_; }

  // Risk (perpetuals). Prices at a time: margin-asset units per whole unit; nullopt when frozen.
  RiskPrices prices_at(Timestamp now) const;
  // The aggregate of an asset's oracle samples at a time: an Index asset's price, a Redemption asset's
  // redemption rate (1e-9); nullopt when frozen or not priced by the oracle (risk_queries.cpp).
  std::optional<int64_t> oracle_aggregate_at(AssetId a, Timestamp now) const;
  // The own time of a source's last accepted OracleReport (0: none), by its index in oracle_sources.
  Timestamp last_report_time(size_t source) const { return source < report_times_.size() ? report_times_[source] : 0; }
  const PerpPosition* position(AccountId a, MarketId m) const {
    return a < margin_.size() ? margin_[a].find(m) : nullptr;
  }
  MarginSummary margin_of(AccountId a, const RiskPrices& prices) const;
  // What all of `a`'s free `x` adds to its collateral, concentration haircuts included (what margin
  // gives it; risk_prices.cpp).
  __int128 concentrated_value_of(AccountId a, AssetId x, const RiskPrices& prices) const;
  // margin_of(a, prices).equity alone, without the margins.
  __int128 equity_of(AccountId a, const RiskPrices& prices) const;
  const PerpState* perp_state(MarketId m) const;
  // Where an account's position stands in the auto-deleveraging queue of its side (adl_place.cpp):
  // `rank` 1 is taken first, of `of` positions on that side; nullopt without a position or a mark.
  struct AdlPlace {
    uint64_t rank = 0;
    uint64_t of = 0;
  };
  std::optional<AdlPlace> adl_place(AccountId a, MarketId m, const RiskPrices& prices) const;
  // Isolated margin (isolated.cpp): an isolated account's owner and market; nullopt for any other.
  struct IsolatedLink {
    AccountId owner = 0;
    MarketId market = 0;
    bool operator==(const IsolatedLink&) const = default;
  };
  std::optional<IsolatedLink> isolated(AccountId a) const;
  // The owner's isolated account for a market, if it opened one.
  std::optional<AccountId> isolated_of(AccountId owner, MarketId market) const;  // nullptr unless m is a perpetual (perp_queries.cpp)
  bool market_paused(MarketId m, Timestamp now) const { return markets_[m].breaker.paused(now); }
  size_t accounts_with_positions() const;
  // A perpetual's open interest: the sum of its long positions, in lots (0 for a spot market).
  int64_t open_interest_lots(MarketId m) const { return m < open_interest_.size() ? open_interest_[m] : 0; }
  // Signed requests remembered so that a replay inside their window is refused (sequenced_requests.h).
  size_t remembered_requests() const { return requests_.size(); }
  // Whether this signer's exact signed text was sequenced and is remembered (a replay would be refused).
  bool request_sequenced(const crypto::PublicKey& signer, std::string_view text) const {
    return requests_.contains(SequencedRequests::digest(signer, text));
  }

  // Role commands' state (governance.cpp): deposits waiting for attestations, whether a deposit id
  // was credited, and the pending configuration proposals.
  const PendingDeposits& pending_deposits() const { return pending_deposits_; }
  bool deposit_credited(uint64_t deposit_id) const { return deposits_seen_.contains(deposit_id); }
  // The deposit addresses recorded by chain watchers (engine_deposit_addresses.cpp).
  const DepositAddressBook& deposit_addresses() const { return deposit_addresses_; }
  struct ProposalStatus {
    uint64_t id = 0;
    crypto::Digest config_hash{};
    std::vector<crypto::PublicKey> approvals;
    Timestamp enactable_at = 0;  // 0: still short of the operators' threshold
  };
  std::vector<ProposalStatus> pending_proposals() const;
  // Trigger orders waiting for their price (engine_triggers.cpp).
  const TriggerOrders& trigger_orders() const { return triggers_; }
  // Bankruptcy estates' claims and KYC attestations (engine_claims.cpp, docs/claims.md).
  const ClaimsRegistry& claims() const { return claims_; }
  // Withdrawals, their allow-lists and deposit reversals (engine_withdrawals.cpp).
  const Withdrawals& withdrawals() const { return withdrawals_; }
  // Distributions to claim holders and their escrow (engine_distributions.cpp, docs/claims.md).
  const Distributions& distributions() const { return distributions_; }
  // While an estate's round is being paid its claim units cannot move: the holdings paid are those
  // at the record point. Every command that would move them (attestations, links, and trades in
  // claim markets) is refused while this holds.
  bool distribution_freezes_units(size_t estate) const;
  // The exchange's wallets, their observed balances, pending votes and open reconciliation alerts
  // (engine_custody.cpp, docs/custody.md).
  const CustodyWallets& custody() const { return custody_; }
  // One asset's reconciliation as of now (docs/custody.md, "Reconciliation"), for every asset with a
  // customer wallet: O(assets + wallets + pending deposits + open withdrawals), never O(accounts).
  struct AssetReconciliation {
    AssetId asset = 0;
    size_t customer_wallets = 0;
    bool observed = false;             // every customer wallet has an observed balance
    __int128 liabilities = 0;          // customer accounts' ledger totals (holds included)
    __int128 exchange_own = 0;         // the exchange's own ledger balances (fees, insurance fund...)
    __int128 expected = 0;             // what came in from chain, net: liabilities + exchange_own
    __int128 customer_wallets_balance = 0;
    __int128 operational_wallets_balance = 0;
    __int128 pending_deposits = 0;     // attested on chain, not yet credited
    __int128 pending_withdrawals = 0;  // broadcast, not yet settled
    __int128 discrepancy = 0;          // < 0 shortfall, > 0 surplus, 0 within the in-flight band
    std::optional<uint64_t> open_alert;
  };
  std::vector<AssetReconciliation> reconciliation() const;
  // The liabilities roots published so far: the newest and their count (engine_liabilities.cpp).
  const PublishedLiabilities& published_liabilities() const { return published_liabilities_; }

  // Price and quantity conversions for a market (quote units <-> ticks, base units <-> lots).
  int64_t price_of_ticks(MarketId m, book::Ticks t) const { return t * config_.markets[m].tick_size; }
  int64_t quantity_of_lots(MarketId m, book::Lots l) const { return l * config_.markets[m].lot_size; }

 private:
  struct Market {
    MarketConfig cfg;
    MarketScale scale;
    std::unique_ptr<book::OrderBook> book;
    std::deque<TradeRecord> trades;
    MarketStats stats;
    risk::CircuitBreaker breaker;
    PerpState perp;  // perpetuals only
    bool is_perp() const { return cfg.kind == MarketKind::Perpetual; }
  };
  struct Taker {  // the order currently matching, while its book events are settled
    AccountId account;
    book::Side side;
    book::Ticks limit;
    uint32_t client_id;
  };

  Status on(const Command& c, const RegisterAccount& r);
  Status on(const Command& c, const Deposit& d);
  Status on(const Command& c, const PlaceOrder& p);
  Status on(const Command& c, const CancelOrder& x);
  Status on(const Command& c, const CancelAll& x);
  Status on(const Command& c, const AmendOrder& a);
  Status on(const Command& c, const ProposeConfig& p);   // governance.cpp
  Status on(const Command& c, const ApproveConfig& a);   // governance.cpp
  Status on(const Command& c, const EnactConfig& e);     // governance.cpp
  Status on(const Command& c, const TimedRoleCommand& t);  // governance.cpp
  Status on(const Command& c, const RecordDepositAddress& r);  // engine_deposit_addresses.cpp: refused bare
  Status record_deposit_address(const Command& c, const RecordDepositAddress& r);  // inside a TimedRoleCommand
  Status on(const Command& c, const SignedRequest& r);   // signed_request.cpp
  Status on(const Command& c, const OracleUpdate& u);    // risk_oracle.cpp
  Status on(const Command& c, const OracleReport& r);    // risk_oracle.cpp
  Result<size_t> oracle_source(const Command& c) const;  // the signer's index among the sources
  // One source's quotes: validated, recorded, then premiums, funding and the liquidation sweep.
  // `signed_time`: the time the samples are judged fresh by (the report's own time, never later
  // than the sequencer's; an OracleUpdate has only the sequencer's).
  Status apply_quotes(const Command& c, size_t source, std::span<const OracleQuote> quotes, Timestamp signed_time);
  Status on(const Command& c, const AttestClaim& a);    // engine_claims.cpp
  Status on(const Command& c, const LinkClaim& l);      // engine_claims.cpp
  Status on(const Command& c, const AttestKyc& k);      // engine_claims.cpp
  // Moves claim units so that the ledger backs `after` for a claim that backed `before`: from the
  // issuer to the holder, or back (refused when the holder no longer has them available).
  Status move_claim_units(const Command& c, size_t estate, uint64_t claim_id, AccountId holder, int64_t before, int64_t after);
  // The estates' issuers and registry entries for the configuration in force (engine_claims.cpp).
  void install_estates();
  // Distributions (engine_distributions.cpp).
  Status on(const Command& c, const DeclareDistribution& d);
  Status on(const Command& c, const PayDistribution& p);
  Status on(const Command& c, const ReleaseEscrow& r);
  // Records that a command moved `estate`'s claim units (a record point before it is refused);
  // every command that moves claim units between accounts or to or from the issuer calls it.
  void note_claim_units_moved(size_t estate, SeqNo seq);
  // The round's system account against its rounds and the escrow account against the escrow
  // (O(estates × assets)); `full` also checks each round's sums and every escrow entry.
  Status check_distributions(bool full) const;
  // Each estate's outstanding units against its issuer's balance (O(estates)); `full` also sums
  // every claim (O(claims)).
  Status check_claims(bool full) const;
  // Claims trading (claims_trading.cpp). The estate whose claims market `mid` is, if any.
  std::optional<size_t> claim_estate(MarketId mid) const;
  // Whether `account` may trade on `side` in `estate`'s claim market at `now`: a KYC attestation that
  // has not expired and, to buy, the estate's transfer rules (KycMissing, KycExpired, KycLevelTooLow,
  // BuyerJurisdictionBarred, each naming the rule).
  Status check_claim_trader(size_t estate, AccountId account, book::Side side, Timestamp now) const;
  // check_claim_trader for an order that may fill now (placed, amended, fired): refused as well while
  // the estate pays a distribution round (MarketPaused), whose record of holdings must not change.
  Status check_claim_order(size_t estate, AccountId account, book::Side side, Timestamp now) const;
  // Cancels (ClaimIneligible) the resting orders an order of `taker` up to `limit` would meet whose
  // owners may no longer trade, until the eligible ones cover its `lots`.
  void cancel_ineligible_claim_makers(const Command& c, MarketId mid, size_t estate, AccountId taker, book::Side side,
                                      book::Ticks limit, book::Lots lots);
  // The levels of the `resting` side counting only eligible owners' orders, best first (a market
  // order in a claim market is sized and limited by these).
  void eligible_claim_levels(const Command& c, MarketId mid, size_t estate, book::Side resting,
                             std::vector<book::OrderBook::Level>& out) const;
  // The ClaimTransferred record of a fill just settled in a claim market (nothing elsewhere).
  void record_claim_transfer(const Command& c, MarketId mid, const book::Event& be);
  // Withdrawals (engine_withdrawals.cpp). The role commands are accepted only inside a
  // TimedRoleCommand (their bare forms are refused), which runs the named handlers.
  Status on(const Command& c, const AddWithdrawalAddress& a);
  Status on(const Command& c, const RequestWithdrawal& w);
  Status on(const Command& c, const ApproveWithdrawal& a);
  Status on(const Command& c, const BroadcastWithdrawal& b);
  Status on(const Command& c, const SettleWithdrawal& s);
  Status on(const Command& c, const ReverseDeposit& r);
  Status on(const Command& c, const CancelWithdrawal& x);
  Status on(const Command& c, const RemoveWithdrawalAddress& a);
  Status on(const Command& c, const PublishLiabilitiesRoot& p);  // engine_liabilities.cpp
  Status approve_withdrawal(const Command& c, const ApproveWithdrawal& a);
  Status broadcast_withdrawal(const Command& c, const BroadcastWithdrawal& b);
  Status settle_withdrawal(const Command& c, const SettleWithdrawal& s);
  Status reverse_deposit(const Command& c, const ReverseDeposit& r);
  Status cancel_withdrawal(const Command& c, const CancelWithdrawal& x);
  // The withdrawal's event of `kind` (account, asset, amount, id, client id).
  void withdrawal_event(EventKind kind, const Withdrawal& w, int64_t remaining = 0);
  // Wallets and reconciliation (engine_custody.cpp): timed role commands only, like withdrawals'.
  Status on(const Command& c, const RegisterWallet& r);
  Status on(const Command& c, const ObserveWalletBalance& o);
  Status on(const Command& c, const Reconcile& r);
  Status on(const Command& c, const ResolveReconciliationAlert& r);
  Status register_wallet(const Command& c, const RegisterWallet& r);
  Status observe_wallet_balance(const Command& c, const ObserveWalletBalance& o);
  Status reconcile_on_demand(const Command& c);
  Status resolve_alert(const Command& c, const ResolveReconciliationAlert& r);
  // Reconciles one asset: a Reconciled event, and an alert when it finds a discrepancy and none is open.
  void reconcile_asset(const Command& c, const AssetReconciliation& r);
  // Refuses a withdrawal (or an allow-listing) to one of the exchange's own wallets, and one of an
  // asset whose withdrawals an open alert halts.
  Status check_custody_destination(const std::string& address);
  Status check_withdrawals_running(AssetId asset);
  Status on(const Command& c, const OpenIsolated& o);    // isolated.cpp
  Status on(const Command& c, const TransferMargin& t);  // isolated.cpp
  // Counts `approver`'s approval of a pending proposal. At the operators' threshold it applies it,
  // or, for a change the timelock holds, makes it enactable once the timelock has passed from `now`.
  void approve(uint64_t proposal_id, const crypto::PublicKey& approver, Timestamp now);
  void enact(uint64_t proposal_id);
  void add_market(const MarketConfig& cfg, const MarketScale& scale);
  // Puts a validated, compatible configuration in force: new assets and markets, new fees and roles.
  void install_config(const ExchangeConfig& next);

  // Trigger orders (engine_triggers.cpp). A PlaceOrder with a trigger price waits in triggers_;
  // after each command, fire_triggers enters every order the prices reached, one at a time (each may
  // move the price that decides the next). cancel_trigger: false when the account has no pending
  // order `id` in `market`.
  Status place_trigger(const Command& c, const PlaceOrder& p);
  Status check_position_share(const PlaceOrder& p, const Market& m);
  int64_t reducible_lots(AccountId account, MarketId market, book::Side side) const;
  void fire_triggers(const Command& c);
  bool cancel_trigger(AccountId account, MarketId market, OrderId id);
  // The price a trigger order of `market` compares with: the last trade, or the mark at `now`; 0 when
  // there is none (no trade yet, a frozen index).
  int64_t trigger_reference(MarketId market, TriggerBy by, Timestamp now);
  // Take-profit and stop-loss (engine_attached.cpp): `lots` of order `id` (account, market, side)
  // filled: its pair of trigger orders is created or grows; an order done (filled or cancelled)
  // forgets what it carried; a fired one cancels its sibling.
  void on_parent_fill(const Command& c, MarketId market, AccountId account, OrderId id, book::Side side, int64_t quantity);
  void on_parent_done(OrderId id);
  void cancel_sibling(const TriggerOrder& fired);
  Status authorize(const Command& c, AccountId account) const;
  Result<MarketId> market_of(MarketId m) const;
  // Funds an order of `lots` at `ticks` reserves: quote for a buy, base for a sell.
  int64_t hold_for(const Market& m, book::Side side, book::Ticks ticks, book::Lots lots) const;
  AssetId hold_asset(const Market& m, book::Side side) const { return side == book::Side::Buy ? m.cfg.quote : m.cfg.base; }
  // Turns the book's events into ledger movements and engine events.
  void settle(const Command& c, MarketId mid, const Taker& taker);
  void settle_trade(const Command& c, MarketId mid, const Taker& taker, const book::Event& be);
  // The Trade event, the recent-trade list, the market's statistics and its circuit breaker.
  void record_trade(const Command& c, MarketId mid, const book::Event& be, int64_t taker_fee, int64_t maker_fee);
  void release_order(MarketId mid, AccountId account, book::Side side, book::Ticks ticks, book::Lots lots);
  void forget_client_id(AccountId account, OrderId id);
  Status reject(Error code, std::string message);

  // Risk (risk_*.cpp).
  // The checks a new order passes before the book sees it: pause, band, frozen index, group limits
  // and, for a perpetual, initial margin. `ticks` is the limit (for a market order, its protection
  // limit, which this may pull in to the band).
  // An amend passes the same checks for the order it would leave, judged against what the order
  // it replaces already reserves (`replaced`: that order's price and remaining lots).
  struct ReplacedOrder {
    book::Ticks ticks = 0;
    book::Lots lots = 0;
  };
  Status check_order_risk(const Command& c, const Market& m, MarketId mid, AccountId account, book::Side side,
                          book::Ticks& ticks, book::Lots lots, bool is_market,
                          std::optional<ReplacedOrder> replaced = std::nullopt);
  // The fill rule (risk_fill_rule.cpp). The tick where closing all `lots` (signed) of `mid` at
  // `equity` leaves the account's equity at zero, rounded toward solvency.
  book::Ticks bankruptcy_ticks(MarketId mid, int64_t lots, __int128 equity, int64_t mark) const;
  // Whether filling `lots` (signed: > 0 buys) at `price` with a fee of `fee_ppm` would leave `a`
  // below maintenance margin with a larger shortfall than now.
  bool fill_deepens_shortfall(AccountId a, MarketId mid, int64_t lots, int64_t price, int64_t fee_ppm,
                              const RiskPrices& prices) const;
  // Cancels the resting orders an order of `taker` up to `limit` would meet whose fill would break
  // the fill rule for their owner (prices: nullptr computes them when anything crosses).
  void cancel_unsafe_makers(const Command& c, MarketId mid, AccountId taker, book::Side side, book::Ticks limit,
                            book::Lots lots, const RiskPrices* prices);
  // An order that can only reduce `held` lots (signed) of `mid`: refused beyond the bankruptcy
  // price (a market order stops there) or when it would deepen a shortfall (risk_orders.cpp).
  Status check_reducing(const Market& m, MarketId mid, AccountId account, book::Side side, int64_t held,
                        book::Ticks& ticks, book::Lots lots, bool is_market, const MarginSummary& s,
                        const RiskPrices& prices);
  // The open-interest caps (risk_orders.cpp) for an order of `lots` on `side` by an account holding
  // `held` lots (signed) whose worst case with the order would be `worst_lots_after`.
  Status check_open_interest(const Market& m, MarketId mid, book::Side side, int64_t held, book::Lots lots,
                             int64_t worst_lots_after) const;
  // check_reducing while a price the account depends on is frozen (risk_orders.cpp): judged against a
  // bankruptcy price that needs no frozen price, or refused when none can be had.
  Status check_reducing_frozen(const Market& m, MarketId mid, AccountId account, book::Side side, int64_t held,
                               book::Ticks& ticks, bool is_market, const RiskPrices& prices);
  PerpPosition& position_slot(AccountId a, MarketId m);
  void drop_if_empty(AccountId a, MarketId m);
  // A fill of `lots` (signed: + buys) in a perpetual at `ticks`: moves the position, realizes PnL
  // against the clearing account, emits PositionChanged, marks the account touched.
  void apply_fill(AccountId a, MarketId m, int64_t lots, int64_t ticks);
  void settle_perp_trade(const Command& c, MarketId mid, const Taker& taker, const book::Event& be);
  // Moves `amount` (> 0) of the margin asset; `from` may go below zero (perpetual settlement).
  void settle_margin(AccountId from, AccountId to, int64_t amount, const char* what);
  // Pays the funding due; false (nothing paid) when a payment would overflow (funding_fits).
  bool apply_funding(const Command& c, MarketId mid, const RiskPrices& prices);
  bool funding_fits(MarketId mid, int64_t per_lot) const;
  static constexpr uint32_t kSkippedUnpriced = 0, kSkippedOverflow = 1;  // FundingSkipped's client_id
  void skip_funding(MarketId mid, Timestamp first, int64_t intervals, uint32_t why);
  void sample_premium(MarketId mid, const RiskPrices& prices);
  // Liquidates every listed account below maintenance margin, the deepest shortfall first, ties
  // by id; returns whether any was liquidated (risk_liquidation.cpp).
  bool check_liquidations(const Command& c, const RiskPrices& prices, std::span<const AccountId> accounts);
  struct Shortfall {
    __int128 amount;  // maintenance minus equity, > 0
    AccountId account;
  };
  bool liquidate_worst_first(const Command& c, const RiskPrices& prices, std::vector<Shortfall>& below);
  // check_liquidations within a sweep: the deleveraging queues it has ranked stay.
  bool judge_and_liquidate(const Command& c, const RiskPrices& prices, std::span<const AccountId> accounts);
  // The oracle update's sweep: rounds of check_liquidations over every account with positions until
  // a round liquidates nobody, visiting only the accounts that changed, that have no bounds, or
  // whose safe bounds the new prices crossed (risk_sweep.cpp).
  void sweep_liquidations(const Command& c, const RiskPrices& prices);
  // Bounds for an account just judged safe at `prices` (or marks it to be judged every sweep).
  void watch(AccountId a, const MarginSummary& s, const RiskPrices& prices);
  // Forgets every bound and marks every account with positions changed: after a restore or a
  // configuration change.
  void rewatch_all();
  Status check_watch() const;
  // Liquidates `a`, judged `s` (below maintenance) at `prices` in its state now.
  void liquidate(const Command& c, AccountId a, const RiskPrices& prices, MarginSummary s);
  void prefetch_account(AccountId a) const;  // its position and balances, ahead of a scattered visit
  // The account's open position of the largest notional at mark (the first of equals, in position
  // order); nullptr without one. Precondition: every open position's mark is known (not frozen).
  const PerpPosition* largest_position(AccountId a, const RiskPrices& prices) const;
  // Closes `lots` (signed, the liquidated account's side) of `a`'s position in `mid` at the
  // bankruptcy price `bp_ticks`: the insurance fund takes it over if it can, else auto-deleveraging.
  void take_over(const Command& c, AccountId a, MarketId mid, int64_t lots, book::Ticks bp_ticks, const RiskPrices& prices);
  // Bankruptcy (risk_bankruptcy.cpp): a flat account below zero equity loses its orders and every
  // asset toward its debt; the fund pays down to its floor, every customer's free margin asset the rest.
  void cover_bad_debt(const Command& c, AccountId a, const RiskPrices& prices);
  // The insurance fund's liquidator (risk_fund_unwind.cpp): one bounded IOC slice per market of each
  // position the fund holds, when this command's time starts a new interval after `previous`.
  void unwind_fund(const Command& c, Timestamp previous, const RiskPrices& prices);
  // The fund's own floor (risk_fund_floor.cpp): when its equity above the floor falls below the
  // maintenance margin of its positions, they are deleveraged against the opposite side at the price
  // that leaves its equity at the floor.
  void guard_fund_floor(const Command& c, const RiskPrices& prices);
  bool cancel_orders_everywhere(const Command& c, AccountId a, CancelCause cause);  // whether any was open
  void seized(AccountId a, AssetId x, int64_t amount, int64_t credited);  // its CollateralConverted event
  // Assets margin gives no weight, bought by the fund toward `need`; returns what it paid.
  __int128 seize_unweighted(AccountId a, __int128 need, const RiskPrices& prices);
  void socialize_loss(AccountId bankrupt, int64_t loss);
  // How many of `lots` (the liquidated side's direction `dir`) the insurance fund can take over at
  // `bp_ticks`: within its position cap, its equity staying at or above its floor.
  int64_t fund_capacity(MarketId mid, int64_t dir, int64_t lots, book::Ticks bp_ticks, const RiskPrices& prices) const;
  // The liquidation fee on `lots` of `mid` closed by a liquidation, capped by the account's equity.
  void charge_liquidation_fee(AccountId a, MarketId mid, int64_t lots, const RiskPrices& prices);
  // Margin debt without positions (risk_debt.cpp). settle_debt: for a flat account below zero in the
  // margin asset, the insurance fund pays the debt against collateral at its weighted value (or, when
  // that is not enough, cover_bad_debt); with a frozen price the account waits in debtors_.
  int64_t margin_debt(AccountId a) const;  // what a customer owes in the margin asset (>= 0)
  bool flat(AccountId a) const;            // no position with lots
  void settle_debt(const Command& c, AccountId a, const RiskPrices& prices);
  void settle_debtors(const Command& c, const RiskPrices& prices);  // every waiting debtor, in id order
  void find_debtors();                             // after a restore: every flat customer with a debt
  // prices_at's oracle part: every asset's value, computed again only when a sample arrives or a
  // fresh one goes stale (derived, not in the state; oracle_version_ counts sample changes).
  struct AssetPriceCache {
    uint64_t version = UINT64_MAX;
    Timestamp from = 0, until = 0;  // valid for from <= now < until
    std::vector<std::optional<int64_t>> asset;
  };
  void compute_asset_prices(Timestamp now, AssetPriceCache& cache) const;
  const std::vector<std::optional<int64_t>>& cached_asset_prices(Timestamp now);
  RiskPrices with_marks(Timestamp now, std::vector<std::optional<int64_t>> asset) const;
  // prices_at(now) for the engine's own commands, from the cache (prices_at stays free of shared
  // state, so that readers of a shadow engine may call it concurrently).
  RiskPrices current_prices(Timestamp now);
  AssetPriceCache asset_prices_;
  uint64_t oracle_version_ = 0;
  // Weighted collateral beyond spot holds (risk_prices.cpp), concentration haircuts applied; `frozen`
  // set when a price is missing. `hold` more of `hold_asset` counts as held (a spot order's check).
  __int128 collateral_of(AccountId a, const RiskPrices& prices, bool& frozen, AssetId hold_asset = 0, int64_t hold = 0) const;
  // Positions auto-deleveraging takes from, in order; ranked once per liquidation sweep.
  risk::AdlQueue adl_queue(MarketId mid, int64_t dir, const RiskPrices& prices) const;
  void rank_adl(MarketId mid, int64_t dir, const RiskPrices& prices, risk::AdlQueue& queue) const;  // into `queue`
  void reset_adl_queues();  // empties this sweep's queues, keeping their storage
  int group_of(AccountId a) const;  // -1 when not linked
  void index_groups();
  // GroupLimit when the order (already counted in `a`'s open lots) would take a's group beyond a
  // limit; ReduceOnly when the group's positions alone are at or over one.
  Status check_group(AccountId a, MarketId mid, const RiskPrices& prices) const;
  void observe_breaker(const Command& c, MarketId mid, book::Ticks price, int64_t notional, bool at_band);
  Status read_isolated(ByteReader& r);  // isolated.cpp: the snapshot's isolated section
  void write_risk(ByteWriter& w) const;  // risk_codec.cpp
  void write_risk_markets(ByteWriter& w) const;  // write_risk without the positions
  void write_positions(ByteWriter& w, AccountId a) const;  // one account's, for its state bucket
  // The state root (state_root.cpp, state_root_v2.cpp): format 1, format 2 over a cache (`drain`:
  // it is the engine's own and takes the marks of what changed), one bucket of each kind, and the
  // fields both formats hash after the books.
  crypto::Digest state_root_v2(StateBuckets& cache, bool drain) const;
  bool hash_account_bucket(uint64_t bucket, crypto::Sha256& h) const;
  bool hash_level_bucket(MarketId m, uint64_t key, crypto::Sha256& h) const;
  void hash_roles_and_risk(crypto::Sha256& h, bool v2) const;
  Status read_risk(ByteReader& r);
  void write_risk_samples(ByteWriter& w) const;  // risk_codec.cpp: breaker batches, standing samples
  Status read_risk_samples(ByteReader& r);
  Status check_risk_invariants() const;  // invariants.cpp
  Status check_account(AccountId a) const;
  Status check_position_entry(AccountId a, size_t i) const;
  void note_position(AccountId a, MarketId m);

  ExchangeConfig config_;
  ledger::Ledger ledger_;
  std::vector<Market> markets_;
  std::vector<crypto::PublicKey> account_keys_;  // by customer index (account - kFirstCustomer)
  std::unordered_map<crypto::PublicKey, AccountId, PublicKeyHash> keys_;
  DepositIds deposits_seen_;  // credited deposit ids
  PendingDeposits pending_deposits_;  // attested by fewer chain watchers than they need
  DepositAddressBook deposit_addresses_;  // recorded by chain watchers, never taken back
  SequencedRequests requests_;  // signed requests sequenced inside their open windows
  std::unordered_map<uint64_t, OrderId> client_ids_;   // (account << 32 | client id) -> open order
  std::unordered_map<OrderId, uint32_t> order_client_;  // open order -> its client id (when it has one)
  // Governance: pending configuration proposals by id (at most kMaxPendingProposals).
  struct Proposal {
    std::shared_ptr<const ExchangeConfig> config;
    crypto::Digest config_hash{};
    std::vector<crypto::PublicKey> approvals;  // distinct operators, in the order they approved
    Timestamp enactable_at = 0;  // approved, waiting for its timelock: enactable from then (µs); else 0
  };
  static constexpr size_t kMaxPendingProposals = 8;
  std::map<uint64_t, Proposal> proposals_;
  TriggerOrders triggers_;
  ClaimsRegistry claims_;
  Withdrawals withdrawals_;
  Distributions distributions_;
  PublishedLiabilities published_liabilities_;
  CustodyWallets custody_;
  std::optional<OrderId> fired_id_;  // while a fired trigger order enters the book: the id it keeps
  uint64_t highest_proposal_id_ = 0;
  OrderId next_order_id_ = 1;
  SeqNo last_seq_ = 0;
  Timestamp last_timestamp_ = 0;

  // Risk state.
  std::vector<std::vector<risk::OracleSample>> oracle_;  // by asset, then by oracle source index
  std::vector<Timestamp> report_times_;                  // by source index: its last OracleReport's own time
  std::vector<MarginAccount> margin_;                    // by account id (system accounts included)
  std::unordered_map<AccountId, int> group_index_;       // linked account -> its group in config_.groups
  // Isolated accounts: by account, and by (owner << 16 | market). Their keys in account_keys_ are
  // their owners'; keys_ maps a key to its owner only.
  // Flat customers in margin debt whose collateral could not be valued (frozen prices): derived
  // from the ledger and the positions, settled at the next oracle update that can value it.
  std::set<AccountId> debtors_;
  std::map<AccountId, IsolatedLink> isolated_;
  std::map<uint64_t, AccountId> isolated_by_owner_;
  std::optional<std::pair<MarketId, book::Ticks>> band_stop_;  // a market order's band limit, while it matches
  // Accounts whose positions this command moved: marked as they move (touched_) and judged in id
  // order once the command is done (touched_ids_, walked from the bitmap, not sorted).
  IdBitmap touched_;
  std::vector<AccountId> touched_ids_;
  CancelCause cancel_cause_ = CancelCause::User;         // the cause liquidation cancels carry
  Timestamp previous_timestamp_ = 0;                     // the last command's time, while one applies
  const RiskPrices* liquidation_prices_ = nullptr;       // while a liquidation order matches: its prices
  std::vector<std::array<risk::AdlQueue, 2>> adl_queues_;     // this sweep's, by market: [0] longs, [1] shorts

  // The liquidation watch (risk_sweep.cpp). Every account with positions is in exactly one of:
  // changed_ (its balances or positions moved since it was last judged; the ledger marks it too),
  // unbounded_ (judged at every sweep), or the safety index, whose bounds contain the prices of
  // the last sweep, at which it was safe. Derived state: not in snapshots or the state root.
  AccountMarks changed_;
  AccountMarks unbounded_;
  risk::SafetyIndex safety_;
  IdBitmap sweep_queue_;  // the accounts the current round of the sweep has still to judge
  // By market: the accounts holding a position (lots != 0) there, for funding and auto-deleveraging
  // to visit in id order without walking every account, and those of them that are short, so that
  // deleveraging reads only the side it takes from. Derived from the positions.
  std::vector<IdBitmap> holders_;
  std::vector<IdBitmap> short_holders_;
  std::vector<int64_t> open_interest_;  // by market: the sum of long lots (derived from the positions)
  void index_holders();
  bool full_sweeps_ = false;
  std::optional<RiskPrices> swept_prices_;  // the last sweep's prices
  std::vector<risk::Exposure> exposures_;   // scratch
  std::vector<risk::SafeBound> bounds_;     // scratch

  // Change log of the current command (log_changes): positions as they were before it.
  struct PositionBefore {
    AccountId account;
    MarketId market;
    int64_t lots;
    int64_t cost;
  };
  bool logging_changes_ = false;
  std::vector<PositionBefore> positions_before_;
  std::unordered_set<uint64_t> positions_logged_;  // account << 16 | market

  // Format 2's cached bucket digests, and the accounts whose positions or isolated link changed
  // (marked where they are written: position_slot, drop_if_empty, isolated.cpp; the ledger and the
  // books mark their own). Bookkeeping of the commitment, not state.
  std::unique_ptr<StateBuckets> state_buckets_;
  mutable AccountMarks state_marks_;

  std::vector<Event> events_;
  std::vector<book::Event> book_events_;
  std::string last_error_;
};

}  // namespace glassbook::engine
