// secp256k1 keys and recoverable signatures over libsecp256k1 (see eth_key.h).
#include "custody/eth_key.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>

namespace glassbook::custody::eth {
namespace {

// One context for the process: libsecp256k1 allows concurrent use of a context through const calls.
const secp256k1_context* context() {
  static secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  return ctx;
}

// The address of a public key: the last 20 bytes of Keccak-256 of its 64 uncompressed coordinates.
AddressBytes address_of(const secp256k1_pubkey& pubkey) {
  std::array<uint8_t, 65> serialized{};
  size_t size = serialized.size();
  secp256k1_ec_pubkey_serialize(context(), serialized.data(), &size, &pubkey, SECP256K1_EC_UNCOMPRESSED);
  GB_ASSERT(size == 65);
  const Hash h = keccak256(std::span<const uint8_t>(serialized).subspan(1));
  AddressBytes out;
  std::copy(h.begin() + 12, h.end(), out.begin());
  return out;
}

}  // namespace

Result<EthKey> EthKey::from_secret(std::span<const uint8_t> secret) {
  if (secret.size() != 32 || !secp256k1_ec_seckey_verify(context(), secret.data()))
    return Status(Error::InvalidArgument, "not a secp256k1 secret key (32 bytes, non-zero, below the group order)");
  EthKey key;
  std::copy(secret.begin(), secret.end(), key.secret_.begin());
  secp256k1_pubkey pubkey;
  GB_ASSERT(secp256k1_ec_pubkey_create(context(), &pubkey, key.secret_.data()));
  key.address_ = address_of(pubkey);
  return key;
}

RecoverableSignature EthKey::sign(const Hash& hash) const {
  secp256k1_ecdsa_recoverable_signature sig;
  GB_ASSERT(secp256k1_ecdsa_sign_recoverable(context(), &sig, hash.data(), secret_.data(), nullptr, nullptr));
  std::array<uint8_t, 64> compact{};
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), compact.data(), &recid, &sig);
  RecoverableSignature out;
  std::copy(compact.begin(), compact.begin() + 32, out.r.begin());
  std::copy(compact.begin() + 32, compact.end(), out.s.begin());
  out.y_parity = static_cast<uint8_t>(recid);
  return out;
}

Result<AddressBytes> recover_address(const Hash& hash, const RecoverableSignature& signature) {
  if (signature.y_parity > 1) return Status(Error::InvalidSignature, "signature y parity is not 0 or 1");
  std::array<uint8_t, 64> compact{};
  std::copy(signature.r.begin(), signature.r.end(), compact.begin());
  std::copy(signature.s.begin(), signature.s.end(), compact.begin() + 32);
  secp256k1_ecdsa_recoverable_signature sig;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &sig, compact.data(), signature.y_parity))
    return Status(Error::InvalidSignature, "signature r or s is out of range");
  secp256k1_pubkey pubkey;
  if (!secp256k1_ecdsa_recover(context(), &pubkey, &sig, hash.data()))
    return Status(Error::InvalidSignature, "no public key recovers from the signature");
  return address_of(pubkey);
}

}  // namespace glassbook::custody::eth
