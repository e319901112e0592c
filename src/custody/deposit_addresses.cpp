// Deposit address derivation, the address book file and deposit ids (deposit_addresses.h).
#include "custody/deposit_addresses.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "crypto/sha256.h"
#include "custody/sim_keys.h"

namespace glassbook::custody {

namespace {
constexpr std::string_view kHeader = "glassbook-deposit-addresses v1";
}  // namespace

crypto::KeyPair deposit_key(const crypto::Seed& root, uint32_t account, std::string_view asset) {
  crypto::Sha256 h;
  h.update("glassbook/deposit-key/v1");
  h.update(root.data(), root.size());
  h.update_u32(account);
  h.update_u32(static_cast<uint32_t>(asset.size()));
  h.update(asset);
  return crypto::KeyPair::from_seed(h.finish());
}

DepositAddress derive_deposit_address(const crypto::Seed& root, uint32_t account, std::string_view asset) {
  return DepositAddress{address_of(deposit_key(root, account, asset).public_key()), account, std::string(asset)};
}

std::string format_address_book(const std::vector<DepositAddress>& book) {
  std::string out(kHeader);
  out += '\n';
  for (const DepositAddress& a : book) out += fmt::format("{} {} {}\n", a.address, a.account, a.asset);
  return out;
}

Result<std::vector<DepositAddress>> parse_address_book(std::string_view text) {
  std::vector<DepositAddress> book;
  std::set<Address> addresses;
  std::set<std::pair<uint32_t, std::string>> owners;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    auto bad = [&](std::string_view why) { return Status(Error::InvalidArgument, fmt::format("address book line {}: {}", line_no, why)); };
    if (line_no == 1) {
      if (line != kHeader) return bad(fmt::format("expected the header \"{}\"", kHeader));
      continue;
    }
    if (line.empty()) continue;
    const size_t s1 = line.find(' ');
    const size_t s2 = s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
    if (s2 == std::string_view::npos || line.find(' ', s2 + 1) != std::string_view::npos) return bad("expected <address> <account> <asset>");
    DepositAddress a;
    a.address = std::string(line.substr(0, s1));
    const std::string_view account = line.substr(s1 + 1, s2 - s1 - 1);
    a.asset = std::string(line.substr(s2 + 1));
    const auto [end, ec] = std::from_chars(account.data(), account.data() + account.size(), a.account);
    if (!is_address(a.address)) return bad(fmt::format("{} is not an address (40 lower-case hex digits)", a.address));
    if (account.empty() || ec != std::errc() || end != account.data() + account.size()) return bad(fmt::format("{} is not an account number", account));
    if (!is_asset_symbol(a.asset)) return bad(fmt::format("{} is not an asset symbol", a.asset));
    if (!addresses.insert(a.address).second) return bad(fmt::format("address {} is given twice", a.address));
    if (!owners.insert({a.account, a.asset}).second) return bad(fmt::format("account {} has a second {} address", a.account, a.asset));
    if (book.size() == kMaxAddressBookEntries) return bad(fmt::format("more than {} addresses", kMaxAddressBookEntries));
    book.push_back(std::move(a));
  }
  if (line_no == 0) return Status(Error::InvalidArgument, "the address book is empty");
  return book;
}

Status write_address_book(const std::vector<DepositAddress>& book, const std::string& path) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << format_address_book(book);
    if (!out) return Status(Error::Io, "cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status(Error::Io, fmt::format("cannot rename {}: {}", tmp, ec.message()));
  return {};
}

Result<std::vector<DepositAddress>> read_address_book(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status(Error::Io, fmt::format("cannot open the address book {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  auto book = parse_address_book(text.str());
  if (!book) return Status(book.code(), fmt::format("{}: {}", path, book.status().message()));
  return book;
}

uint64_t deposit_id(std::string_view chain_id, const TxId& tx_id, uint32_t index) {
  crypto::Sha256 h;
  h.update("glassbook/deposit-id/v1");
  h.update_u32(static_cast<uint32_t>(chain_id.size()));
  h.update(chain_id);
  h.update_u32(static_cast<uint32_t>(tx_id.size()));
  h.update(tx_id);
  h.update_u32(index);
  const crypto::Digest d = h.finish();
  uint64_t id = 0;
  for (int i = 0; i < 8; ++i) id |= static_cast<uint64_t>(d[static_cast<size_t>(i)]) << (8 * i);
  return id;
}

}  // namespace glassbook::custody
