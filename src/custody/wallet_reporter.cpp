// The chain watcher's wallet balance reports.
#include "custody/wallet_reporter.h"

namespace glassbook::custody {

Result<BalancePass> report_wallet_balances(Chain& chain, const std::vector<WatchedWallet>& wallets, uint64_t height,
                                           const SubmitBalance& submit) {
  BalancePass pass;
  for (const WatchedWallet& w : wallets) {
    if (w.observed_height && *w.observed_height >= height) continue;
    auto balance = chain.balance(w.address, w.asset, height);
    if (!balance) return balance.status();
    const WalletReport report{w.address, w.asset, height, *balance};
    const SubmitResult r = submit(report);
    switch (r.outcome) {
      case SubmitOutcome::Accepted:
      case SubmitOutcome::AlreadyCredited: pass.accepted.push_back(report); break;
      case SubmitOutcome::Refused: pass.refused.emplace_back(report, r.detail); break;
      case SubmitOutcome::Unreachable: pass.stalled = r.detail; return pass;
    }
  }
  return pass;
}

}  // namespace glassbook::custody
