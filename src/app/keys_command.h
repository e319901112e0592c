// `glassbook keys`: a role key made and sealed in its holder's key file, its public key printed.
#pragma once
#include <string>

#include "app/passphrase.h"
#include "core/result.h"
#include "crypto/key_file.h"

namespace glassbook::app {

// The roles a key file may be made for (docs/operations.md says who holds each).
inline constexpr const char* kKeyRoles[] = {"operator", "chain-watcher", "oracle-source", "log", "custodian", "witness", "proof"};

struct KeysNewOptions {
  std::string role;
  std::string out;
  crypto::KdfCost cost = crypto::KdfCost::Moderate;
  PassphraseSource passphrase;
};

// Creates the key file and prints the role and public key (never the secret). Returns the exit code.
int run_keys_new(const KeysNewOptions& options);
// Prints a key file's role and public key; needs no passphrase.
int run_keys_show(const std::string& path);

// Loads a role key from its sealed file: the file's mode is checked, then the passphrase asked.
// `role`, when given, must be the one the file was made for.
Result<crypto::KeyPair> load_role_key(const std::string& path, const PassphraseSource& passphrase, const std::string& role = "");

}  // namespace glassbook::app
