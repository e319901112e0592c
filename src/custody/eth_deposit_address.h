// Ethereum deposit addresses: one per (account, asset), the address of a secp256k1 key derived from
// a root seed, written in the address book's form (lower-case hex without 0x) for the chain watcher.
#pragma once
#include <cstdint>
#include <string_view>

#include "crypto/ed25519.h"
#include "custody/deposit_addresses.h"
#include "custody/eth_key.h"

namespace glassbook::custody {

// The key of (account, asset) under `root`: its secret is SHA-256 of a domain tag, the root, the
// account (little-endian) and the asset (hashed again, with a counter, in the negligible case that it
// is not a valid secp256k1 secret).
eth::EthKey eth_deposit_key(const crypto::Seed& root, uint32_t account, std::string_view asset);
DepositAddress derive_eth_deposit_address(const crypto::Seed& root, uint32_t account, std::string_view asset);

}  // namespace glassbook::custody
