// Strict double-entry ledger: balances per (account, asset), transfers between two accounts, holds.
#pragma once
#include <cstdint>
#include <set>
#include <vector>

#include "core/account_marks.h"
#include "core/ids.h"
#include "core/result.h"

namespace glassbook::ledger {

// One account's position in one asset. `held` is reserved for open orders; available = total - held.
struct Balance {
  int64_t total = 0;
  int64_t held = 0;
  int64_t available() const { return total - held; }
};

// Ownership: accounts are dense ids (system accounts first, customers from kFirstCustomer);
// balances live in one flat array indexed by account * asset_count + asset.
// Invariants (check_invariants): for each asset the sum of totals over all accounts is zero;
// 0 <= held; no account other than the world has a negative total and held <= total, except in
// the margin asset (what perpetuals settle in), where a total below zero (or below held) is a
// margin debt that only settle_margin() creates: realized losses, fees and funding of perpetuals,
// which the risk engine's margin rules and liquidation cover, an issued asset's issuer (see
// set_issuer), and in a cell a deposit reversal put in debt (take_back). Spending always needs
// available funds.
class Ledger {
 public:
  explicit Ledger(size_t asset_count);

  size_t asset_count() const { return asset_count_; }
  size_t account_count() const { return account_count_; }
  // Makes room for accounts up to and including `id`.
  void ensure_account(AccountId id);
  // Adds assets (a configuration change): every account gets zero balances in them. O(cells).
  // Precondition: new_count >= asset_count().
  void grow_assets(size_t new_count);
  bool has_account(AccountId id) const { return id < account_count_; }

  const Balance& balance(AccountId a, AssetId asset) const { return cells_[index(a, asset)]; }

  // Moves `amount` (> 0) of `asset` from the available balance of `from` to `to`.
  // Only the world account may go negative. Nothing changes on error.
  Status transfer(AccountId from, AccountId to, AssetId asset, int64_t amount);
  // Moves `amount` out of `from`'s held funds (settling an order): reduces held and total.
  Status transfer_held(AccountId from, AccountId to, AssetId asset, int64_t amount);
  // Perpetual settlement in the margin asset: moves `amount` (> 0) and lets `from` (a customer,
  // the insurance fund or the clearing account) go below zero. InvalidArgument for another asset.
  Status settle_margin(AccountId from, AccountId to, int64_t amount);
  // Names the margin asset (none until set).
  void set_margin_asset(AssetId asset) { margin_asset_ = asset; }
  bool is_margin_asset(AssetId asset) const { return asset == margin_asset_; }
  // An issued asset (a bankruptcy estate's claim units): its one issuer account may hold a negative
  // total in it, minus what it issued and never held, and transfers out of it need no funds. Every
  // other account obeys the ordinary rules. Set when the configuration names the asset's issuer.
  void set_issuer(AssetId asset, AccountId issuer);
  bool is_issuer(AccountId a, AssetId asset) const { return asset < issuers_.size() && issuers_[asset] == a; }
  // A deposit reversal (a reorg took the credit back): moves `amount` (> 0) from `from` (a customer
  // or the insurance fund) to `to` even when `from` has not that much available. What it lacks
  // becomes a debt in that asset: its total may fall below its holds and below zero, the one way a
  // cell other than the margin asset's may, until credits bring it back (in_debt).
  Status take_back(AccountId from, AccountId to, AssetId asset, int64_t amount);
  // Whether the cell owes: its total is below its holds, or below zero, through take_back.
  bool in_debt(AccountId a, AssetId asset) const { return !debts_.empty() && debts_.contains(debt_key(a, asset)); }
  size_t debt_count() const { return debts_.size(); }
  // Restoring a snapshot: every cell below its holds or below zero outside the world and the margin
  // asset is a reversal's debt (take_back is the only way there).
  void adopt_debts();
  // Reserves `amount` of the available balance.
  Status hold(AccountId a, AssetId asset, int64_t amount);
  // Gives back `amount` of held funds (must not exceed what is held).
  Status release(AccountId a, AssetId asset, int64_t amount);

  // Restoring a snapshot: overwrites one cell as it was saved. The caller checks the whole ledger
  // (check_invariants) once every cell is in place. UnknownAccount / UnknownAsset out of range.
  Status set_balance(AccountId a, AssetId asset, const Balance& b);

  // Change log, for checking one command's effect without scanning every account: while on, the
  // first change of every cell since begin_changes() records the cell as it was.
  struct CellChange {
    AccountId account;
    AssetId asset;
    Balance before;
  };
  void log_changes(bool on);
  bool logging_changes() const { return logging_; }
  void begin_changes();
  const std::vector<CellChange>& changes() const { return changes_; }
  // The invariants over the logged cells only: each obeys the per-cell rules of check_invariants(),
  // and per asset their totals moved by a sum of zero (double entry within the changes).
  Status check_changes() const;

  // Every account whose balances change is marked in `marks` (nullptr: none), so that the risk
  // engine knows whose margin it must judge again. The marks belong to the caller.
  void watch(AccountMarks* marks) { watch_ = marks; }

  // Every account any of whose cells changed (or came to exist) since the last call, for the
  // state commitment to rehash: marked by note(), which every write of a cell goes through, so no
  // setter can forget it. Moves the ids to the end of `out` and forgets them.
  void take_state_changes(std::vector<AccountId>& out) const { state_changes_.take(out); }

  // Sum of totals over all accounts for an asset (0 for a sound ledger).
  __int128 asset_sum(AssetId asset) const;
  // Sum of totals of customer accounts (the exchange's liabilities) for an asset, counted over every
  // account: O(accounts).
  int64_t customer_total(AssetId asset) const;
  // The same sum kept as a running total, updated by every write of a customer cell: O(1), what the
  // reconciliation reads (docs/custody.md, "Reconciliation"). check_invariants() compares it with
  // the recount.
  __int128 customer_liabilities(AssetId asset) const { return customer_totals_[asset]; }
  Status check_invariants() const;

 private:
  size_t index(AccountId a, AssetId asset) const { return static_cast<size_t>(a) * asset_count_ + asset; }
  Status validate(AccountId a, AssetId asset, int64_t amount) const;
  // Moves `amount` between two totals; `from` needs it available unless `may_go_negative`.
  Status move(AccountId from, AccountId to, AssetId asset, int64_t amount, bool may_go_negative);
  // Records a cell about to change (when logging and not yet logged since begin_changes()).
  void note(AccountId a, AssetId asset) {
    state_changes_.mark(a);
    if (watch_ != nullptr) watch_->mark(a);
    if (logging_) note_slow(a, asset);
  }
  void note_slow(AccountId a, AssetId asset);
  // The per-cell rules: held within [0, total] and no negative total, except for the world and the
  // margin asset (see the class comment).
  Status check_cell(size_t a, AssetId asset) const;

  static uint64_t debt_key(AccountId a, AssetId asset) { return (static_cast<uint64_t>(a) << 16) | asset; }
  // After a credit or a release: a debt paid back is forgotten.
  void forget_paid_debt(AccountId a, AssetId asset) {
    if (debts_.empty()) return;
    const Balance& b = cells_[index(a, asset)];
    if (b.total >= 0 && b.total >= b.held) debts_.erase(debt_key(a, asset));
  }

  static constexpr AssetId kNoAsset = 0xFFFF;
  std::set<uint64_t> debts_;  // cells in debt through take_back (debt_key); derived from the cells
  size_t asset_count_;
  size_t account_count_ = 0;
  AssetId margin_asset_ = kNoAsset;
  static constexpr AccountId kNoIssuer = 0xFFFFFFFF;
  std::vector<AccountId> issuers_;  // by asset: the account that issues it (kNoIssuer: none)
  std::vector<Balance> cells_;
  std::vector<__int128> customer_totals_;  // by asset: the running sum of customer cells' totals
  void count_customer(AccountId a, AssetId asset, int64_t delta) {
    if (is_customer(a)) customer_totals_[asset] += delta;
  }
  bool logging_ = false;
  uint32_t epoch_ = 1;
  std::vector<uint32_t> logged_;  // per cell: the epoch it was last logged in
  std::vector<CellChange> changes_;
  AccountMarks* watch_ = nullptr;
  mutable AccountMarks state_changes_;  // see take_state_changes(): bookkeeping of the commitment, not state
};

}  // namespace glassbook::ledger
