// Withdrawals' state: lookups, the velocity window, the configuration's bounds and the canonical encoding.
#include "engine/withdrawals.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/config_codec.h"

namespace glassbook::engine {

namespace {

Status corrupt(std::string why) { return Status(Error::Corruption, "withdrawals: " + std::move(why)); }

void write_keys(ByteWriter& w, const std::vector<crypto::PublicKey>& keys) {
  w.seq("signers", keys, kMaxRoleKeys, [](ByteWriter& v, const crypto::PublicKey& k) { v.key(k); });
}
void read_keys(ByteReader& r, std::vector<crypto::PublicKey>& keys) {
  r.seq("signers", keys, kMaxRoleKeys, [](ByteReader& v, crypto::PublicKey& k) { v.key(k); });
}

// Distinct keys, each of the role.
bool signers_ok(const std::vector<crypto::PublicKey>& keys, const RolePolicy& role) {
  std::set<crypto::PublicKey> distinct(keys.begin(), keys.end());
  if (distinct.size() != keys.size()) return false;
  return std::all_of(keys.begin(), keys.end(), [&](const crypto::PublicKey& k) { return role.contains(k); });
}

void keep_in(std::vector<crypto::PublicKey>& keys, const RolePolicy& role) {
  keys.erase(std::remove_if(keys.begin(), keys.end(), [&](const crypto::PublicKey& k) { return !role.contains(k); }), keys.end());
}

}  // namespace

Status check_chain_text(const char* what, const std::string& text, size_t max) {
  if (text.empty()) return Status(Error::InvalidArgument, fmt::format("missing {}", what));
  if (text.size() > max) return Status(Error::InvalidArgument, fmt::format("{} of {} characters (at most {})", what, text.size(), max));
  for (char ch : text)
    if (ch <= ' ' || ch > '~' || ch == '&' || ch == '=')
      return Status(Error::InvalidArgument, fmt::format("{} holds a character other than printable ASCII without spaces, '&' or '='", what));
  return {};
}

Status validate_withdrawals(const ExchangeConfig& c) {
  auto bad = [](const std::string& why) { return Status(Error::InvalidConfig, "withdrawals: " + why); };
  const WithdrawalConfig& w = c.withdrawals;
  if (w.window_us < 0 || w.window_us > kMaxWithdrawalWindowUs)
    return bad(fmt::format("the velocity window must be within 0..{} µs (30 days)", kMaxWithdrawalWindowUs));
  if (w.cooling_off_us < 0 || w.cooling_off_us > kMaxWithdrawalWindowUs)
    return bad(fmt::format("the cooling-off period must be within 0..{} µs (30 days)", kMaxWithdrawalWindowUs));
  if (w.assets.size() > c.assets.size()) return bad("more withdrawal limits than assets");
  bool limited = false;
  for (const WithdrawalAssetLimits& a : w.assets) {
    if (a.approval_above < 0 || a.account_limit < 0 || a.global_limit < 0) return bad("a withdrawal limit cannot be negative");
    limited = limited || a.account_limit > 0 || a.global_limit > 0;
  }
  if (limited && w.window_us == 0) return bad("velocity limits need a window (window_us > 0)");
  // One encoding per value: missing entries are all zero, so a trailing all-zero entry is left out.
  if (!w.assets.empty() && w.assets.back() == WithdrawalAssetLimits{}) return bad("the limits end with an all-zero asset: leave it out");
  return {};
}

const Withdrawal* Withdrawals::find(uint64_t id) const {
  auto it = open_.find(id);
  return it == open_.end() ? nullptr : &it->second;
}

Withdrawal* Withdrawals::find(uint64_t id) {
  auto it = open_.find(id);
  return it == open_.end() ? nullptr : &it->second;
}

int64_t Withdrawals::held(AccountId account, AssetId asset) const {
  if (held_.empty()) return 0;
  auto it = held_.find(held_key(account, asset));
  return it == held_.end() ? 0 : it->second;
}

void Withdrawals::count_held(const RequestWithdrawal& r, int64_t sign) {
  int64_t& sum = held_[held_key(r.account, r.asset)];
  sum += sign * r.amount;  // bounded by the ledger's holds, which are int64
  if (sum == 0) held_.erase(held_key(r.account, r.asset));
}

bool Withdrawals::client_id_open(AccountId account, uint32_t client_id) const {
  return std::any_of(open_.begin(), open_.end(), [&](const auto& kv) {
    return kv.second.request.account == account && kv.second.request.client_id == client_id;
  });
}

Withdrawal& Withdrawals::add(const RequestWithdrawal& r, Timestamp now, WithdrawalStatus status) {
  Withdrawal w;
  w.id = next_id_++;
  w.request = r;
  w.requested_at = now;
  w.status = status;
  count_held(r, 1);
  return open_.emplace(w.id, std::move(w)).first->second;
}

void Withdrawals::finish(uint64_t id) {
  auto it = open_.find(id);
  if (it == open_.end()) return;
  count_held(it->second.request, -1);
  open_.erase(it);
}

std::optional<Timestamp> Withdrawals::usable_from(AccountId account, const std::string& address) const {
  auto it = addresses_.find({account, address});
  if (it == addresses_.end()) return std::nullopt;
  return it->second;
}

size_t Withdrawals::addresses_of(AccountId account) const {
  auto from = addresses_.lower_bound({account, std::string()});
  auto to = addresses_.lower_bound({account + 1, std::string()});
  return static_cast<size_t>(std::distance(from, to));
}

std::vector<std::pair<std::string, Timestamp>> Withdrawals::addresses_of_account(AccountId account) const {
  std::vector<std::pair<std::string, Timestamp>> out;
  for (auto it = addresses_.lower_bound({account, std::string()}); it != addresses_.end() && it->first.first == account; ++it)
    out.emplace_back(it->first.second, it->second);
  return out;
}

int64_t Withdrawals::recent_sum(AssetId asset, std::optional<AccountId> account, Timestamp since) const {
  int64_t sum = 0;  // bounded: every entry passed a limit below 2^63 when it was added
  for (const RecentWithdrawal& r : recent_)
    if (r.at > since && r.asset == asset && (!account || r.account == *account)) sum += r.amount;
  return sum;
}

size_t Withdrawals::recent_count(Timestamp since) const {
  size_t stale = 0;  // recent_ is in time order: the stale ones are in front
  while (stale < recent_.size() && recent_[stale].at <= since) ++stale;
  return recent_.size() - stale;
}

void Withdrawals::note_recent(const RecentWithdrawal& r, Timestamp since) {
  while (!recent_.empty() && recent_.front().at <= since) recent_.pop_front();
  recent_.push_back(r);
}

void Withdrawals::keep_signers_in(const RolePolicy& custodians, const RolePolicy& watchers) {
  for (auto& [id, w] : open_) {
    keep_in(w.approvals, custodians);
    keep_in(w.confirmed_by, watchers);
    keep_in(w.failed_by, watchers);
  }
  for (auto it = pending_reversals_.begin(); it != pending_reversals_.end();) {
    keep_in(it->second.attesters, watchers);
    it = it->second.attesters.empty() ? pending_reversals_.erase(it) : std::next(it);
  }
}

bool Withdrawals::empty() const {
  return next_id_ == 1 && open_.empty() && addresses_.empty() && recent_.empty() && pending_reversals_.empty() && reversed_.empty();
}

void Withdrawals::write(ByteWriter& w) const {
  w.u64(next_id_);
  w.u32(static_cast<uint32_t>(open_.size()));
  for (const auto& [id, x] : open_) {
    w.u64(id);
    w.u32(x.request.account);
    w.u16(x.request.asset);
    w.i64(x.request.amount);
    w.str("withdrawal address", x.request.address, kMaxWithdrawalAddressBytes);
    w.str("blockchain", x.request.blockchain, kMaxBlockchainBytes);
    w.u32(x.request.client_id);
    w.i64(x.requested_at);
    w.u8(static_cast<uint8_t>(x.status));
    write_keys(w, x.approvals);
    w.str("transaction id", x.tx_id, kMaxWithdrawalAddressBytes);
    write_keys(w, x.confirmed_by);
    write_keys(w, x.failed_by);
  }
  w.u32(static_cast<uint32_t>(addresses_.size()));
  for (const auto& [key, from] : addresses_) {
    w.u32(key.first);
    w.str("withdrawal address", key.second, kMaxWithdrawalAddressBytes);
    w.i64(from);
  }
  w.u32(static_cast<uint32_t>(recent_.size()));
  for (const RecentWithdrawal& r : recent_) {
    w.i64(r.at);
    w.u32(r.account);
    w.u16(r.asset);
    w.i64(r.amount);
  }
  w.u32(static_cast<uint32_t>(pending_reversals_.size()));
  for (const auto& [id, p] : pending_reversals_) {
    w.u64(id);
    w.u32(p.reversal.account);
    w.u16(p.reversal.asset);
    w.i64(p.reversal.amount);
    write_keys(w, p.attesters);
  }
  w.u64(reversed_.size());
  for (uint64_t id : reversed_) w.u64(id);
}

Status Withdrawals::read(ByteReader& r, const ExchangeConfig& config, const std::function<bool(AccountId)>& known_account) {
  *this = Withdrawals();
  const auto fault = [&]() { return Status(Error::Corruption, r.status(false).message()); };
  const auto count = [&](const char* what, uint64_t max, bool wide = false) -> std::optional<uint64_t> {
    uint64_t n = 0;
    if (wide) {
      r.u64(n);
    } else {
      uint32_t n32 = 0;
      r.u32(n32);
      n = n32;
    }
    if (!r.ok() || n > max || n > r.remaining()) {
      if (r.ok()) r.fail(fmt::format("{}: {} exceeds the limit {} or the bytes left", what, n, std::min<uint64_t>(max, r.remaining())));
      return std::nullopt;
    }
    return n;
  };
  r.u64(next_id_);
  if (!r.ok()) return fault();
  if (next_id_ == 0) return corrupt("next withdrawal id is 0");
  const auto n_open = count("open withdrawals", kMaxOpen);
  if (!n_open) return fault();
  for (uint64_t i = 0; i < *n_open; ++i) {
    Withdrawal x;
    r.u64(x.id);
    r.u32(x.request.account);
    r.u16(x.request.asset);
    r.i64(x.request.amount);
    r.str("withdrawal address", x.request.address, kMaxWithdrawalAddressBytes);
    r.str("blockchain", x.request.blockchain, kMaxBlockchainBytes);
    r.u32(x.request.client_id);
    r.i64(x.requested_at);
    r.enum8("withdrawal status", x.status, 2);
    read_keys(r, x.approvals);
    r.str("transaction id", x.tx_id, kMaxWithdrawalAddressBytes);
    read_keys(r, x.confirmed_by);
    read_keys(r, x.failed_by);
    if (!r.ok()) return fault();
    const auto bad = [&](const std::string& why) { return corrupt(fmt::format("withdrawal {}: {}", x.id, why)); };
    if (x.id == 0 || x.id >= next_id_ || (!open_.empty() && x.id <= open_.rbegin()->first)) return bad("id out of order");
    if (!known_account(x.request.account) || x.request.asset >= config.assets.size() || x.request.amount <= 0)
      return bad("unknown account or asset, or an amount that is not positive");
    if (!check_chain_text("address", x.request.address, kMaxWithdrawalAddressBytes) ||
        !check_chain_text("blockchain", x.request.blockchain, kMaxBlockchainBytes))
      return bad("malformed address or blockchain");
    if (!signers_ok(x.approvals, config.custodians) || !signers_ok(x.confirmed_by, config.chain_watchers) ||
        !signers_ok(x.failed_by, config.chain_watchers))
      return bad("signers repeated or outside their roles");
    const bool broadcast = x.status == WithdrawalStatus::Broadcast;
    if (broadcast != !x.tx_id.empty() || (!broadcast && (!x.confirmed_by.empty() || !x.failed_by.empty())) ||
        (broadcast && !check_chain_text("transaction id", x.tx_id, kMaxWithdrawalAddressBytes)))
      return bad("status disagrees with its transaction id or attestations");
    count_held(x.request, 1);
    open_.emplace(x.id, std::move(x));
  }
  const auto n_addresses = count("withdrawal addresses", kMaxAddresses);
  if (!n_addresses) return fault();
  for (uint64_t i = 0; i < *n_addresses; ++i) {
    AccountId account = 0;
    std::string address;
    Timestamp from = 0;
    r.u32(account);
    r.str("withdrawal address", address, kMaxWithdrawalAddressBytes);
    r.i64(from);
    if (!r.ok()) return fault();
    if (!known_account(account) || !check_chain_text("address", address, kMaxWithdrawalAddressBytes))
      return corrupt(fmt::format("allow-listed address {}: unknown account {} or a malformed address", i, account));
    if (!addresses_.empty() && !(addresses_.rbegin()->first < std::make_pair(account, address)))
      return corrupt(fmt::format("allow-listed address {} out of order", i));
    addresses_.emplace_hint(addresses_.end(), std::make_pair(account, std::move(address)), from);
  }
  const auto n_recent = count("recent withdrawals", kMaxRecent);
  if (!n_recent) return fault();
  for (uint64_t i = 0; i < *n_recent; ++i) {
    RecentWithdrawal x;
    r.i64(x.at);
    r.u32(x.account);
    r.u16(x.asset);
    r.i64(x.amount);
    if (!r.ok()) return fault();
    if (!known_account(x.account) || x.asset >= config.assets.size() || x.amount <= 0 || (!recent_.empty() && x.at < recent_.back().at))
      return corrupt(fmt::format("recent withdrawal {}: unknown account or asset, a bad amount or out of order", i));
    recent_.push_back(x);
  }
  const auto n_pending = count("pending reversals", kMaxPendingReversals);
  if (!n_pending) return fault();
  for (uint64_t i = 0; i < *n_pending; ++i) {
    PendingReversal p;
    r.u64(p.reversal.deposit_id);
    r.u32(p.reversal.account);
    r.u16(p.reversal.asset);
    r.i64(p.reversal.amount);
    read_keys(r, p.attesters);
    if (!r.ok()) return fault();
    const uint64_t id = p.reversal.deposit_id;
    if ((!pending_reversals_.empty() && id <= pending_reversals_.rbegin()->first) || p.attesters.empty() ||
        !signers_ok(p.attesters, config.chain_watchers) || p.reversal.amount <= 0 || p.reversal.asset >= config.assets.size() ||
        !(known_account(p.reversal.account) || p.reversal.account == kInsuranceAccount))
      return corrupt(fmt::format("pending reversal of deposit {}: out of order or malformed", id));
    pending_reversals_.emplace(id, std::move(p));
  }
  const auto n_reversed = count("reversed deposits", UINT64_MAX, true);
  if (!n_reversed) return fault();
  for (uint64_t i = 0; i < *n_reversed; ++i) {
    uint64_t id = 0;
    r.u64(id);
    if (!r.ok()) return fault();
    if (!reversed_.empty() && id <= *reversed_.rbegin()) return corrupt("reversed deposit ids not strictly increasing");
    if (pending_reversals_.contains(id)) return corrupt(fmt::format("deposit {} is both reversed and pending reversal", id));
    reversed_.insert(reversed_.end(), id);
  }
  return {};
}

}  // namespace glassbook::engine
