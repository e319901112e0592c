// Human-readable one-line descriptions of events.
#include <fmt/format.h>

#include "engine/event.h"

namespace glassbook::engine {

namespace {
const char* side_name(book::Side s) { return s == book::Side::Buy ? "Bid" : "Ask"; }
const char* cause_name(CancelCause c) {
  switch (c) {
    case CancelCause::User: return "user";
    case CancelCause::IocRemainder: return "ioc-remainder";
    case CancelCause::FokUnfilled: return "fok-unfilled";
    case CancelCause::PostOnlyWouldCross: return "post-only-would-cross";
    case CancelCause::SelfTrade: return "self-trade";
    case CancelCause::MarketProtection: return "market-protection";
    case CancelCause::Liquidation: return "liquidation";
    case CancelCause::PriceBand: return "price-band";
    case CancelCause::BeyondBankruptcy: return "beyond-bankruptcy";
    case CancelCause::DepositReversed: return "deposit-reversed";
    case CancelCause::ClaimIneligible: return "claim-ineligible";
  }
  return "?";
}
}  // namespace

std::string describe(const Event& e) {
  switch (e.kind) {
    case EventKind::Rejected: return fmt::format("rejected {}", error_name(e.error));
    case EventKind::AccountRegistered: return fmt::format("account {} registered", e.account);
    case EventKind::Deposited:
      return fmt::format("deposit {} asset {} amount {} to account {}", e.order_id, e.asset, e.quantity, e.account);
    case EventKind::OrderAccepted:
      return fmt::format("order {} accepted: account {} market {} {} {} @ {} client {}", e.order_id, e.account, e.market,
                         side_name(e.side), e.quantity, e.price, e.client_id);
    case EventKind::OrderRested:
      return fmt::format("order {} rests {} @ {}", e.order_id, e.remaining, e.price);
    case EventKind::Trade:
      return fmt::format("trade market {} {} @ {}: taker {} (account {}, {} left, fee {}) maker {} (account {}, {} left, fee {})",
                         e.market, e.quantity, e.price, e.order_id, e.account, e.remaining, e.taker_fee,
                         e.maker_order_id, e.maker_account, e.maker_remaining, e.maker_fee);
    case EventKind::OrderCancelled:
      return fmt::format("order {} cancelled ({}): {} left @ {}", e.order_id, cause_name(e.cause), e.remaining, e.price);
    case EventKind::OrderAmended:
      return fmt::format("order {} amended to {} @ {}", e.order_id, e.quantity, e.price);
    case EventKind::ConfigApproved:
      return fmt::format("configuration proposal {} has {} approval(s)", e.order_id, e.quantity);
    case EventKind::ConfigApplied: return fmt::format("configuration proposal {} applied", e.order_id);
    case EventKind::PositionChanged:
      return fmt::format("position account {} market {} now {} entry {} realized {}", e.account, e.market, e.quantity, e.price,
                         e.remaining);
    case EventKind::FundingPaid:
      return fmt::format("funding account {} market {} paid {} at rate {}", e.account, e.market, e.quantity, e.price);
    case EventKind::LiquidationStarted:
      return fmt::format("liquidation of account {}: equity {} below maintenance {}", e.account, e.price, e.quantity);
    case EventKind::PositionTakenOver:
      return fmt::format("{} takes over {} {} market {} from account {} at bankruptcy price {}",
                         e.client_id == 0 ? "insurance fund" : fmt::format("account {} (deleveraged)", e.maker_account),
                         side_name(e.side), e.quantity, e.market, e.account, e.price);
    case EventKind::BadDebtCovered: return fmt::format("insurance fund covers {} of bad debt of account {}", e.quantity, e.account);
    case EventKind::MarketPaused: return fmt::format("market {} paused until {}", e.market, e.order_id);
    case EventKind::IsolatedOpened:
      return fmt::format("isolated account {} of account {} opened for market {}", e.account, e.maker_account, e.market);
    case EventKind::LossSocialized:
      return fmt::format("account {} pays {} of the bad debt of account {}", e.account, e.quantity, e.maker_account);
    case EventKind::CollateralConverted:
      return fmt::format("insurance fund takes {} of asset {} from account {} for {} of its margin debt", e.quantity, e.asset,
                         e.account, e.price);
    case EventKind::DepositAttested:
      return fmt::format("deposit {} of {} of asset {} to account {} attested {} of {} times", e.order_id, e.quantity, e.asset,
                         e.account, e.client_id, e.remaining);
    case EventKind::FundingSkipped:
      return fmt::format("market {} skips {} funding interval(s) from {}: {}", e.market, e.quantity, e.order_id,
                         e.client_id == 0 ? "no oracle update priced them" : "a payment would overflow");
    case EventKind::TriggerAccepted:
      return fmt::format("trigger order {} accepted: account {} market {} {} {} when the price reaches {} client {}", e.order_id,
                         e.account, e.market, side_name(e.side), e.quantity, e.price, e.client_id);
    case EventKind::TriggerFired: return fmt::format("trigger order {} fired at {}", e.order_id, e.price);
    case EventKind::WithdrawalAddressAdded:
      return fmt::format("account {} allow-lists a withdrawal address, usable from {}", e.account, e.price);
    case EventKind::WithdrawalRequested:
      return fmt::format("withdrawal {}: account {} asks for {} of asset {} (client {}), waiting for {} approvals", e.order_id,
                         e.account, e.quantity, e.asset, e.client_id, e.remaining);
    case EventKind::WithdrawalApproval:
      return fmt::format("withdrawal {} approved {} of {} times", e.order_id, e.client_id, e.remaining);
    case EventKind::WithdrawalApproved: return fmt::format("withdrawal {} approved", e.order_id);
    case EventKind::WithdrawalBroadcast: return fmt::format("withdrawal {} broadcast", e.order_id);
    case EventKind::WithdrawalAttested:
      return fmt::format("withdrawal {} {} attested {} of {} times", e.order_id, e.price == 1 ? "confirmed" : "failed", e.client_id,
                         e.remaining);
    case EventKind::WithdrawalConfirmed:
      return fmt::format("withdrawal {} confirmed: {} of asset {} left account {}", e.order_id, e.quantity, e.asset, e.account);
    case EventKind::WithdrawalFailed:
      return fmt::format("withdrawal {} failed: {} of asset {} released to account {}", e.order_id, e.quantity, e.asset, e.account);
    case EventKind::DepositReversalAttested:
      return fmt::format("reversal of deposit {} attested {} of {} times", e.order_id, e.client_id, e.remaining);
    case EventKind::DepositReversed:
      return fmt::format("deposit {} reversed: {} of asset {} taken back from account {}", e.order_id, e.quantity, e.asset, e.account);
    case EventKind::TriggerFailed:
      return fmt::format("trigger order {} failed: {} {}", e.order_id, error_name(e.error), e.message);
    case EventKind::ClaimAttested:
      return fmt::format("estate {} claim {} attested: revision {} face {} status {} linked to account {}", e.market, e.order_id,
                         e.remaining, e.quantity, e.client_id, e.account);
    case EventKind::ClaimLinked: return fmt::format("estate {} claim {} linked to account {}", e.market, e.order_id, e.account);
    case EventKind::KycAttested:
      return fmt::format("estate {} KYC of account {}: level {} until {}", e.market, e.account, e.client_id, e.order_id);
    case EventKind::ClaimUnitsIssued:
      return fmt::format("estate {} claim {}: {} units of asset {} to account {}", e.market, e.order_id, e.quantity, e.asset, e.account);
    case EventKind::DepositAddressRecorded:
      return fmt::format("deposit address {} recorded for account {} asset {}", e.order_id, e.account, e.asset);
    case EventKind::ClaimTransferred:
      return fmt::format("estate {} claim transfer (trade {} market {}): {} units @ {} from account {} to account {} for {}", e.client_id,
                         e.order_id, e.market, e.quantity, e.price, e.maker_account, e.account, e.remaining);
    case EventKind::DistributionDeclared:
      return fmt::format("estate {} round {} declared: {} of asset {} from account {} for {} units recorded at seq {}", e.market,
                         e.order_id, e.quantity, e.asset, e.account, e.remaining, e.price);
    case EventKind::DistributionPaid:
      return fmt::format("estate {} round {}: {} of asset {} paid to account {} for {} units", e.market, e.order_id, e.quantity, e.asset,
                         e.account, e.remaining);
    case EventKind::DistributionEscrowed:
      return fmt::format("estate {} round {}: {} of asset {} escrowed for account {} for {} units", e.market, e.order_id, e.quantity,
                         e.asset, e.account, e.remaining);
    case EventKind::DistributionCompleted:
      return fmt::format("estate {} round {} complete: {} holders, remainder {} of asset {} back to account {}", e.market, e.order_id,
                         e.remaining, e.quantity, e.asset, e.account);
    case EventKind::WithdrawalCancelled:
      return fmt::format("withdrawal {} cancelled by a custodian: {} of asset {} released to account {}", e.order_id, e.quantity, e.asset,
                         e.account);
    case EventKind::WithdrawalAddressRemoved: return fmt::format("account {} removes a withdrawal address from its allow-list", e.account);
    case EventKind::EscrowReleased:
      return fmt::format("estate {}: {} of asset {} released from escrow to account {}", e.market, e.quantity, e.asset, e.account);
    case EventKind::CustodyVote:
      return fmt::format("custody vote {} of {} (asset {}, subject {})", e.client_id, e.remaining, e.asset, e.order_id);
    case EventKind::WalletRegistered:
      return fmt::format("wallet {} registered for asset {} kind {}", e.order_id, e.asset, e.client_id);
    case EventKind::WalletBalanceObserved:
      return fmt::format("wallet {} holds {} of asset {} at height {}", e.order_id, e.quantity, e.asset, e.price);
    case EventKind::Reconciled:
      return fmt::format("asset {} reconciled: expected {}, customer wallets {}, discrepancy {}", e.asset, e.price, e.remaining, e.quantity);
    case EventKind::ReconciliationAlertRaised:
      return fmt::format("reconciliation alert {} on asset {}: discrepancy {}", e.order_id, e.asset, e.quantity);
    case EventKind::ReconciliationAlertResolved:
      return fmt::format("reconciliation alert {} on asset {} resolved", e.order_id, e.asset);
    case EventKind::MarginTransferred:
      return fmt::format("margin {} of asset {} moved from account {} to account {}", e.quantity, e.asset, e.account, e.maker_account);
  }
  return "?";
}

}  // namespace glassbook::engine
