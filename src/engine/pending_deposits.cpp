// Pending deposits: attestations counted per deposit id, and their canonical encoding.
#include "engine/pending_deposits.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "engine/command_fields.h"

namespace glassbook::engine {

Result<size_t> PendingDeposits::count_with(const Deposit& d, const crypto::PublicKey& watcher) const {
  auto it = pending_.find(d.deposit_id);
  if (it == pending_.end()) {
    if (pending_.size() >= kMaxPending)
      return Status(Error::Overloaded, fmt::format("{} deposits already wait for attestations", kMaxPending));
    return size_t{1};
  }
  const PendingDeposit& p = it->second;
  if (p.deposit.account != d.account || p.deposit.asset != d.asset || p.deposit.amount != d.amount)
    return Status(Error::InvalidArgument,
                  fmt::format("deposit {} was attested as {} of asset {} to account {}: this attestation differs", d.deposit_id,
                              p.deposit.amount, p.deposit.asset, p.deposit.account));
  if (std::find(p.attesters.begin(), p.attesters.end(), watcher) != p.attesters.end())
    return Status(Error::DuplicateDeposit, fmt::format("this chain watcher already attested deposit {}", d.deposit_id));
  return p.attesters.size() + 1;
}

Result<size_t> PendingDeposits::attest(const Deposit& d, const crypto::PublicKey& watcher) {
  auto counted = count_with(d, watcher);
  if (!counted) return counted;
  auto [it, fresh] = pending_.try_emplace(d.deposit_id, PendingDeposit{d, {}});
  it->second.attesters.push_back(watcher);
  return it->second.attesters.size();
}

void PendingDeposits::keep_attesters_in(const RolePolicy& watchers) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    auto& a = it->second.attesters;
    a.erase(std::remove_if(a.begin(), a.end(), [&](const crypto::PublicKey& k) { return !watchers.contains(k); }), a.end());
    it = a.empty() ? pending_.erase(it) : std::next(it);
  }
}

void PendingDeposits::write(ByteWriter& w) const {
  w.u32(static_cast<uint32_t>(pending_.size()));
  for (const auto& [id, p] : pending_) {
    for_each_field(w, p.deposit);
    w.seq("attesters", p.attesters, kMaxRoleKeys, [](ByteWriter& v, const crypto::PublicKey& k) { v.key(k); });
  }
}

Status PendingDeposits::read(ByteReader& r, const RolePolicy& watchers) {
  pending_.clear();
  uint32_t n = 0;
  r.u32(n);
  if (!r.ok()) return r.status(false);
  if (n > kMaxPending) return Status(Error::Corruption, fmt::format("{} pending deposits (at most {})", n, kMaxPending));
  for (uint32_t i = 0; i < n; ++i) {
    PendingDeposit p;
    for_each_field(r, p.deposit);
    r.seq("attesters", p.attesters, kMaxRoleKeys, [](ByteReader& v, crypto::PublicKey& k) { v.key(k); });
    if (!r.ok()) return r.status(false);
    const uint64_t id = p.deposit.deposit_id;
    if (!pending_.empty() && id <= pending_.rbegin()->first)
      return Status(Error::Corruption, fmt::format("pending deposit ids not increasing at {}", id));
    std::set<crypto::PublicKey> distinct(p.attesters.begin(), p.attesters.end());
    if (p.attesters.empty() || distinct.size() != p.attesters.size())
      return Status(Error::Corruption, fmt::format("pending deposit {}: no attester, or one twice", id));
    for (const auto& k : p.attesters)
      if (!watchers.contains(k)) return Status(Error::Corruption, fmt::format("pending deposit {}: attested by a key that is no chain watcher", id));
    if (p.deposit.amount <= 0) return Status(Error::Corruption, fmt::format("pending deposit {}: amount must be positive", id));
    pending_.emplace(id, std::move(p));
  }
  return {};
}

}  // namespace glassbook::engine
