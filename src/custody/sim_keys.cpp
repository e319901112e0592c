// Addresses and transfer signing bytes of the simulated chain (sim_keys.h).
#include "custody/sim_keys.h"

#include "core/byte_io.h"
#include "crypto/sha256.h"

namespace glassbook::custody {

Address address_of(const crypto::PublicKey& key) {
  const crypto::Digest d = crypto::sha256(std::span<const uint8_t>(key.data(), key.size()));
  return crypto::to_hex(std::span<const uint8_t>(d.data(), kAddressHexChars / 2));
}

bool is_address(std::string_view text) {
  if (text.size() != kAddressHexChars) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool is_asset_symbol(std::string_view text) {
  if (text.empty() || text.size() > 16) return false;
  for (char c : text)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

std::string transfer_signing_bytes(std::string_view chain_id, const crypto::PublicKey& from_key, const Address& to,
                                   std::string_view asset, int64_t amount, int64_t fee, uint64_t client_id) {
  std::string out;
  ByteWriter w(out);
  w.str("domain", "glassbook-sim-chain/transfer/v1", 64);
  w.str("chain", std::string(chain_id), 256);
  w.key(from_key);
  w.str("to", to, kAddressHexChars);
  w.str("asset", std::string(asset), 16);
  w.i64(amount);
  w.i64(fee);
  w.u64(client_id);
  return out;
}

TxId sim_transfer_id(std::string_view chain_id, const Address& from, uint64_t client_id) {
  crypto::Sha256 h;
  h.update("glassbook-sim-chain/tx/v1");
  h.update(chain_id);
  h.update(from);
  h.update_u64(client_id);
  const crypto::Digest d = h.finish();
  return crypto::to_hex(std::span<const uint8_t>(d.data(), d.size()));
}

SignedTransfer sign_transfer(std::string_view chain_id, const crypto::KeyPair& key, const Address& to, std::string_view asset,
                             int64_t amount, int64_t fee, uint64_t client_id) {
  SignedTransfer t;
  t.public_key = crypto::base64_encode(key.public_key());
  t.to = to;
  t.asset = std::string(asset);
  t.amount = amount;
  t.fee = fee;
  t.client_id = client_id;
  t.signature = crypto::base64_encode(key.sign(transfer_signing_bytes(chain_id, key.public_key(), to, asset, amount, fee, client_id)));
  return t;
}

}  // namespace glassbook::custody
