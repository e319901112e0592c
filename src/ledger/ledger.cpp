// Double-entry ledger operations and its invariant check.
#include "ledger/ledger.h"

#include <algorithm>
#include "core/assert.h"

#include <string>

#include "core/checked.h"

namespace glassbook::ledger {

Ledger::Ledger(size_t asset_count) : asset_count_(asset_count), customer_totals_(asset_count, 0) { ensure_account(kFirstCustomer - 1); }

void Ledger::ensure_account(AccountId id) {
  if (id < account_count_) return;
  for (size_t a = account_count_; a <= id; ++a) state_changes_.mark(static_cast<AccountId>(a));  // new accounts
  account_count_ = static_cast<size_t>(id) + 1;
  cells_.resize(account_count_ * asset_count_);
}

void Ledger::grow_assets(size_t new_count) {
  GB_ASSERT(new_count >= asset_count_);
  if (new_count == asset_count_) return;
  std::vector<Balance> cells(account_count_ * new_count);
  for (size_t a = 0; a < account_count_; ++a)
    for (size_t s = 0; s < asset_count_; ++s) cells[a * new_count + s] = cells_[a * asset_count_ + s];
  if (!logged_.empty()) {  // the change log's stamps move with their cells
    std::vector<uint32_t> logged(account_count_ * new_count, 0);
    for (size_t a = 0; a < account_count_ && (a + 1) * asset_count_ <= logged_.size(); ++a)
      for (size_t s = 0; s < asset_count_; ++s) logged[a * new_count + s] = logged_[a * asset_count_ + s];
    logged_ = std::move(logged);
  }
  cells_ = std::move(cells);
  asset_count_ = new_count;
  customer_totals_.resize(new_count, 0);
  for (size_t a = 0; a < account_count_; ++a) state_changes_.mark(static_cast<AccountId>(a));  // every account gained cells
}

Status Ledger::validate(AccountId a, AssetId asset, int64_t amount) const {
  if (a >= account_count_) return {Error::UnknownAccount, "unknown account " + std::to_string(a)};
  if (asset >= asset_count_) return {Error::UnknownAsset, "unknown asset " + std::to_string(asset)};
  if (amount <= 0) return {Error::InvalidArgument, "amount must be positive"};
  return {};
}

Status Ledger::transfer(AccountId from, AccountId to, AssetId asset, int64_t amount) {
  // Only the world and an asset's issuer may go negative here; margin debt goes through settle_margin().
  return move(from, to, asset, amount, from == kWorldAccount || is_issuer(from, asset));
}

void Ledger::set_issuer(AssetId asset, AccountId issuer) {
  GB_ASSERT(asset < asset_count_ && issuer != kWorldAccount);
  if (issuers_.size() < asset_count_) issuers_.resize(asset_count_, kNoIssuer);
  issuers_[asset] = issuer;
}

Status Ledger::settle_margin(AccountId from, AccountId to, int64_t amount) {
  if (margin_asset_ == kNoAsset) return {Error::InvalidArgument, "no margin asset"};
  return move(from, to, margin_asset_, amount, true);
}

Status Ledger::move(AccountId from, AccountId to, AssetId asset, int64_t amount, bool may_go_negative) {
  if (auto s = validate(from, asset, amount); !s) return s;
  if (auto s = validate(to, asset, amount); !s) return s;
  if (from == to) return {Error::InvalidArgument, "transfer to the same account"};
  Balance& f = cells_[index(from, asset)];
  Balance& t = cells_[index(to, asset)];
  if (!may_go_negative && f.available() < amount) return {Error::InsufficientFunds, "insufficient available balance"};
  auto nf = checked_sub(f.total, amount);
  auto nt = checked_add(t.total, amount);
  if (!nf || !nt) return {Error::Overflow, "balance out of range"};
  note(from, asset);
  note(to, asset);
  f.total = *nf;
  t.total = *nt;
  count_customer(from, asset, -amount);
  count_customer(to, asset, amount);
  forget_paid_debt(to, asset);
  return {};
}

Status Ledger::take_back(AccountId from, AccountId to, AssetId asset, int64_t amount) {
  if (from == kWorldAccount) return {Error::InvalidArgument, "the world account owes nothing"};
  if (auto s = move(from, to, asset, amount, true); !s) return s;
  const Balance& b = cells_[index(from, asset)];
  if (b.total < 0 || b.total < b.held) debts_.insert(debt_key(from, asset));
  return {};
}

void Ledger::adopt_debts() {
  debts_.clear();
  for (size_t a = 1; a < account_count_; ++a)
    for (AssetId asset = 0; asset < asset_count_; ++asset) {
      const Balance& b = cells_[a * asset_count_ + asset];
      if (asset != margin_asset_ && !is_issuer(static_cast<AccountId>(a), asset) && (b.total < 0 || b.total < b.held))
        debts_.insert(debt_key(static_cast<AccountId>(a), asset));
    }
}

Status Ledger::transfer_held(AccountId from, AccountId to, AssetId asset, int64_t amount) {
  if (auto s = validate(from, asset, amount); !s) return s;
  if (auto s = validate(to, asset, amount); !s) return s;
  if (from == to) return {Error::InvalidArgument, "transfer to the same account"};
  Balance& f = cells_[index(from, asset)];
  Balance& t = cells_[index(to, asset)];
  if (f.held < amount) return {Error::InsufficientFunds, "settlement exceeds held funds"};
  auto nt = checked_add(t.total, amount);
  if (!nt) return {Error::Overflow, "balance out of range"};
  note(from, asset);
  note(to, asset);
  f.held -= amount;
  f.total -= amount;
  t.total = *nt;
  count_customer(from, asset, -amount);
  count_customer(to, asset, amount);
  forget_paid_debt(to, asset);
  return {};
}

Status Ledger::hold(AccountId a, AssetId asset, int64_t amount) {
  if (auto s = validate(a, asset, amount); !s) return s;
  Balance& b = cells_[index(a, asset)];
  if (b.available() < amount) return {Error::InsufficientFunds, "insufficient available balance"};
  note(a, asset);
  b.held += amount;
  return {};
}

Status Ledger::release(AccountId a, AssetId asset, int64_t amount) {
  if (auto s = validate(a, asset, amount); !s) return s;
  Balance& b = cells_[index(a, asset)];
  if (b.held < amount) return {Error::InvalidArgument, "release exceeds held funds"};
  note(a, asset);
  b.held -= amount;
  forget_paid_debt(a, asset);
  return {};
}

Status Ledger::set_balance(AccountId a, AssetId asset, const Balance& b) {
  if (a >= account_count_) return {Error::UnknownAccount, "unknown account " + std::to_string(a)};
  if (asset >= asset_count_) return {Error::UnknownAsset, "unknown asset " + std::to_string(asset)};
  note(a, asset);
  count_customer(a, asset, -cells_[index(a, asset)].total);
  cells_[index(a, asset)] = b;
  count_customer(a, asset, b.total);
  return {};
}

__int128 Ledger::asset_sum(AssetId asset) const {
  __int128 sum = 0;
  for (size_t a = 0; a < account_count_; ++a) sum += cells_[a * asset_count_ + asset].total;
  return sum;
}

int64_t Ledger::customer_total(AssetId asset) const {
  int64_t sum = 0;
  for (size_t a = kFirstCustomer; a < account_count_; ++a) sum += cells_[a * asset_count_ + asset].total;
  return sum;
}

Status Ledger::check_cell(size_t a, AssetId asset) const {
  const Balance& b = cells_[a * asset_count_ + asset];
  if (a == kWorldAccount) {
    if (b.held != 0) return {Error::InvalidArgument, "the world account holds funds"};
    return {};
  }
  if (is_issuer(static_cast<AccountId>(a), asset)) {  // what it issued, never held
    if (b.held != 0) return {Error::InvalidArgument, "account " + std::to_string(a) + ": the issuer of asset " + std::to_string(asset) + " holds funds"};
    if (b.total > 0) return {Error::InvalidArgument, "account " + std::to_string(a) + ": the issuer of asset " + std::to_string(asset) + " owns some"};
    return {};
  }
  if (asset == margin_asset_) {  // margin debt allowed (see the class comment)
    if (b.held < 0) return {Error::InvalidArgument, "account " + std::to_string(a) + ": negative hold in the margin asset"};
    return {};
  }
  if (in_debt(static_cast<AccountId>(a), asset)) {  // a reversal's debt (take_back): only the hold is bounded
    if (b.held < 0) return {Error::InvalidArgument, "account " + std::to_string(a) + ": negative hold"};
    return {};
  }
  if (b.held < 0 || b.held > b.total)
    return {Error::InvalidArgument, "account " + std::to_string(a) + " asset " + std::to_string(asset) +
                                        ": held outside [0, total]"};
  if (b.total < 0)
    return {Error::InvalidArgument, "account " + std::to_string(a) + " asset " + std::to_string(asset) +
                                        ": negative balance"};
  return {};
}

Status Ledger::check_invariants() const {
  for (AssetId asset = 0; asset < asset_count_; ++asset) {
    if (asset_sum(asset) != 0)
      return {Error::InvalidArgument, "double entry broken: asset " + std::to_string(asset) + " does not sum to zero"};
    __int128 recount = 0;
    for (size_t a = kFirstCustomer; a < account_count_; ++a) recount += cells_[a * asset_count_ + asset].total;
    if (recount != customer_totals_[asset])
      return {Error::InvalidArgument, "the running customer total of asset " + std::to_string(asset) + " differs from its recount"};
  }
  for (size_t a = 0; a < account_count_; ++a)
    for (AssetId asset = 0; asset < asset_count_; ++asset)
      if (auto s = check_cell(a, asset); !s) return s;
  return {};
}

void Ledger::log_changes(bool on) {
  logging_ = on;
  begin_changes();
}

void Ledger::begin_changes() {
  changes_.clear();
  if (++epoch_ == 0) {  // wrapped: forget every stamp
    std::fill(logged_.begin(), logged_.end(), 0);
    epoch_ = 1;
  }
}

void Ledger::note_slow(AccountId a, AssetId asset) {
  const size_t i = index(a, asset);
  if (logged_.size() < cells_.size()) logged_.resize(cells_.size(), 0);
  if (logged_[i] == epoch_) return;
  logged_[i] = epoch_;
  changes_.push_back({a, asset, cells_[i]});
}

Status Ledger::check_changes() const {
  std::vector<__int128> moved(asset_count_, 0);
  for (const CellChange& c : changes_) {
    if (c.account >= account_count_ || c.asset >= asset_count_) return {Error::InvalidArgument, "a logged cell is out of range"};
    moved[c.asset] += static_cast<__int128>(balance(c.account, c.asset).total) - c.before.total;
    if (auto s = check_cell(c.account, c.asset); !s) return s;
  }
  for (AssetId asset = 0; asset < asset_count_; ++asset)
    if (moved[asset] != 0)
      return {Error::InvalidArgument, "double entry broken: the last changes of asset " + std::to_string(asset) +
                                          " do not sum to zero"};
  return {};
}

}  // namespace glassbook::ledger
