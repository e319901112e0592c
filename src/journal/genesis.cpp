// Building and checking the genesis record.
#include "journal/genesis.h"

#include <fmt/format.h>

#include "core/assert.h"

#include "engine/config_codec.h"

namespace glassbook::journal {

std::string genesis_signed_bytes(const engine::ExchangeConfig& config) {
  std::string out(kGenesisTag);
  out += engine::encode_config(config);
  return out;
}

Record make_genesis(const engine::ExchangeConfig& config, const crypto::KeyPair& log_key, Timestamp timestamp) {
  GB_ASSERT(log_key.public_key() == config.log_key);
  Record r;
  r.seq = 0;
  r.timestamp = timestamp;
  r.kind = kGenesisKind;
  r.signed_bytes = genesis_signed_bytes(config);
  r.signer = log_key.public_key();
  r.signature = log_key.sign(r.signed_bytes);
  r.prev_hash = kGenesisHash;
  return r;
}

Result<engine::ExchangeConfig> open_genesis(const Record& record) {
  auto bad = [](std::string why) { return Status(Error::Corruption, "genesis record: " + why); };
  if (record.seq != 0) return bad(fmt::format("the first record has seq {}, not 0", record.seq));
  if (record.kind != kGenesisKind) return bad(fmt::format("kind {} is not the genesis kind {}", record.kind, kGenesisKind));
  if (record.prev_hash != kGenesisHash) return bad("its previous hash is not zero");
  const std::string_view bytes = record.signed_bytes;
  if (bytes.substr(0, kGenesisTag.size()) != kGenesisTag) return bad("missing tag \"glassbook/genesis/v1\"");
  auto config = engine::decode_config(bytes.substr(kGenesisTag.size()));
  if (!config) return bad(config.status().message());
  if (record.signer != config->log_key) return bad("not signed by the log key its configuration names");
  if (!crypto::verify(record.signer, record.signed_bytes, record.signature))
    return Status(Error::InvalidSignature, "genesis record: bad signature by the log key");
  return config;
}

}  // namespace glassbook::journal
