// The simulated chain's addresses and transfer signatures: an address is the hex of the first 20
// bytes of SHA-256 of an Ed25519 public key, and only that key's signature moves its funds.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "custody/chain.h"

namespace glassbook::custody {

inline constexpr size_t kAddressHexChars = 40;

Address address_of(const crypto::PublicKey& key);
// 40 lower-case hex digits.
bool is_address(std::string_view text);
// An asset symbol the chain takes: 1 to 16 of A-Z and 0-9.
bool is_asset_symbol(std::string_view text);

// The bytes a sender signs: a domain tag, the chain's id (so a transfer signed for one chain never
// moves funds on another), the sender's key and every field.
std::string transfer_signing_bytes(std::string_view chain_id, const crypto::PublicKey& from_key, const Address& to,
                                   std::string_view asset, int64_t amount, int64_t fee, uint64_t client_id);

// The id the simulated chain gives a transfer: SHA-256 of a domain tag, the chain's id, the sender's
// address and the client id (so one client id of one sender is one transaction, whatever is resent).
TxId sim_transfer_id(std::string_view chain_id, const Address& from, uint64_t client_id);

// A transfer from `key`'s address, signed by it.
SignedTransfer sign_transfer(std::string_view chain_id, const crypto::KeyPair& key, const Address& to, std::string_view asset,
                             int64_t amount, int64_t fee, uint64_t client_id);

}  // namespace glassbook::custody
