// The registered wallets, pending votes and open reconciliation alerts: bookkeeping and bytes.
#include "engine/custody_wallets.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/assert.h"
#include "engine/command_fields.h"
#include "engine/withdrawals.h"

namespace glassbook::engine {

const char* wallet_kind_name(WalletKind k) {
  switch (k) {
    case WalletKind::CustomerHot: return "customer-hot";
    case WalletKind::CustomerCold: return "customer-cold";
    case WalletKind::Operational: return "operational";
  }
  return "unknown";
}

Status check_wallet(const RegisterWallet& w, const ExchangeConfig& config) {
  if (auto s = check_chain_text("chain", w.chain, kMaxChainNameBytes); !s) return s;
  if (auto s = check_chain_text("wallet address", w.address, kMaxDepositAddressBytes); !s) return s;
  if (w.asset >= config.assets.size()) return Status(Error::UnknownAsset, fmt::format("unknown asset {}", w.asset));
  if (static_cast<uint8_t>(w.kind) > static_cast<uint8_t>(WalletKind::Operational))
    return Status(Error::InvalidArgument, "unknown wallet kind");
  if (w.signers.empty() || w.signers.size() > kMaxWalletSigners)
    return Status(Error::InvalidArgument, fmt::format("a wallet has 1..{} signers, not {}", kMaxWalletSigners, w.signers.size()));
  if (std::set<crypto::PublicKey>(w.signers.begin(), w.signers.end()).size() != w.signers.size())
    return Status(Error::InvalidArgument, "a signer is named twice");
  for (const auto& k : w.signers)
    if (!config.custodians.contains(k)) return Status(Error::InvalidArgument, "every signer of a wallet must be one of the custodians");
  if (w.threshold == 0 || w.threshold > w.signers.size())
    return Status(Error::InvalidArgument, fmt::format("threshold {} outside 1..{} (the signers)", w.threshold, w.signers.size()));
  return {};
}

std::optional<size_t> CustodyWallets::find(const std::string& chain, const std::string& address) const {
  auto it = by_address_.find(key(chain, address));
  if (it == by_address_.end()) return std::nullopt;
  return it->second;
}

bool CustodyWallets::is_wallet_address(const std::string& address) const {
  return std::any_of(wallets_.begin(), wallets_.end(), [&](const WalletRecord& r) { return r.wallet.address == address; });
}

void CustodyWallets::add(const RegisterWallet& w) {
  GB_ASSERT(wallets_.size() < kMaxWallets && !find(w.chain, w.address));
  by_address_.emplace(key(w.chain, w.address), wallets_.size());
  wallets_.push_back(WalletRecord{w, false, 0, 0});
}

void CustodyWallets::observe(size_t wallet, uint64_t height, int64_t balance) {
  GB_ASSERT(wallet < wallets_.size() && balance >= 0);
  WalletRecord& r = wallets_[wallet];
  GB_ASSERT(!r.observed || height > r.height);
  r.observed = true;
  r.height = height;
  r.balance = balance;
}

Result<size_t> CustodyWallets::vote(const crypto::Digest& digest, const std::string& subject, uint64_t height,
                                    const crypto::PublicKey& voter) {
  auto it = votes_.find(digest);
  if (it == votes_.end()) {
    if (votes_.size() >= kMaxVotes) return Status(Error::Overloaded, fmt::format("{} custody votes are already pending", kMaxVotes));
    it = votes_.emplace(digest, CustodyVote{subject, height, {}}).first;
  } else if (std::find(it->second.voters.begin(), it->second.voters.end(), voter) != it->second.voters.end()) {
    return Status(Error::InvalidArgument, "this key already voted for the same record");
  }
  it->second.voters.push_back(voter);
  return it->second.voters.size();
}

void CustodyWallets::drop_votes(const std::string& subject, uint64_t height) {
  std::erase_if(votes_, [&](const auto& kv) { return kv.second.subject == subject && kv.second.height <= height; });
}

const ReconciliationAlert* CustodyWallets::open_alert(AssetId asset) const {
  for (const auto& [id, a] : alerts_)
    if (a.asset == asset) return &a;
  return nullptr;
}

const ReconciliationAlert* CustodyWallets::alert(uint64_t id) const {
  auto it = alerts_.find(id);
  return it == alerts_.end() ? nullptr : &it->second;
}

uint64_t CustodyWallets::raise(AssetId asset, SeqNo seq, int64_t discrepancy) {
  GB_ASSERT(open_alert(asset) == nullptr);
  const uint64_t id = next_alert_id_++;
  alerts_.emplace(id, ReconciliationAlert{id, asset, seq, discrepancy});
  return id;
}

namespace {

template <class V, class R>
void observation_fields(V& v, R& r) {
  v.boolean(r.observed);
  v.u64(r.height);
  v.i64(r.balance);
}

}  // namespace

void CustodyWallets::write(ByteWriter& w) const {
  w.u32(static_cast<uint32_t>(wallets_.size()));
  for (const WalletRecord& r : wallets_) {
    for_each_field(w, r.wallet);
    observation_fields(w, r);
  }
  w.u32(static_cast<uint32_t>(votes_.size()));
  for (const auto& [digest, v] : votes_) {
    w.key(digest);
    w.str("vote subject", v.subject, 256);
    w.u64(v.height);
    w.seq("voters", v.voters, kMaxRoleKeys, [](ByteWriter& x, const crypto::PublicKey& k) { x.key(k); });
  }
  w.u64(next_alert_id_);
  w.u32(static_cast<uint32_t>(alerts_.size()));
  for (const auto& [id, a] : alerts_) {
    w.u64(a.id);
    w.u16(a.asset);
    w.u64(a.raised_at);
    w.i64(a.discrepancy);
  }
}

Status CustodyWallets::read(ByteReader& r, const ExchangeConfig& config) {
  auto bad = [](const std::string& why) { return Status(Error::Corruption, "custody wallets: " + why); };
  *this = CustodyWallets{};
  uint32_t n = 0;
  r.u32(n);
  if (!r.ok()) return r.status(false);
  if (n > kMaxWallets) return bad(fmt::format("{} wallets (at most {})", n, kMaxWallets));
  for (uint32_t i = 0; i < n; ++i) {
    WalletRecord rec;
    for_each_field(r, rec.wallet);
    observation_fields(r, rec);
    if (!r.ok()) return r.status(false);
    if (auto s = check_wallet(rec.wallet, config); !s) return bad(s.message());
    if (find(rec.wallet.chain, rec.wallet.address)) return bad(fmt::format("address {} registered twice", rec.wallet.address));
    if (rec.balance < 0 || (!rec.observed && (rec.height != 0 || rec.balance != 0))) return bad("an impossible observation");
    by_address_.emplace(key(rec.wallet.chain, rec.wallet.address), wallets_.size());
    wallets_.push_back(std::move(rec));
  }
  r.u32(n);
  if (!r.ok()) return r.status(false);
  if (n > kMaxVotes) return bad(fmt::format("{} votes (at most {})", n, kMaxVotes));
  for (uint32_t i = 0; i < n; ++i) {
    crypto::Digest digest{};
    CustodyVote v;
    r.key(digest);
    r.str("vote subject", v.subject, 256);
    r.u64(v.height);
    r.seq("voters", v.voters, kMaxRoleKeys, [](ByteReader& x, crypto::PublicKey& k) { x.key(k); });
    if (!r.ok()) return r.status(false);
    if (!votes_.empty() && !(votes_.rbegin()->first < digest)) return bad("votes not in increasing digest order");
    if (v.voters.empty() || std::set<crypto::PublicKey>(v.voters.begin(), v.voters.end()).size() != v.voters.size())
      return bad("a vote without voters, or a voter twice");
    for (const auto& k : v.voters)
      if (!config.operators.contains(k) && !config.chain_watchers.contains(k)) return bad("a voter that is neither operator nor chain watcher");
    votes_.emplace(digest, std::move(v));
  }
  r.u64(next_alert_id_);
  r.u32(n);
  if (!r.ok()) return r.status(false);
  if (next_alert_id_ == 0) return bad("next alert id 0");
  if (n > config.assets.size()) return bad(fmt::format("{} open alerts for {} assets", n, config.assets.size()));
  for (uint32_t i = 0; i < n; ++i) {
    ReconciliationAlert a;
    r.u64(a.id);
    r.u16(a.asset);
    r.u64(a.raised_at);
    r.i64(a.discrepancy);
    if (!r.ok()) return r.status(false);
    if (a.asset >= config.assets.size() || open_alert(a.asset) != nullptr) return bad(fmt::format("alert {}: unknown asset or a second alert", a.id));
    if (a.id >= next_alert_id_ || a.discrepancy == 0 || (!alerts_.empty() && a.id <= alerts_.rbegin()->first))
      return bad(fmt::format("alert {}: id out of order or no discrepancy", a.id));
    alerts_.emplace(a.id, a);
  }
  return {};
}

}  // namespace glassbook::engine
