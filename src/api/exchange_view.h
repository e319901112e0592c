// ExchangeView: the gateway's read-side projection (rebuilt from the journal at start-up, view_rebuild.h). A shadow
// engine fed every durable command, plus bounded histories and market data, rendered as Backpack JSON.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>  // std::shared_lock
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/account_history.h"
#include "api/market_data.h"
#include "api/market_format.h"
#include "api/view_claim_transfers.h"
#include "api/view_claims.h"
#include "api/view_withdrawals.h"
#include "core/result.h"
#include "core/writer_first_shared_mutex.h"
#include "engine/engine.h"

namespace glassbook::api {

struct ViewLimits {
  size_t trades_per_market = 1000;
  size_t candles_per_market = 10'080;  // 7 days of 1-minute candles
  size_t closed_orders_per_account = 1000;
  size_t fills_per_account = 1000;
  size_t deposits_per_account = 1000;
  size_t funding_payments_per_account = 1000;
  size_t funding_rates_per_market = 1000;
};

// A WebSocket frame the view produced while applying a command. `key` is the hub key subscribers use:
// public streams "trade.SOL_USDC", "depth.SOL_USDC", "ticker.SOL_USDC", "bookTicker.SOL_USDC",
// "kline.<interval>.SOL_USDC" (every interval parse_kline_interval accepts); private order updates
// "account.orderUpdate#<account>" and "account.orderUpdate.SOL_USDC#<account>" (the part after '#' is
// the account id; the stream name sent to the client is the part before '#'). `text` is the whole
// frame {"stream":"<name>","data":{...}}.
struct StreamFrame {
  std::string key;
  std::string text;
};

// Depth update ids. Each market has a counter that starts at the shadow's last_seq() when the view is
// built (at the seq that adds the market, for a market added later) and goes up by exactly one for
// every command that changes at least one of the market's price levels, whether or not anyone
// subscribed. That command's depth frame carries U = u = the new value; GET depth reports
// lastUpdateId = the current value. So the frames of a market are contiguous (U = previous u + 1),
// and a client holding REST depth with lastUpdateId = L gets the current book by applying the frames
// with u > L (ccxt.pro's backpack takes the cached frame with U - 1 <= L < u as the first). The
// counter never exceeds the seq, so it only grows across restarts of the gateway.
//
// Everything time-related comes from command timestamps (µs), never from the wall clock.
class ExchangeView {
 public:
  // `shadow` is an engine whose state is exactly that after its last_seq(): the view continues from
  // there. Orders already resting in it are known from the books only (type Limit, GTC, quantity =
  // what remains, createdAt = the shadow's last timestamp, no client id); its recent trades seed the
  // trades and candles. Feed the view from an older engine for exact history.
  explicit ExchangeView(std::unique_ptr<engine::Engine> shadow, ViewLimits limits = {});
  ~ExchangeView();
  ExchangeView(const ExchangeView&) = delete;
  ExchangeView& operator=(const ExchangeView&) = delete;

  // Called in seq order on ONE thread (the journal's): applies the command to the shadow engine
  // (aborts if its events differ from `events`: a determinism bug), updates everything and appends
  // the frames it caused to `frames`. When `wants` is given, only frames whose key it accepts are
  // rendered. A command at or below last_seq() is already in the state and is skipped.
  void apply(const engine::Command& command, std::span<const engine::Event> events, std::vector<StreamFrame>& frames,
             const std::function<bool(std::string_view key)>& wants = {});
  // Rebuilding the view from the journal (view_rebuild.h): one journaled command the live engine
  // applied before this view existed, folded in as apply() does, with no events to compare (the
  // caller compares state roots at the end) and no frames rendered.
  void replay(const engine::Command& command);

  // Everything below: any thread, concurrently. Each returns the JSON body or an Error with a
  // message (UnknownMarket "unknown symbol X", OrderNotFound, InvalidArgument for a bad interval or limit).
  std::string assets() const;                                               // GET /api/v1/assets
  std::string markets() const;                                              // GET /api/v1/markets
  Result<std::string> ticker(std::string_view symbol) const;                // GET /api/v1/ticker
  std::string tickers() const;                                              // GET /api/v1/tickers
  Result<std::string> depth(std::string_view symbol, size_t limit) const;   // GET /api/v1/depth, limit 1..kMaxDepthLimit
  Result<std::string> trades(std::string_view symbol, size_t limit) const;  // GET /api/v1/trades, limit 1..kMaxTradesLimit
  // GET /api/v1/klines: candles overlapping [start_s, end_s) (end_s <= 0: up to now), ascending.
  Result<std::string> klines(std::string_view symbol, std::string_view interval, int64_t start_s, int64_t end_s) const;
  std::string capital(AccountId account) const;                             // GET /api/v1/capital
  std::string open_orders(AccountId account, std::string_view symbol /*empty: all*/) const;  // GET /api/v1/orders
  // GET /api/v1/order: open or recently closed; exactly one of id and client_id.
  Result<std::string> order(AccountId account, std::string_view symbol, std::optional<OrderId> id,
                            std::optional<uint32_t> client_id) const;
  // The /wapi histories: newest first, `offset` entries skipped, at most `limit` (capped at the ring sizes).
  std::string order_history(AccountId account, std::string_view symbol, size_t limit, size_t offset) const;
  // fills: Backpack's fillType filters them: empty (all), User (the account's own orders),
  // BookLiquidation, Backstop, Adl, Liquidation or AllLiquidation (the three); others match nothing.
  std::string fills(AccountId account, std::string_view symbol, size_t limit, size_t offset,
                    std::string_view fill_type = {}) const;
  // GET /wapi/v1/capital/deposits: newest first, those credited in from..to (ms, inclusive; 0: no bound).
  std::string deposits(AccountId account, size_t limit, size_t offset, int64_t from_ms = 0, int64_t to_ms = 0) const;
  // Deposit addresses (view_deposit_addresses.cpp). GET /wapi/v1/capital/deposit/address: {"address"}
  // of the account on `blockchain`, for the asset `symbol` or, without one, the account's only
  // address there. GET /api/v1/glassbook/depositAddresses: every address recorded on a chain, in
  // recording order, [{account, symbol, address}] (what `chain-watch --addresses-from` reads).
  Result<std::string> deposit_address(AccountId account, std::string_view blockchain, std::string_view symbol) const;
  Result<std::string> deposit_address_book(std::string_view blockchain) const;
  // Whether exactly this record (same account, asset, chain and address) is recorded.
  bool deposit_address_recorded(const engine::RecordDepositAddress& r) const;
  // GET /wapi/v1/capital/withdrawals (view_withdrawals.h), newest first; one withdrawal by id
  // (OrderNotFound when the account has no such withdrawal).
  std::string withdrawals(AccountId account, size_t limit, size_t offset) const;
  Result<std::string> withdrawal(AccountId account, uint64_t id) const;
  // POST /api/v1/glassbook/withdrawalAddresses (view_withdrawal_addresses.cpp): why `address` cannot
  // go on the account's allow-list for `blockchain` (InvalidArgument with the reason: a chain the
  // exchange does not serve, not that chain's form, already listed, a full list); Ok when it can.
  Status check_withdrawal_address(AccountId account, std::string_view address, std::string_view blockchain) const;
  // DELETE of the same: why `address` cannot leave the allow-list (not on it); Ok when it can.
  Status check_withdrawal_address_removal(AccountId account, std::string_view address) const;
  // GET of the same: the account's allow-list by address, [{address, usableFrom, status}], the
  // status ("coolingOff" or "usable") judged at `now` (µs).
  std::string withdrawal_addresses(AccountId account, Timestamp now) const;

  // Perpetuals (view_perp.cpp). Prices, funding and margins are the shadow engine's at the last
  // command's timestamp. A spot symbol where a perpetual is needed is UnknownMarket ("... is not a
  // perpetual market").
  Result<std::string> market(std::string_view symbol) const;  // GET /api/v1/market
  // GET /api/v1/markPrices: every perpetual (empty symbol) or one.
  Result<std::string> mark_prices(std::string_view symbol) const;
  // An index-valued asset's oracle price at the last applied command; nullopt while frozen.
  std::optional<int64_t> index_price(AssetId asset) const;
  // The last accepted report time of the oracle source with this key (0: none, or not a source).
  Timestamp last_report_time(const crypto::PublicKey& source) const;
  // GET /api/v1/fundingRates: the fundings the market applied, newest first.
  Result<std::string> funding_rates(std::string_view symbol, size_t limit, size_t offset) const;
  Result<std::string> open_interest(std::string_view symbol) const;  // GET /api/v1/openInterest (empty: all)
  Result<std::string> insurance_fund() const;  // GET /api/v1/glassbook/insurance: the fund's equity and positions
  // GET /api/v1/position: the account's open positions (all perpetuals, or one).
  Result<std::string> positions(AccountId account, std::string_view symbol) const;
  // GET /wapi/v1/history/funding: the account's funding payments, newest first.
  std::string funding_payments(AccountId account, std::string_view symbol, size_t limit, size_t offset) const;
  std::string collateral(AccountId account) const;  // GET /api/v1/capital/collateral

  // For the gateway: the key -> account map, the configuration in force (replaced by a new pointer
  // when a ConfigApplied event is seen) and the durable seq applied so far.
  std::optional<AccountId> account_of(const crypto::PublicKey& key) const;
  // Whether the engine, as of the last durable command, would refuse this signed text as a replay.
  bool request_sequenced(const crypto::PublicKey& signer, std::string_view text) const;
  // Role state (view_governance.cpp), as of the last durable command: whether a deposit id was
  // credited or this watcher already attested it, and the JSON of GET /api/v1/glassbook/pendingDeposits
  // and GET /api/v1/glassbook/proposals.
  bool deposit_credited(uint64_t deposit_id) const;
  bool deposit_attested_by(uint64_t deposit_id, const crypto::PublicKey& watcher) const;
  std::string pending_deposits_json() const;
  std::string proposals_json() const;
  // GET /api/v1/glassbook/withdrawals (view_open_withdrawals.cpp): the open withdrawals, what the
  // custodians and chain watchers act on.
  std::string open_withdrawals_json() const;
  // GET /api/v1/glassbook/reconciliation (view_reconciliation.cpp): the exchange's wallets, each
  // asset's reconciliation figures now and the open alerts.
  std::string reconciliation_json() const;
  // GET /api/v1/glassbook/claims/transfers (view_claim_transfers.h): an estate's transfer-of-claim
  // records from seq `from` on.
  Result<std::string> claim_transfers(uint64_t estate, SeqNo from, size_t limit) const;
  // Claims (view_claims.cpp), as of the last durable command. Public: every estate (GET
  // /api/v1/glassbook/claims/estates) and one estate's report with its claim markets' traded totals
  // (.../claims/report; InvalidArgument for an unknown estate). An account's own: its linked claims
  // (one estate, or every one), its KYC attestations and its escrow, judged valid or releasable at
  // `now_us` (the gateway's clock, as the sequencer will judge the next command), and its payouts,
  // newest first.
  std::string claim_estates_json() const;
  Result<std::string> claim_report_json(uint64_t estate) const;
  Result<std::string> account_claims_json(AccountId account, std::optional<uint64_t> estate) const;
  std::string account_kyc_json(AccountId account, Timestamp now_us) const;
  std::string account_payouts_json(AccountId account, size_t limit, size_t offset) const;
  std::string account_escrow_json(AccountId account, Timestamp now_us) const;
  std::shared_ptr<const engine::ExchangeConfig> config() const;
  SeqNo last_seq() const;
  crypto::Digest state_root() const;  // the shadow engine's
  // GET /api/v1/glassbook/risk (view_risk.cpp): each oracle source's last report (time, prices, stale
  // or not at the last command's time), the insurance fund's balances, each market's breaker.
  std::string risk_overview() const;
  // GET /api/v1/glassbook/insurance/history (view_fund_history.cpp): the fund's margin-asset balance
  // after each command that changed it, oldest first: the newest kFundHistoryPoints changes since the
  // view was built (from a snapshot or genesis: earlier changes are in the journal, not here).
  std::string fund_history() const;
  static constexpr size_t kFundHistoryPoints = 4096;

  // The body for a just-placed order (POST /api/v1/order): the order as GET /api/v1/order shows it.
  Result<std::string> order_by_id(AccountId account, OrderId id) const;

  // Backpack's depth limits: 1000 levels a side by default, at most 5000. A 5000-level answer is
  // about 2 x 5000 x 40 bytes = 400 KB, written on the query pool outside the view's lock.
  static constexpr size_t kDefaultDepthLimit = 1000;
  static constexpr size_t kMaxDepthLimit = 5000;
  static constexpr size_t kMaxTradesLimit = 1000;

 private:
  struct Pass;  // the work of one apply() (exchange_view_apply.cpp)
  // apply() and replay(): `expected` is the live engine's events, when there are any to compare.
  void fold(const engine::Command& command, const std::span<const engine::Event>* expected, std::vector<StreamFrame>& frames,
            const std::function<bool(std::string_view key)>& wants);
  struct MarketState {
    MarketData data;
    MarketFormat format;
    std::string symbol;
    // Hub keys, built once.
    std::string trade_key, depth_key, ticker_key, book_ticker_key;
    std::string order_stream;             // "account.orderUpdate.<symbol>"
    std::vector<std::string> kline_keys;  // by KlineInterval
    // Perpetuals: the fundings applied (oldest first, bounded) and the open interest (base units
    // of all long positions), both kept from events.
    std::deque<FundingRateRecord> funding_rates;
    int64_t open_interest = 0;
  };

  void install_config();                // after construction or a ConfigApplied event
  MarketState make_market(MarketId m, uint64_t first_update_id) const;
  void seed_from_shadow();
  // The account.withdrawalUpdate or account.depositUpdate frame of one custody event, when `wants`
  // its key (view_custody_frames.cpp); after the event was folded into the records.
  void custody_frame(const engine::Command& c, const engine::Event& e, std::vector<StreamFrame>& frames,
                     const std::function<bool(std::string_view key)>& wants) const;
  AccountHistory& history(AccountId account);
  const AccountHistory* find_history(AccountId account) const;
  std::optional<MarketId> market_id(std::string_view symbol) const;
  // The markets a history query covers: all (no symbol), one, or none (an unknown symbol).
  struct MarketFilter {
    bool all = true;
    bool none = false;
    MarketId market = 0;
    bool accepts(MarketId m) const { return all || m == market; }
  };
  MarketFilter filter(std::string_view symbol) const;
  Result<MarketId> require_market(std::string_view symbol) const;
  Result<MarketId> require_perp(std::string_view symbol) const;
  // No symbol: every perpetual (nullopt); else that perpetual, or require_perp's refusal.
  Result<std::optional<MarketId>> perp_filter(std::string_view symbol) const;

  // Perpetual bookkeeping (view_perp_apply.cpp), on the journal thread under the unique lock.
  void seed_positions();                                       // after construction
  void track_position(const engine::Event& e, SeqNo seq);      // PositionChanged
  void track_funding(const engine::Event& e, Timestamp interval_end);  // FundingPaid
  void track_fee(AccountId account, MarketId market, int64_t fee);      // a perpetual fill's fee
  // Each perpetual's next funding time (0 for spot), read before an OracleUpdate is applied; after
  // it, every market whose funding time moved on applied a funding (recorded with its rate).
  std::vector<Timestamp> funding_times() const;
  void record_fundings(const std::vector<Timestamp>& before);

  // What a long answer (book depth, trades, candles) needs of a market, copied under the lock so that
  // the answer is written outside it: the journal thread's fold, which every order's answer waits
  // for, then never waits for a render.
  struct MarketCopy {
    std::shared_ptr<const engine::ExchangeConfig> config;
    MarketId id = 0;
    MarketFormat format;
  };
  MarketCopy copy_market(MarketId m) const;  // under mutex_
  // After an OracleReport the engine took: its source's quotes become that source's last prices.
  void record_report(const engine::Command& command, std::span<const engine::Event> events);  // view_risk.cpp
  void record_fund();  // view_fund_history.cpp: a point when the fund's balance changed
  struct FundPoint {
    Timestamp at = 0;  // µs
    int64_t balance = 0;
  };
  std::deque<FundPoint> fund_history_;

  // The journal thread writes (one durable command at a time) and every I/O thread reads: a waiting
  // write goes first, so no stream of queries can hold back the answers that wait for it.
  mutable WriterFirstSharedMutex mutex_;
  std::unique_ptr<engine::Engine> shadow_;
  ViewLimits limits_;
  std::shared_ptr<const engine::ExchangeConfig> config_;
  std::vector<MarketState> markets_;
  // Each oracle source's last accepted price per asset (by the source's key: configurations may change).
  std::map<crypto::PublicKey, std::map<AssetId, int64_t>> source_prices_;
  std::map<std::string, MarketId, std::less<>> symbols_;
  std::unordered_map<AccountId, AccountHistory> accounts_;
  ViewWithdrawals withdrawals_;
  ViewClaimTransfers claim_transfers_;
  ViewClaims claims_;
};

}  // namespace glassbook::api
