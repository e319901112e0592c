// Witness cosignatures (tlog-cosignature/v1): key ids, the signed message, signing and verification.
#include "journal/cosignature.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "crypto/sha256.h"
#include "journal/checkpoint.h"

namespace glassbook::journal {

namespace {

constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, space

Status invalid(std::string message) { return Status(Error::InvalidArgument, std::move(message)); }

std::span<const uint8_t> bytes_of(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

std::optional<std::string> decode_base64_canonical(std::string_view text) {
  auto bytes = crypto::base64_decode(text);
  if (!bytes || crypto::base64_encode(bytes_of(*bytes)) != text) return std::nullopt;
  return bytes;
}

uint64_t be64(std::string_view b) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = v << 8 | static_cast<uint8_t>(b[i]);
  return v;
}

void put_be(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
}

std::string key_label(std::string_view name, uint32_t id) { return fmt::format("{}+{:08x}", name, id); }

}  // namespace

uint32_t cosigner_key_id(std::string_view name, const crypto::PublicKey& key) {
  crypto::Sha256 h;
  h.update(name);
  h.update_u8('\n');
  h.update_u8(kCosignatureEd25519);
  h.update(key.data(), key.size());
  const crypto::Digest d = h.finish();
  return uint32_t{d[0]} << 24 | uint32_t{d[1]} << 16 | uint32_t{d[2]} << 8 | uint32_t{d[3]};
}

Result<CosignerKey> cosigner_key(std::string_view name, const crypto::PublicKey& key) {
  if (!valid_key_name(name))
    return invalid(fmt::format("witness key: invalid name '{}' (it must be non-empty UTF-8 without spaces or '+')", name));
  return CosignerKey{std::string(name), cosigner_key_id(name, key), key};
}

std::string encode_cosigner_key(const CosignerKey& key) {
  std::array<uint8_t, 33> typed{};
  typed[0] = kCosignatureEd25519;
  std::copy(key.key.begin(), key.key.end(), typed.begin() + 1);
  return fmt::format("{}+{:08x}+{}", key.name, key.key_id, crypto::base64_encode(typed));
}

Result<CosignerKey> parse_cosigner_key(std::string_view text) {
  if (text.size() > kMaxVerifierKeyBytes)
    return invalid(fmt::format("witness key: {} bytes, more than the limit of {}", text.size(), kMaxVerifierKeyBytes));
  const size_t plus1 = text.find('+');
  const size_t plus2 = plus1 == std::string_view::npos ? plus1 : text.find('+', plus1 + 1);
  if (plus2 == std::string_view::npos) return invalid("witness key: expected <name>+<key id>+<key>, with two '+' separators");
  const std::string_view name = text.substr(0, plus1);
  const std::string_view hex = text.substr(plus1 + 1, plus2 - plus1 - 1);
  const std::string_view key64 = text.substr(plus2 + 1);
  if (!valid_key_name(name)) return invalid(fmt::format("witness key: invalid name '{}'", name));
  uint32_t id = 0;
  const bool hex_ok = hex.size() == 8 && std::all_of(hex.begin(), hex.end(), [](char c) {
                        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                      });
  if (!hex_ok) return invalid(fmt::format("witness key: key id '{}' is not 8 lowercase hex digits", hex));
  std::from_chars(hex.data(), hex.data() + hex.size(), id, 16);
  const auto typed = decode_base64_canonical(key64);
  if (!typed || typed->empty()) return invalid("witness key: the key is not canonical base64");
  if (static_cast<uint8_t>((*typed)[0]) != kCosignatureEd25519)
    return invalid(fmt::format("witness key: signature type 0x{:02x} is not a cosigner's Ed25519 type 0x04{}",
                               static_cast<uint8_t>((*typed)[0]),
                               static_cast<uint8_t>((*typed)[0]) == kNoteEd25519 ? " (this is a log's key)" : ""));
  if (typed->size() != 33) return invalid(fmt::format("witness key: an Ed25519 key is 32 bytes, this one {}", typed->size() - 1));
  CosignerKey k;
  k.name = std::string(name);
  std::copy(typed->begin() + 1, typed->end(), k.key.begin());
  k.key_id = cosigner_key_id(name, k.key);
  if (k.key_id != id)
    return invalid(fmt::format("witness key: key id {} does not match the name and key (their id is {:08x})", hex, k.key_id));
  return k;
}

std::string cosigned_message(std::string_view checkpoint_body, uint64_t timestamp) {
  return fmt::format("{}\ntime {}\n{}", kCosignatureHeader, timestamp, checkpoint_body);
}

Result<std::string> cosign_checkpoint(std::string_view checkpoint_body, uint64_t timestamp, std::string_view name,
                                      const crypto::KeyPair& key) {
  if (!valid_key_name(name))
    return invalid(fmt::format("cosignature: invalid witness name '{}' (it must be non-empty UTF-8 without spaces or '+')", name));
  if (timestamp > kMaxCosignatureTimestamp) return invalid(fmt::format("cosignature: timestamp {} is above 2^63 - 1", timestamp));
  if (checkpoint_body.empty() || checkpoint_body.back() != '\n')
    return invalid("cosignature: the checkpoint body must be non-empty and end in a newline");
  const crypto::Signature sig = key.sign(cosigned_message(checkpoint_body, timestamp));
  std::string raw;
  put_be(raw, cosigner_key_id(name, key.public_key()), 4);
  put_be(raw, timestamp, 8);
  raw.append(reinterpret_cast<const char*>(sig.data()), sig.size());
  return fmt::format("{}{} {}\n", kSigPrefix, name, crypto::base64_encode(bytes_of(raw)));
}

Result<std::vector<VerifiedCosignature>> verify_cosignatures(std::string_view note_text,
                                                             std::span<const CosignerKey> witnesses) {
  for (size_t i = 0; i < witnesses.size(); ++i)
    for (size_t j = i + 1; j < witnesses.size(); ++j)
      if (witnesses[i].name == witnesses[j].name && witnesses[i].key_id == witnesses[j].key_id)
        return invalid(fmt::format("cosignature: two witnesses share the key {}", key_label(witnesses[i].name, witnesses[i].key_id)));
  auto note = parse_note(note_text);
  if (!note) return note.status();
  std::vector<std::optional<uint64_t>> seen(witnesses.size());
  for (size_t s = 0; s < note->signatures.size(); ++s) {
    const NoteSignature& line = note->signatures[s];
    for (size_t w = 0; w < witnesses.size(); ++w) {
      if (witnesses[w].name != line.key_name || witnesses[w].key_id != line.key_id) continue;
      const std::string who = key_label(line.key_name, line.key_id);
      if (line.signature.size() != kCosignatureBytes - 4)
        return Status(Error::InvalidSignature, fmt::format("cosignature by {} (line {}): {} bytes, not a timestamp and an "
                                                           "Ed25519 signature ({})",
                                                           who, s + 1, line.signature.size(), kCosignatureBytes - 4));
      const uint64_t timestamp = be64(line.signature);
      if (timestamp > kMaxCosignatureTimestamp)
        return Status(Error::InvalidSignature, fmt::format("cosignature by {} (line {}): timestamp {} is above 2^63 - 1", who, s + 1, timestamp));
      crypto::Signature sig{};
      std::copy(line.signature.begin() + 8, line.signature.end(), sig.begin());
      if (!crypto::verify(witnesses[w].key, cosigned_message(note->body, timestamp), sig))
        return Status(Error::InvalidSignature, fmt::format("cosignature by {} (line {}) does not verify: the checkpoint or "
                                                           "its time was altered, or another key signed it",
                                                           who, s + 1));
      if (!seen[w] || timestamp > *seen[w]) seen[w] = timestamp;
    }
  }
  std::vector<VerifiedCosignature> out;
  for (size_t w = 0; w < witnesses.size(); ++w)
    if (seen[w]) out.push_back({w, *seen[w]});
  return out;
}

Result<std::string> add_signature_lines(std::string_view note_text, std::string_view lines) {
  if (!lines.empty() && lines.back() != '\n') return invalid("signature lines: the last one does not end in a newline");
  std::string out(note_text);
  size_t at = 0;
  while (at < lines.size()) {
    const size_t nl = lines.find('\n', at);
    const std::string_view line = lines.substr(at, nl + 1 - at);
    at = nl + 1;
    if (!line.starts_with(kSigPrefix)) return invalid("signature lines: a line does not start with an em dash and a space");
    // Each signature line of a note follows a newline, so this finds whole lines only.
    if (out.find(fmt::format("\n{}", line)) == std::string::npos) out += line;
  }
  if (auto parsed = parse_note(out); !parsed) return parsed.status();
  return out;
}

}  // namespace glassbook::journal
