// The outcome of broadcast withdrawals on chain, attested at the watcher's depth (withdrawal_settler.h).
#include "custody/withdrawal_settler.h"

#include <optional>

namespace glassbook::custody {

Result<SettlePass> settle_withdrawals(Chain& chain, const std::vector<OpenWithdrawal>& open, const SettlerOptions& options,
                                      const SubmitSettlement& submit) {
  SettlePass pass;
  if (options.confirmations == 0) return Status(Error::InvalidArgument, "confirmations must be at least 1");
  std::optional<BlockHeader> tip;
  for (const OpenWithdrawal& w : open) {
    if (w.step != WithdrawalStep::Broadcast || w.blockchain != options.blockchain) continue;
    if (listed(w.confirmed_by, options.signer) || listed(w.failed_by, options.signer)) continue;
    auto s = chain.status(w.tx_id);
    if (!s) return s.status();
    bool confirmed = false;
    if (s->state == TxState::Confirmed) {
      if (s->confirmations < options.confirmations) continue;
      confirmed = true;
    } else if (s->state == TxState::Failed) {
      // A failure is final only as deep as a success: a reorg could still put the transfer in a
      // block where it pays.
      if (!tip) {
        auto t = chain.tip();
        if (!t) return t.status();
        tip = *t;
      }
      if (tip->height < s->height || tip->height - s->height + 1 < options.confirmations) continue;
    } else {
      continue;  // pending, or unknown (not yet seen, or dropped by a reorg): nothing to attest
    }
    SubmitResult r = submit(w, confirmed);
    if (r.outcome == SubmitOutcome::Unreachable) return pass.stalled = r.detail, pass;
    if (r.outcome == SubmitOutcome::Refused) pass.refused.push_back({w, r.detail});
    else if (confirmed) pass.confirmed.push_back(w);
    else pass.failed.push_back({w, s->reason});
  }
  return pass;
}

}  // namespace glassbook::custody
