// Double-entry ledger operations and its invariant check.
#include "ledger/ledger.h"

#include <cassert>

#include <string>

#include "core/checked.h"

namespace glassbook::ledger {

Ledger::Ledger(size_t asset_count) : asset_count_(asset_count) { ensure_account(kFirstCustomer - 1); }

void Ledger::ensure_account(AccountId id) {
  if (id < account_count_) return;
  account_count_ = static_cast<size_t>(id) + 1;
  cells_.resize(account_count_ * asset_count_);
}

void Ledger::grow_assets(size_t new_count) {
  assert(new_count >= asset_count_);
  if (new_count == asset_count_) return;
  std::vector<Balance> cells(account_count_ * new_count);
  for (size_t a = 0; a < account_count_; ++a)
    for (size_t s = 0; s < asset_count_; ++s) cells[a * new_count + s] = cells_[a * asset_count_ + s];
  cells_ = std::move(cells);
  asset_count_ = new_count;
}

Status Ledger::validate(AccountId a, AssetId asset, int64_t amount) const {
  if (a >= account_count_) return {Error::UnknownAccount, "unknown account " + std::to_string(a)};
  if (asset >= asset_count_) return {Error::UnknownAsset, "unknown asset " + std::to_string(asset)};
  if (amount <= 0) return {Error::InvalidArgument, "amount must be positive"};
  return {};
}

Status Ledger::transfer(AccountId from, AccountId to, AssetId asset, int64_t amount) {
  // Only the world may go negative here; margin debt goes through settle_margin().
  return move(from, to, asset, amount, from == kWorldAccount);
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
  f.total = *nf;
  t.total = *nt;
  return {};
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
  f.held -= amount;
  f.total -= amount;
  t.total = *nt;
  return {};
}

Status Ledger::hold(AccountId a, AssetId asset, int64_t amount) {
  if (auto s = validate(a, asset, amount); !s) return s;
  Balance& b = cells_[index(a, asset)];
  if (b.available() < amount) return {Error::InsufficientFunds, "insufficient available balance"};
  b.held += amount;
  return {};
}

Status Ledger::release(AccountId a, AssetId asset, int64_t amount) {
  if (auto s = validate(a, asset, amount); !s) return s;
  Balance& b = cells_[index(a, asset)];
  if (b.held < amount) return {Error::InvalidArgument, "release exceeds held funds"};
  b.held -= amount;
  return {};
}

Status Ledger::set_balance(AccountId a, AssetId asset, const Balance& b) {
  if (a >= account_count_) return {Error::UnknownAccount, "unknown account " + std::to_string(a)};
  if (asset >= asset_count_) return {Error::UnknownAsset, "unknown asset " + std::to_string(asset)};
  cells_[index(a, asset)] = b;
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

Status Ledger::check_invariants() const {
  for (AssetId asset = 0; asset < asset_count_; ++asset) {
    if (asset_sum(asset) != 0)
      return {Error::InvalidArgument, "double entry broken: asset " + std::to_string(asset) + " does not sum to zero"};
  }
  for (size_t a = 0; a < account_count_; ++a) {
    for (AssetId asset = 0; asset < asset_count_; ++asset) {
      const Balance& b = cells_[a * asset_count_ + asset];
      if (a == kWorldAccount) {
        if (b.held != 0) return {Error::InvalidArgument, "the world account holds funds"};
        continue;
      }
      if (asset == margin_asset_) {  // margin debt allowed (see the class comment)
        if (b.held < 0) return {Error::InvalidArgument, "account " + std::to_string(a) + ": negative hold in the margin asset"};
        continue;
      }
      if (b.held < 0 || b.held > b.total)
        return {Error::InvalidArgument, "account " + std::to_string(a) + " asset " + std::to_string(asset) +
                                            ": held outside [0, total]"};
      if (b.total < 0)
        return {Error::InvalidArgument, "account " + std::to_string(a) + " asset " + std::to_string(asset) +
                                            ": negative balance"};
    }
  }
  return {};
}

}  // namespace glassbook::ledger
