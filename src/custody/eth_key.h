// An Ethereum account key: secp256k1 (Debian's libsecp256k1) recoverable ECDSA signatures over
// 32-byte hashes (deterministic nonces, RFC 6979; low s), the key's address, and recovery of the
// signer's address from a signature.
#pragma once
#include <array>
#include <cstdint>
#include <span>

#include "core/result.h"
#include "custody/eth_address.h"
#include "custody/eth_keccak.h"

namespace glassbook::custody::eth {

struct RecoverableSignature {
  std::array<uint8_t, 32> r{};
  std::array<uint8_t, 32> s{};
  uint8_t y_parity = 0;  // 0 or 1: which of the two candidate public keys signed
  bool operator==(const RecoverableSignature&) const = default;
};

class EthKey {
 public:
  // InvalidArgument unless the 32 bytes are a valid secret (non-zero, below the group order).
  static Result<EthKey> from_secret(std::span<const uint8_t> secret);
  const AddressBytes& address() const { return address_; }
  RecoverableSignature sign(const Hash& hash) const;

 private:
  std::array<uint8_t, 32> secret_{};
  AddressBytes address_{};
};

// The address whose key made `signature` over `hash`; InvalidSignature when it recovers no key.
Result<AddressBytes> recover_address(const Hash& hash, const RecoverableSignature& signature);

}  // namespace glassbook::custody::eth
