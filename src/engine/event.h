// Events: what a command did. One flat record per event so the engine never allocates for them (a
// refusal's message, the one string, is empty and inline in every other event).
#pragma once
#include <cstdint>
#include <string>

#include "book/order_book.h"
#include "core/error.h"
#include "core/ids.h"

namespace glassbook::engine {

enum class EventKind : uint8_t {
  Rejected,           // the command changed nothing; `error` says why. In a batch (a SignedRequest with
                      // several orders): that order changed nothing; error, market, account, client_id.
                      // Each batched order's events start with OrderAccepted or are one Rejected.
  AccountRegistered,  // account
  Deposited,          // account, asset, amount, deposit_id (in order_id)
  OrderAccepted,      // account, market, order_id, client_id, side, price, quantity
  OrderRested,        // order_id, remaining: the rest of the order now waits in the book
  Trade,              // market, price, quantity, maker/taker orders and accounts, fees
  OrderCancelled,     // account, market, order_id, remaining, reason
  OrderAmended,       // account, market, order_id, price, quantity (new values)
  ConfigApproved,     // order_id = proposal id, quantity = approvals so far (a proposal counts as one)
  ConfigApplied,      // order_id = proposal id: the proposed configuration is now in force
  // Risk (perpetuals). Amounts are in the margin asset's units.
  PositionChanged,    // account, market, quantity = signed position after (base units), price = entry
                      // price (0 when flat), remaining = realized PnL of this change (signed)
  FundingPaid,        // account, market, quantity = signed amount the account paid (negative: received),
                      // price = funding rate (1e-9)
  LiquidationStarted, // account, price = equity, quantity = maintenance margin, at the start
  PositionTakenOver,  // market, account (liquidated), maker_account (the insurance fund or the
                      // deleveraged account), side of the liquidated account, price = bankruptcy
                      // price, quantity = base units, client_id: 0 insurance fund, 1 auto-deleveraging
  BadDebtCovered,     // account, quantity = what the insurance fund paid to bring its equity to zero
  MarketPaused,       // market, order_id = paused until (µs)
  IsolatedOpened,     // account (the new isolated account), maker_account (its owner), market
  MarginTransferred,  // account (from), maker_account (to), asset (the margin asset), quantity
  CollateralConverted,  // account (flat, in margin debt), asset, quantity = collateral the insurance
                        // fund took, price = margin-asset units it paid toward the debt (0 for an
                        // asset seized from a bankrupt account beyond what margin valued)
  LossSocialized,     // account (a customer paying), maker_account (the bankrupt account), quantity =
                      // its share of the bad debt the insurance fund could not pay above its floor
  DepositAttested,      // a deposit still short of attestations: account, asset, quantity = amount,
                        // order_id = deposit id, client_id = attestations so far, remaining = needed
  FundingSkipped,     // market, quantity = funding intervals not paid, order_id = the funding time of
                      // the first of them, client_id = why: 0 no oracle update priced them (they
                      // ended during a silence or a frozen index), 1 a payment would overflow
  // Trigger orders (trigger_orders.h). A pending one is cancelled with OrderCancelled (remaining =
  // its quantity) like a resting order.
  TriggerAccepted,    // account, market, order_id, client_id, side, price = trigger price, quantity,
                      // remaining = its limit price (0: a market order); for a take-profit or
                      // stop-loss attached to an order, maker_order_id = that order and
                      // maker_remaining = 1 (take-profit) or 2 (stop-loss). The order waits outside
                      // the book for its trigger.
  TriggerFired,       // account, market, order_id, client_id, side, price = the price that reached
                      // the trigger: the order enters now, under the same id (its OrderAccepted or
                      // TriggerFailed follows)
  TriggerFailed,      // account, market, order_id, client_id, side, error and message: the fired
                      // order was refused (funds, margin, an empty book...) and is gone
  // Bankruptcy claims (docs/claims.md); `market` is the estate's index.
  ClaimAttested,      // market = estate, order_id = claim id, quantity = face, client_id = status,
                      // remaining = revision, account = the linked account (0: none)
  ClaimLinked,        // market = estate, order_id = claim id, account
  KycAttested,        // market = estate, account, client_id = level, order_id = expiry (µs)
  ClaimUnitsIssued,   // market = estate, order_id = claim id, account (the holder), asset = the claim
                      // asset, quantity = units credited (> 0) or taken back to the issuer (< 0)
  DepositAddressRecorded,  // account, asset, order_id = the record's index in the engine's
                           // deposit_addresses() (chain and address are there)
  // Withdrawals (engine_withdrawals.cpp): order_id = the withdrawal id, account, asset, quantity =
  // amount in each, unless said otherwise.
  WithdrawalAddressAdded,  // account, price = the sequencer time (µs) from which withdrawals to it are accepted
  WithdrawalRequested,     // + client_id; remaining = custodian approvals it waits for (0: approved at once)
  WithdrawalApproval,      // a custodian approved: client_id = approvals so far, remaining = needed
  WithdrawalApproved,      // ready to be broadcast
  WithdrawalBroadcast,     // the chain transaction carrying it was recorded (the records hold its id)
  WithdrawalAttested,      // a chain watcher attested its outcome: price = 1 confirmed, 0 failed;
                           // client_id = attestations of that outcome so far, remaining = needed
  WithdrawalConfirmed,     // confirmed on chain: the held funds left the ledger
  WithdrawalFailed,        // failed on chain: the hold is released
  DepositReversalAttested, // order_id = deposit id, account, asset, quantity; client_id = so far, remaining = needed
  DepositReversed,         // order_id = deposit id, account, asset, quantity taken back (the account may owe it)
  // Claims trading (claims_trading.cpp): the transfer-of-claim record of one fill in a claim market,
  // right after its Trade. market = the claim market, client_id = estate, asset = the claim asset,
  // account = buyer, maker_account = seller, quantity = claim units, price, remaining = quote amount
  // paid (before fees), order_id = trade id (the market's trade number, as the API's tradeId),
  // side = the taker's side. The command's seq and timestamp complete the record.
  ClaimTransferred,
  // Distributions to claim holders (engine_distributions.cpp): market = the estate, order_id = the
  // round, asset = the payout asset in each.
  DistributionDeclared,    // account = the distribution account, quantity = the funding moved into the
                           // round, remaining = the claim units recorded, price = the record sequence
  DistributionPaid,        // account = the holder, quantity = paid, remaining = its claim units
  DistributionEscrowed,    // account = the holder (barred from payouts), quantity = kept in escrow,
                           // remaining = its claim units
  DistributionCompleted,   // account = the distribution account, quantity = the remainder returned to
                           // it, remaining = holders visited
  EscrowReleased,          // order_id = 0, account, quantity = released from escrow to the account
  // Withdrawals, continued (engine_withdrawals.cpp).
  WithdrawalCancelled,     // a custodian cancelled it while it awaited approvals: the hold is released
  WithdrawalAddressRemoved,  // account: an address left its allow-list (the command names it)
  // Wallets and reconciliation (engine_custody.cpp, docs/custody.md).
  CustodyVote,             // a role key's vote counted: client_id = votes so far, remaining = needed,
                           // asset; order_id = the wallet (observations, registrations: its index
                           // once registered, else 0) or the alert (resolutions)
  WalletRegistered,        // order_id = the wallet's index in custody().wallets(), asset, client_id = kind
  WalletBalanceObserved,   // order_id = the wallet, asset, quantity = balance, price = height
  Reconciled,              // asset, quantity = discrepancy (0: none), price = expected (saturated),
                           // remaining = customer wallets' observed balance (saturated)
  ReconciliationAlertRaised,    // order_id = the alert, asset, quantity = discrepancy (< 0 shortfall)
  ReconciliationAlertResolved,  // order_id = the alert, asset
};

enum class CancelCause : uint8_t { User, IocRemainder, FokUnfilled, PostOnlyWouldCross, SelfTrade, MarketProtection, Liquidation, PriceBand,
                                     BeyondBankruptcy,  // a resting order whose fill would deepen its owner's shortfall
                                     DepositReversed,  // its owner's deposit was reversed and the account lacked the amount
                                     ClaimIneligible };  // a resting order in a claim market whose owner may no longer trade it
                                                         // (KYC expired, or the estate's transfer rules now bar the buyer)

struct Event {
  EventKind kind = EventKind::Rejected;
  Error error = Error::Ok;
  book::Side side = book::Side::Buy;  // of `order_id` (the taker for a trade)
  CancelCause cause = CancelCause::User;
  MarketId market = 0;
  AssetId asset = 0;
  AccountId account = 0;        // the order's owner (the taker for a trade)
  AccountId maker_account = 0;  // trade only
  uint32_t client_id = 0;
  OrderId order_id = 0;         // the taker for a trade
  OrderId maker_order_id = 0;   // trade only
  int64_t price = 0;            // quote units per whole base
  int64_t quantity = 0;         // base units (amount for a deposit)
  int64_t remaining = 0;        // base units left on the order (the taker's for a trade)
  int64_t maker_remaining = 0;  // trade: base units left on the maker order
  int64_t maker_fee = 0;        // trade: charged to the maker in what it received
  int64_t taker_fee = 0;        // trade: charged to the taker in what it received
  // Rejected only: the rule that refused the command and its limit ("price 100001 is above the
  // market's maximum price 100000 USDC"), for the client; deterministic like every other field.
  std::string message{};  // "{}": a brace list that stops before it is no missing-initializer warning

  bool operator==(const Event&) const = default;
};

// One line describing the event, for logs, the demo and golden tests.
std::string describe(const Event& e);

}  // namespace glassbook::engine
