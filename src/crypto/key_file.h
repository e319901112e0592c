// Role key files: an Ed25519 seed sealed under a passphrase (Argon2id, then XChaCha20-Poly1305), so
// that a key at rest is useless without its holder's passphrase.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/ed25519.h"

namespace glassbook::crypto {

// How hard the passphrase is to guess offline: libsodium's Argon2id limits by name. Interactive is
// 2 passes over 64 MiB, moderate 3 over 256 MiB, sensitive 4 over 1 GiB. A file names its own cost,
// one of these three, so that a crafted file cannot make opening it take any more.
enum class KdfCost : uint8_t { Interactive = 0, Moderate = 1, Sensitive = 2 };

// What a key file holds besides its secret: readable without the passphrase.
struct KeyFileInfo {
  std::string role;      // the role the key was made for ("operator", "chain-watcher", ...)
  PublicKey public_key{};
};

// The file's bytes: a magic line, then the role, the public key, the Argon2id parameters, salt and
// nonce (all authenticated as associated data), then the sealed 32-byte seed and its tag.
inline constexpr std::string_view kKeyFileMagic = "glassbook-key-v1\n";
inline constexpr size_t kMaxRoleName = 64;

// Seals `seed` under `passphrase` (salt and nonce from the OS's randomness).
Result<std::string> seal_key(std::string_view role, const Seed& seed, std::string_view passphrase, KdfCost cost);
// The role and public key of sealed bytes, without opening them.
Result<KeyFileInfo> key_file_info(std::string_view bytes);
// Opens sealed bytes. A wrong passphrase and altered bytes are told apart from truncation, never
// from each other (the AEAD cannot). The seed must give the public key the file names.
Result<KeyPair> open_key(std::string_view bytes, std::string_view passphrase, KeyFileInfo* info = nullptr);

// Writes a new key file with mode 0600; refuses to replace an existing file.
Status write_key_file(const std::string& path, std::string_view sealed);
// Reads a key file, refusing one that its group or others may read or write (its mode names them).
Result<std::string> read_key_file(const std::string& path);

}  // namespace glassbook::crypto
