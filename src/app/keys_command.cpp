// Key ceremony commands: a fresh Ed25519 seed from the OS, sealed at once and wiped from memory.
#include "app/keys_command.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <iterator>

namespace glassbook::app {

int run_keys_new(const KeysNewOptions& o) {
  if (std::find_if(std::begin(kKeyRoles), std::end(kKeyRoles), [&](const char* r) { return o.role == r; }) == std::end(kKeyRoles)) {
    fmt::print(stderr, "keys new: unknown role {}: one of operator, chain-watcher, oracle-source, log, custodian, witness, proof\n", o.role);
    return 2;
  }
  PassphraseSource source = o.passphrase;
  source.confirm = true;
  if (source.prompt.empty()) source.prompt = fmt::format("passphrase for the new {} key: ", o.role);
  auto passphrase = read_passphrase(source);
  if (!passphrase) return fmt::print(stderr, "keys new: {}\n", passphrase.status().message()), 1;
  crypto::ensure_sodium();
  crypto::Seed seed{};
  randombytes_buf(seed.data(), seed.size());
  auto sealed = crypto::seal_key(o.role, seed, *passphrase, o.cost);
  sodium_memzero(seed.data(), seed.size());
  sodium_memzero(passphrase.value().data(), passphrase.value().size());
  if (!sealed) return fmt::print(stderr, "keys new: {}\n", sealed.status().message()), 1;
  if (auto s = crypto::write_key_file(o.out, *sealed); !s) return fmt::print(stderr, "keys new: {}\n", s.message()), 1;
  auto info = crypto::key_file_info(*sealed);
  fmt::print("role:        {}\n", o.role);
  fmt::print("public key:  {}\n", crypto::base64_encode(info->public_key));
  fmt::print("key file:    {} (mode 0600, sealed with the passphrase; keep it with its holder)\n", o.out);
  return 0;
}

int run_keys_show(const std::string& path) {
  auto bytes = crypto::read_key_file(path);
  if (!bytes) return fmt::print(stderr, "keys show: {}\n", bytes.status().message()), 1;
  auto info = crypto::key_file_info(*bytes);
  if (!info) return fmt::print(stderr, "keys show: {}: {}\n", path, info.status().message()), 1;
  fmt::print("role:        {}\n", info->role);
  fmt::print("public key:  {}\n", crypto::base64_encode(info->public_key));
  return 0;
}

Result<crypto::KeyPair> load_role_key(const std::string& path, const PassphraseSource& passphrase, const std::string& role) {
  auto bytes = crypto::read_key_file(path);
  if (!bytes) return bytes.status();
  auto info = crypto::key_file_info(*bytes);
  if (!info) return Status(info.code(), fmt::format("{}: {}", path, info.status().message()));
  if (!role.empty() && info->role != role)
    return Status(Error::InvalidArgument, fmt::format("{} holds a {} key, not a {} key", path, info->role, role));
  PassphraseSource source = passphrase;
  if (source.prompt.empty()) source.prompt = fmt::format("passphrase of {} ({} key): ", path, info->role);
  auto pass = read_passphrase(source);
  if (!pass) return pass.status();
  auto key = crypto::open_key(*bytes, *pass);
  sodium_memzero(pass.value().data(), pass.value().size());
  if (!key) return Status(key.code(), fmt::format("{}: {}", path, key.status().message()));
  return key;
}

}  // namespace glassbook::app
