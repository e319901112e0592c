// Key files sealed with libsodium: Argon2id derives the key, XChaCha20-Poly1305 seals the seed with
// the header as associated data (so the role and public key cannot be swapped under a sealed seed).
#include "crypto/key_file.h"

#include <sodium.h>

#include <array>

#include "core/byte_io.h"

namespace glassbook::crypto {
namespace {

using Salt = std::array<uint8_t, crypto_pwhash_SALTBYTES>;
using Nonce = std::array<uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES>;
using AeadKey = std::array<uint8_t, crypto_aead_xchacha20poly1305_ietf_KEYBYTES>;
constexpr size_t kSealedBytes = sizeof(Seed) + crypto_aead_xchacha20poly1305_ietf_ABYTES;

struct Header {
  std::string role;
  PublicKey public_key{};
  KdfCost cost = KdfCost::Moderate;
  Salt salt{};
  Nonce nonce{};
};

template <class V, class H>
void header_fields(V& v, H& h) {
  v.str("role", h.role, kMaxRoleName);
  v.key(h.public_key);
  v.enum8("key derivation cost", h.cost, static_cast<uint8_t>(KdfCost::Sensitive));
  v.key(h.salt);
  v.key(h.nonce);
}

std::pair<unsigned long long, size_t> limits(KdfCost cost) {
  switch (cost) {
    case KdfCost::Interactive: return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
    case KdfCost::Moderate: return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
    case KdfCost::Sensitive: break;
  }
  return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE};
}

// The AEAD key of a passphrase; wiped by the caller.
Status derive(AeadKey& out, std::string_view passphrase, const Header& h) {
  const auto [ops, mem] = limits(h.cost);
  if (crypto_pwhash(out.data(), out.size(), passphrase.data(), passphrase.size(), h.salt.data(), ops, mem,
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Status(Error::Io, "the key derivation ran out of memory");
  return {};
}

struct Parsed {
  Header header;
  std::string_view aad;     // the bytes the tag authenticates besides the ciphertext
  std::string_view sealed;  // ciphertext and tag
};

Result<Parsed> parse(std::string_view bytes) {
  if (bytes.size() < kKeyFileMagic.size() || bytes.substr(0, kKeyFileMagic.size()) != kKeyFileMagic)
    return Status(Error::InvalidArgument, "not a glassbook key file (it does not start with \"glassbook-key-v1\")");
  if (bytes.size() < kKeyFileMagic.size() + kSealedBytes)
    return Status(Error::Corruption, "the key file is truncated");
  Parsed p;
  p.aad = bytes.substr(0, bytes.size() - kSealedBytes);
  p.sealed = bytes.substr(bytes.size() - kSealedBytes);
  ByteReader r(p.aad.substr(kKeyFileMagic.size()), "key file header");
  header_fields(r, p.header);
  if (auto s = r.status(); !s) {
    // A header that runs short or long is what a cut file looks like: its sealed tail is then
    // taken from the header's own bytes.
    return Status(Error::Corruption, "the key file is truncated or damaged (" + s.message() + ")");
  }
  if (p.header.role.empty()) return Status(Error::Corruption, "the key file names no role");
  return p;
}

}  // namespace

Result<std::string> seal_key(std::string_view role, const Seed& seed, std::string_view passphrase, KdfCost cost) {
  ensure_sodium();
  if (role.empty() || role.size() > kMaxRoleName)
    return Status(Error::InvalidArgument, "a key's role is 1 to 64 characters");
  if (passphrase.empty()) return Status(Error::InvalidArgument, "the passphrase is empty");
  Header h;
  h.role = std::string(role);
  h.public_key = KeyPair::from_seed(seed).public_key();
  h.cost = cost;
  randombytes_buf(h.salt.data(), h.salt.size());
  randombytes_buf(h.nonce.data(), h.nonce.size());
  std::string out(kKeyFileMagic);
  ByteWriter w(out);
  header_fields(w, h);
  AeadKey key{};
  if (auto s = derive(key, passphrase, h); !s) return s;
  std::array<uint8_t, kSealedBytes> sealed{};
  unsigned long long sealed_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), &sealed_len, seed.data(), seed.size(),
                                             reinterpret_cast<const uint8_t*>(out.data()), out.size(), nullptr,
                                             h.nonce.data(), key.data());
  sodium_memzero(key.data(), key.size());
  GB_ASSERT(sealed_len == kSealedBytes);
  out.append(reinterpret_cast<const char*>(sealed.data()), sealed.size());
  return out;
}

Result<KeyFileInfo> key_file_info(std::string_view bytes) {
  auto p = parse(bytes);
  if (!p) return p.status();
  return KeyFileInfo{p->header.role, p->header.public_key};
}

Result<KeyPair> open_key(std::string_view bytes, std::string_view passphrase, KeyFileInfo* info) {
  ensure_sodium();
  auto p = parse(bytes);
  if (!p) return p.status();
  AeadKey key{};
  if (auto s = derive(key, passphrase, p->header); !s) return s;
  Seed seed{};
  unsigned long long seed_len = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      seed.data(), &seed_len, nullptr, reinterpret_cast<const uint8_t*>(p->sealed.data()), p->sealed.size(),
      reinterpret_cast<const uint8_t*>(p->aad.data()), p->aad.size(), p->header.nonce.data(), key.data());
  sodium_memzero(key.data(), key.size());
  if (rc != 0 || seed_len != seed.size()) {
    sodium_memzero(seed.data(), seed.size());
    return Status(Error::Unauthorized, "wrong passphrase, or the key file was altered");
  }
  KeyPair kp = KeyPair::from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  if (kp.public_key() != p->header.public_key)
    return Status(Error::Corruption, "the sealed key does not match the public key the file names");
  if (info) *info = KeyFileInfo{p->header.role, p->header.public_key};
  return kp;
}

}  // namespace glassbook::crypto
