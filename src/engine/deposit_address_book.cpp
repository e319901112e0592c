// Deposit address book: uniqueness rules, the records' hash chain and their canonical encoding.
#include "engine/deposit_address_book.h"

#include <fmt/format.h>

#include "engine/command_fields.h"

namespace glassbook::engine {

namespace {
bool alnum(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'); }
constexpr std::string_view kDigestTag = "glassbook/deposit-address/v1";
}  // namespace

bool DepositAddressBook::valid_chain_name(std::string_view s) {
  if (s.empty() || s.size() > kMaxChainNameBytes) return false;
  for (char ch : s)
    if (!alnum(ch) && ch != '_' && ch != '-') return false;
  return true;
}

bool DepositAddressBook::valid_address(std::string_view s) {
  if (s.empty() || s.size() > kMaxDepositAddressBytes) return false;
  for (char ch : s)
    if (!alnum(ch)) return false;
  return true;
}

Status DepositAddressBook::check(const RecordDepositAddress& r) const {
  if (!valid_chain_name(r.chain))
    return Status(Error::InvalidArgument, fmt::format("chain name must be 1..{} letters, digits, '_' or '-'", kMaxChainNameBytes));
  if (!valid_address(r.address))
    return Status(Error::InvalidArgument, fmt::format("deposit address must be 1..{} letters and digits", kMaxDepositAddressBytes));
  if (auto it = by_key_.find(Key{r.account, r.chain, r.asset}); it != by_key_.end())
    return Status(Error::InvalidArgument, fmt::format("account {} already has deposit address {} for asset {} on {}", r.account,
                                                      records_[it->second].address, r.asset, r.chain));
  if (auto it = by_address_.find(r.address); it != by_address_.end()) {
    const RecordDepositAddress& old = records_[it->second];
    return Status(Error::InvalidArgument, fmt::format("address {} is already the deposit address of account {} for asset {} on {}",
                                                      r.address, old.account, old.asset, old.chain));
  }
  if (!chain_counts_.contains(r.chain) && chain_counts_.size() >= kMaxChains)
    return Status(Error::Overloaded, fmt::format("deposit addresses are recorded on {} chains already", kMaxChains));
  return {};
}

size_t DepositAddressBook::add(const RecordDepositAddress& r) {
  const size_t index = records_.size();
  records_.push_back(r);
  by_key_.emplace(Key{r.account, r.chain, r.asset}, index);
  by_address_.emplace(r.address, index);
  ++chain_counts_[r.chain];
  chain_assets_.emplace(r.chain, r.asset);
  // digest = SHA-256(tag, previous digest, the record's canonical bytes)
  std::string bytes;
  ByteWriter w(bytes);
  for_each_field(w, r);
  crypto::Sha256 h;
  h.update(kDigestTag);
  h.update(digest_.data(), digest_.size());
  h.update(bytes);
  digest_ = h.finish();
  return index;
}

const RecordDepositAddress* DepositAddressBook::find(AccountId account, AssetId asset, std::string_view chain) const {
  auto it = by_key_.find(Key{account, std::string(chain), asset});
  return it == by_key_.end() ? nullptr : &records_[it->second];
}

std::vector<const RecordDepositAddress*> DepositAddressBook::of_account(AccountId account, std::string_view chain) const {
  std::vector<const RecordDepositAddress*> out;
  for (auto it = by_key_.lower_bound(Key{account, std::string(chain), 0}); it != by_key_.end(); ++it) {
    const auto& [a, c, asset] = it->first;
    if (a != account || (!chain.empty() && c != chain)) break;
    out.push_back(&records_[it->second]);
  }
  return out;
}

std::vector<std::string> DepositAddressBook::chains() const {
  std::vector<std::string> out;
  for (const auto& [name, count] : chain_counts_) out.push_back(name);
  return out;
}

void DepositAddressBook::write(ByteWriter& w) const {
  w.u32(static_cast<uint32_t>(records_.size()));
  for (const RecordDepositAddress& r : records_) for_each_field(w, r);
}

Status DepositAddressBook::read(ByteReader& r) {
  *this = DepositAddressBook{};
  uint32_t n = 0;
  r.u32(n);
  if (!r.ok()) return r.status(false);
  // Each record takes at least 14 bytes: a count beyond what is left is a lie, not a reason to allocate.
  if (n > r.remaining() / 14) return Status(Error::Corruption, fmt::format("{} deposit addresses in {} bytes", n, r.remaining()));
  for (uint32_t i = 0; i < n; ++i) {
    RecordDepositAddress rec;
    for_each_field(r, rec);
    if (!r.ok()) return r.status(false);
    if (auto s = check(rec); !s) return Status(Error::Corruption, fmt::format("deposit address {}: {}", i, s.message()));
    add(rec);
  }
  return {};
}

}  // namespace glassbook::engine
