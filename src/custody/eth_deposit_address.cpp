// Ethereum deposit addresses derived from a root seed (see eth_deposit_address.h).
#include "custody/eth_deposit_address.h"

#include "crypto/sha256.h"

namespace glassbook::custody {

eth::EthKey eth_deposit_key(const crypto::Seed& root, uint32_t account, std::string_view asset) {
  for (uint8_t counter = 0;; ++counter) {
    std::string input = "glassbook/custody/eth-deposit-key/v1";
    input.append(reinterpret_cast<const char*>(root.data()), root.size());
    for (int i = 0; i < 4; ++i) input.push_back(static_cast<char>(account >> (8 * i)));
    input.append(asset);
    input.push_back(static_cast<char>(counter));
    const crypto::Digest secret = crypto::sha256(input);
    if (auto key = eth::EthKey::from_secret(secret)) return std::move(key).value();
  }
}

DepositAddress derive_eth_deposit_address(const crypto::Seed& root, uint32_t account, std::string_view asset) {
  return DepositAddress{eth::lower_address(eth_deposit_key(root, account, asset).address()).substr(2), account, std::string(asset)};
}

}  // namespace glassbook::custody
