// The custodian signer's passes (custodian.h): checks, approvals, deterministic transfers, broadcasts.
#include "custody/custodian.h"

#include <fmt/format.h>

#include "core/assert.h"
#include "custody/sim_chain.h"
#include "custody/sim_keys.h"

namespace glassbook::custody {

Result<Custodian> Custodian::create(Chain& chain, std::optional<crypto::KeyPair> wallet, CustodianOptions options) {
  if (options.blockchain.empty()) return Status(Error::InvalidArgument, "the custodian's blockchain is empty");
  if (wallet && (options.fee < 1 || options.chain_id.empty()))
    return Status(Error::InvalidArgument, "a broadcasting custodian needs the chain's id and a fee of at least 1");
  if (options.max_amount < 0) return Status(Error::InvalidArgument, "the largest amount cannot be negative");
  return Custodian(chain, std::move(wallet), std::move(options));
}

Address Custodian::wallet_address() const { return wallet_ ? address_of(wallet_->public_key()) : Address(); }

Status Custodian::check(const OpenWithdrawal& w) const {
  if (w.blockchain != options_.blockchain)
    return Status(Error::InvalidArgument, fmt::format("it is for blockchain {}; this custodian serves {}", w.blockchain, options_.blockchain));
  if (!options_.assets.contains(w.asset) || !is_asset_symbol(w.asset))
    return Status(Error::UnknownAsset, fmt::format("asset {} is not one this custodian moves", w.asset));
  if (!is_address(w.address)) return Status(Error::InvalidArgument, fmt::format("{} is not an address of this chain (40 lower-case hex digits)", w.address));
  if (w.amount <= 0 || w.amount > SimChain::kMaxAmount) return Status(Error::InvalidQuantity, fmt::format("amount {} is outside the chain's range", w.amount));
  if (options_.max_amount > 0 && w.amount > options_.max_amount)
    return Status(Error::WithdrawalLimit, fmt::format("amount {} is above this custodian's limit of {} per withdrawal", w.amount, options_.max_amount));
  if (wallet_ && w.address == wallet_address()) return Status(Error::InvalidArgument, "it would pay the exchange's own wallet");
  return {};
}

SignedTransfer Custodian::transfer_for(const OpenWithdrawal& w) const {
  GB_ASSERT(wallet_.has_value());
  // The client id is the withdrawal id: the chain's transaction id is SHA-256 of the chain, the
  // wallet's address and it, so one withdrawal can only ever be one transaction of this wallet.
  return sign_transfer(options_.chain_id, *wallet_, w.address, w.asset, w.amount, options_.fee, w.id);
}

void Custodian::refuse(CustodianPass& pass, uint64_t id, std::string why) {
  auto [it, added] = reported_.try_emplace(id, why);
  if (!added && it->second == why) return;
  it->second = why;
  pass.refused.push_back({id, std::move(why)});
}

std::string Custodian::resend_if_dropped(CustodianPass& pass, const OpenWithdrawal& w) {
  if (!wallet_ || w.blockchain != options_.blockchain) return {};
  // Only the transaction this wallet makes for this withdrawal: the id the chain derives from the
  // wallet and the withdrawal id. Another id was not sent from here and is not ours to send again.
  if (w.tx_id != sim_transfer_id(options_.chain_id, wallet_address(), w.id)) return {};
  auto status = chain_->status(w.tx_id);
  if (!status) return status.code() == Error::Io ? status.status().message() : std::string();
  if (status->state != TxState::Unknown) return {};
  if (auto s = check(w); !s) return refuse(pass, w.id, s.message()), std::string();
  auto tx = chain_->send(transfer_for(w));
  if (!tx) {
    if (tx.code() == Error::Io) return tx.status().message();
    refuse(pass, w.id, "the chain refused the transfer sent again: " + tx.status().message());
    return {};
  }
  pass.resent.push_back({w.id, *tx});
  return {};
}

CustodianPass Custodian::pass(const std::vector<OpenWithdrawal>& open, const SubmitApproval& approve, const SubmitBroadcast& record,
                              const AfterSend& after_send) {
  CustodianPass pass;
  for (const OpenWithdrawal& w : open) {
    if (w.step == WithdrawalStep::Broadcast) {
      if (auto stalled = resend_if_dropped(pass, w); !stalled.empty()) return pass.stalled = std::move(stalled), pass;
      continue;
    }
    if (w.step == WithdrawalStep::AwaitingApproval && listed(w.approvers, options_.signer)) continue;
    if (w.step == WithdrawalStep::Approved && !wallet_) continue;
    if (w.blockchain != options_.blockchain) continue;  // another chain's custodians act on it
    if (auto s = check(w); !s) {
      refuse(pass, w.id, s.message());
      continue;
    }
    if (w.step == WithdrawalStep::AwaitingApproval) {
      SubmitResult r = approve(w.id);
      if (r.outcome == SubmitOutcome::Unreachable) return pass.stalled = r.detail, pass;
      if (r.outcome == SubmitOutcome::Refused) refuse(pass, w.id, "the exchange refused the approval: " + r.detail);
      else pass.approved.push_back(w.id);
      continue;
    }
    auto tx = chain_->send(transfer_for(w));
    if (!tx) {
      if (tx.code() == Error::Io) return pass.stalled = tx.status().message(), pass;
      refuse(pass, w.id, "the chain refused the transfer: " + tx.status().message());
      continue;
    }
    if (after_send) after_send(w.id, *tx);
    SubmitResult r = record(w.id, *tx);
    if (r.outcome == SubmitOutcome::Unreachable) return pass.stalled = r.detail, pass;
    if (r.outcome == SubmitOutcome::Refused) refuse(pass, w.id, fmt::format("the exchange refused the broadcast of tx {}: {}", *tx, r.detail));
    else pass.broadcast.push_back({w.id, *tx});
  }
  return pass;
}

}  // namespace glassbook::custody
