// The genesis record (seq 0): the exchange's configuration, signed by the log key it names.
#pragma once
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "engine/config.h"
#include "journal/record.h"

namespace glassbook::journal {

// Genesis uses a kind no command has, and its own domain tag, so its bytes can never be mistaken
// for (or replayed as) a command.
inline constexpr uint8_t kGenesisKind = 0xFF;
inline constexpr std::string_view kGenesisTag = "glassbook/genesis/v1";

// kGenesisTag followed by engine::encode_config(config).
std::string genesis_signed_bytes(const engine::ExchangeConfig& config);

// Builds record 0. Precondition: log_key is config.log_key's pair and the configuration is valid.
Record make_genesis(const engine::ExchangeConfig& config, const crypto::KeyPair& log_key, Timestamp timestamp);

// Checks that `record` is a genesis record (seq 0, kind, zero prev hash, tag), decodes and validates
// its configuration, and checks that it is signed by the log key that configuration names. Errors
// are Error::Corruption naming what is wrong (InvalidSignature for the signature).
Result<engine::ExchangeConfig> open_genesis(const Record& record);

}  // namespace glassbook::journal
