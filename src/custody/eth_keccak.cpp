// Keccak-256 over Crypto++'s Keccak_256 (see eth_keccak.h).
#include "custody/eth_keccak.h"

#include <cryptopp/keccak.h>

namespace glassbook::custody::eth {

Hash keccak256(std::span<const uint8_t> data) {
  CryptoPP::Keccak_256 keccak;
  keccak.Update(data.data(), data.size());
  Hash out;
  static_assert(CryptoPP::Keccak_256::DIGESTSIZE == 32);
  keccak.Final(out.data());
  return out;
}

Hash keccak256(std::string_view data) {
  return keccak256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

}  // namespace glassbook::custody::eth
