// Deposit addresses: one per (account, asset), derived deterministically from a root seed, and the
// address book file that tells the chain watcher which account an address credits. Also the
// deposit id every watcher derives alike for one on-chain transfer.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "custody/chain.h"

namespace glassbook::custody {

struct DepositAddress {
  Address address;
  uint32_t account = 0;
  std::string asset;  // the chain's symbol, which the exchange's configuration also names
  bool operator==(const DepositAddress&) const = default;
};

// The key that controls (account, asset)'s deposit address under `root`: SHA-256 of a domain tag,
// the root, the account and the asset is its seed. Whoever holds the root can move what the
// address received (the sweep to the customer wallet, a later slice); the watcher needs only the book.
crypto::KeyPair deposit_key(const crypto::Seed& root, uint32_t account, std::string_view asset);
DepositAddress derive_deposit_address(const crypto::Seed& root, uint32_t account, std::string_view asset);

// The address book, one address a line after a header:
//   glassbook-deposit-addresses v1
//   <40 hex address> <account> <asset>
// Strict: a malformed line, an address or an (account, asset) given twice is refused with its line number.
inline constexpr size_t kMaxAddressBookEntries = 1'000'000;
std::string format_address_book(const std::vector<DepositAddress>& book);
Result<std::vector<DepositAddress>> parse_address_book(std::string_view text);
Status write_address_book(const std::vector<DepositAddress>& book, const std::string& path);
Result<std::vector<DepositAddress>> read_address_book(const std::string& path);

// The exchange's deposit id of one output of one transaction: the first 8 bytes (little-endian) of
// SHA-256 over a domain tag, the chain's id, the transaction id and the output index. Every watcher of
// the same chain derives the same id, so the engine, which credits an id once, never credits a
// transfer twice: not after a watcher's restart, not when two watchers see it.
uint64_t deposit_id(std::string_view chain_id, const TxId& tx_id, uint32_t index);

}  // namespace glassbook::custody
