// Signed notes and checkpoints: strict parsers, Ed25519 signing and verification, verifier key strings.
#include "journal/checkpoint.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "crypto/merkle.h"

namespace glassbook::journal {

namespace {

constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, space

Status invalid(std::string message) { return Status(Error::InvalidArgument, std::move(message)); }

std::span<const uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Decodes the code point at s[i] and advances i; false on invalid UTF-8 (a stray continuation byte,
// a truncated sequence, an overlong form, a surrogate, or above U+10FFFF).
bool next_code_point(std::string_view s, size_t& i, char32_t& cp) {
  const auto b0 = static_cast<uint8_t>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    ++i;
    return true;
  }
  size_t len = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return false;
  }
  if (s.size() - i < len) return false;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<uint8_t>(s[i + k]);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += len;
  return true;
}

// Go's unicode.IsSpace.
bool is_unicode_space(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

// Offset of the first byte a note may not hold (invalid UTF-8, or a control character other than
// "\n"), or npos.
size_t first_bad_note_byte(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const size_t at = i;
    char32_t cp = 0;
    if (!next_code_point(s, i, cp) || (cp < 0x20 && cp != '\n')) return at;
  }
  return std::string_view::npos;
}

std::string describe_byte_at(std::string_view s, size_t at) {
  return fmt::format("byte {} (0x{:02x})", at, static_cast<uint8_t>(s[at]));
}

// The bytes, when text is the canonical standard padded base64 of them.
std::optional<std::string> decode_base64_canonical(std::string_view text) {
  auto bytes = crypto::base64_decode(text);
  if (!bytes || crypto::base64_encode(bytes_of(*bytes)) != text) return std::nullopt;
  return bytes;
}

std::optional<crypto::Digest> decode_digest_base64(std::string_view text) {
  auto bytes = decode_base64_canonical(text);
  if (!bytes || bytes->size() != 32) return std::nullopt;
  crypto::Digest d{};
  std::copy(bytes->begin(), bytes->end(), d.begin());
  return d;
}

std::string digest_base64(const crypto::Digest& d) { return crypto::base64_encode(d); }

uint32_t be32(std::string_view b) {
  return uint32_t{static_cast<uint8_t>(b[0])} << 24 | uint32_t{static_cast<uint8_t>(b[1])} << 16 |
         uint32_t{static_cast<uint8_t>(b[2])} << 8 | uint32_t{static_cast<uint8_t>(b[3])};
}

std::string key_label(std::string_view name, uint32_t id) { return fmt::format("{}+{:08x}", name, id); }

// Lines of a text that ends in "\n" (each without it).
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t at = 0;
  while (at < text.size()) {
    const size_t nl = text.find('\n', at);
    lines.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return lines;
}

bool starts_with_state_root_keyword(std::string_view line) {
  return line.starts_with(kStateRootKeyword) &&
         (line.size() == kStateRootKeyword.size() || line[kStateRootKeyword.size()] == ' ');
}

// A line of a checkpoint body: non-empty, valid UTF-8, no control characters (no newline either).
Status check_body_line(std::string_view line, std::string_view what) {
  if (line.empty()) return invalid(fmt::format("checkpoint: {} is empty", what));
  const size_t bad = first_bad_note_byte(line);
  if (bad != std::string_view::npos || line.find('\n') != std::string_view::npos)
    return invalid(fmt::format("checkpoint: {} holds a control character or invalid UTF-8 at {}", what,
                               bad != std::string_view::npos ? describe_byte_at(line, bad)
                                                             : fmt::format("byte {}", line.find('\n'))));
  return Status::ok();
}

}  // namespace

// ---- Keys ----

bool valid_key_name(std::string_view name) {
  if (name.empty()) return false;
  size_t i = 0;
  while (i < name.size()) {
    char32_t cp = 0;
    if (!next_code_point(name, i, cp) || cp < 0x20 || cp == '+' || is_unicode_space(cp)) return false;
  }
  return true;
}

uint32_t note_key_id(std::string_view name, const crypto::PublicKey& key) {
  crypto::Sha256 h;
  h.update(name);
  h.update_u8('\n');
  h.update_u8(kNoteEd25519);
  h.update(key.data(), key.size());
  const crypto::Digest d = h.finish();
  return be32(std::string_view(reinterpret_cast<const char*>(d.data()), 4));
}

Result<NoteVerifier> note_verifier(std::string_view name, const crypto::PublicKey& key) {
  if (!valid_key_name(name))
    return invalid(fmt::format("note: invalid key name '{}' (it must be non-empty UTF-8 without spaces or '+')", name));
  return NoteVerifier{std::string(name), note_key_id(name, key), key};
}

std::string encode_verifier_key(const NoteVerifier& verifier) {
  std::array<uint8_t, 33> typed{};
  typed[0] = kNoteEd25519;
  std::copy(verifier.key.begin(), verifier.key.end(), typed.begin() + 1);
  return fmt::format("{}+{:08x}+{}", verifier.name, verifier.key_id, crypto::base64_encode(typed));
}

Result<NoteVerifier> parse_verifier_key(std::string_view text) {
  if (text.size() > kMaxVerifierKeyBytes)
    return invalid(fmt::format("verifier key: {} bytes, more than the limit of {}", text.size(), kMaxVerifierKeyBytes));
  const size_t plus1 = text.find('+');
  const size_t plus2 = plus1 == std::string_view::npos ? plus1 : text.find('+', plus1 + 1);
  if (plus2 == std::string_view::npos)
    return invalid("verifier key: expected <name>+<key id>+<key>, with two '+' separators");
  const std::string_view name = text.substr(0, plus1);
  const std::string_view hex = text.substr(plus1 + 1, plus2 - plus1 - 1);
  const std::string_view key64 = text.substr(plus2 + 1);
  if (!valid_key_name(name)) return invalid(fmt::format("verifier key: invalid key name '{}'", name));
  if (hex.size() != 8 || !std::all_of(hex.begin(), hex.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      }))
    return invalid(fmt::format("verifier key: key id '{}' is not 8 lowercase hex digits", hex));
  uint32_t id = 0;
  std::from_chars(hex.data(), hex.data() + hex.size(), id, 16);
  const auto typed = decode_base64_canonical(key64);
  if (!typed || typed->empty()) return invalid("verifier key: the key is not canonical base64");
  if (static_cast<uint8_t>((*typed)[0]) != kNoteEd25519)
    return invalid(fmt::format("verifier key: unsupported signature type 0x{:02x} (only Ed25519, 0x01)",
                               static_cast<uint8_t>((*typed)[0])));
  if (typed->size() != 33)
    return invalid(fmt::format("verifier key: an Ed25519 key is 32 bytes, this one {}", typed->size() - 1));
  NoteVerifier v;
  v.name = std::string(name);
  std::copy(typed->begin() + 1, typed->end(), v.key.begin());
  v.key_id = note_key_id(name, v.key);
  if (v.key_id != id)
    return invalid(fmt::format("verifier key: key id {} does not match the name and key (their id is {:08x})", hex, v.key_id));
  return v;
}

// ---- Notes ----

Result<Note> parse_note(std::string_view note_text) {
  if (note_text.size() > kMaxNoteBytes)
    return invalid(fmt::format("note: {} bytes, more than the limit of {}", note_text.size(), kMaxNoteBytes));
  if (const size_t bad = first_bad_note_byte(note_text); bad != std::string_view::npos)
    return invalid(fmt::format("note: invalid UTF-8 or a control character other than newline at {}",
                               describe_byte_at(note_text, bad)));
  const size_t split = note_text.rfind("\n\n");
  if (split == std::string_view::npos)
    return invalid("note: no blank line separates the text from the signatures");
  Note note;
  note.body = std::string(note_text.substr(0, split + 1));
  std::string_view sigs = note_text.substr(split + 2);
  if (sigs.empty()) return invalid("note: no signature lines after the blank line");
  if (sigs.back() != '\n') return invalid("note: the last signature line does not end in a newline");
  size_t line_no = 0;
  while (!sigs.empty()) {
    ++line_no;
    const size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (note.signatures.size() == kMaxNoteSignatures)
      return invalid(fmt::format("note: more than {} signature lines", kMaxNoteSignatures));
    if (!line.starts_with(kSigPrefix))
      return invalid(fmt::format("note: signature line {} does not start with an em dash and a space", line_no));
    line.remove_prefix(kSigPrefix.size());
    const size_t space = line.find(' ');
    if (space == std::string_view::npos)
      return invalid(fmt::format("note: signature line {} has no space between key name and signature", line_no));
    const std::string_view name = line.substr(0, space);
    const std::string_view b64 = line.substr(space + 1);
    if (!valid_key_name(name))
      return invalid(fmt::format("note: signature line {} has an invalid key name (empty, or with a space or '+')", line_no));
    auto raw = decode_base64_canonical(b64);
    if (!raw) return invalid(fmt::format("note: signature line {} is not canonical base64", line_no));
    if (raw->size() < 5)
      return invalid(fmt::format("note: signature line {} holds {} bytes, fewer than a key id and a signature",
                                 line_no, raw->size()));
    note.signatures.push_back(NoteSignature{std::string(name), be32(*raw), raw->substr(4)});
  }
  return note;
}

Result<std::string> sign_note(std::string_view body, std::string_view key_name, const crypto::KeyPair& key) {
  if (!valid_key_name(key_name))
    return invalid(fmt::format("note: invalid key name '{}' (it must be non-empty UTF-8 without spaces or '+')", key_name));
  if (body.empty() || body.back() != '\n') return invalid("note: the text must be non-empty and end in a newline");
  if (body.size() > kMaxNoteBytes)
    return invalid(fmt::format("note: text of {} bytes, more than the limit of {}", body.size(), kMaxNoteBytes));
  if (const size_t bad = first_bad_note_byte(body); bad != std::string_view::npos)
    return invalid(fmt::format("note: the text has invalid UTF-8 or a control character other than newline at {}",
                               describe_byte_at(body, bad)));
  const crypto::Signature sig = key.sign(body);
  const uint32_t id = note_key_id(key_name, key.public_key());
  std::string raw = {static_cast<char>(id >> 24), static_cast<char>(id >> 16), static_cast<char>(id >> 8),
                     static_cast<char>(id)};
  raw.append(reinterpret_cast<const char*>(sig.data()), sig.size());
  std::string note = fmt::format("{}\n{}{} {}\n", body, kSigPrefix, key_name, crypto::base64_encode(bytes_of(raw)));
  if (note.size() > kMaxNoteBytes)
    return invalid(fmt::format("note: {} bytes signed, more than the limit of {}", note.size(), kMaxNoteBytes));
  return note;
}

Result<OpenedNote> open_note(std::string_view note_text, std::span<const NoteVerifier> verifiers) {
  for (size_t i = 0; i < verifiers.size(); ++i)
    for (size_t j = i + 1; j < verifiers.size(); ++j)
      if (verifiers[i].name == verifiers[j].name && verifiers[i].key_id == verifiers[j].key_id)
        return invalid(fmt::format("note: two verifiers share the key {}", key_label(verifiers[i].name, verifiers[i].key_id)));
  auto parsed = parse_note(note_text);
  if (!parsed.is_ok()) return parsed.status();
  const Note& note = *parsed;
  std::vector<bool> verified(verifiers.size(), false);
  for (size_t s = 0; s < note.signatures.size(); ++s) {
    const NoteSignature& sig = note.signatures[s];
    for (size_t v = 0; v < verifiers.size(); ++v) {
      if (verifiers[v].name != sig.key_name || verifiers[v].key_id != sig.key_id) continue;
      crypto::Signature ed{};
      bool ok = sig.signature.size() == ed.size();
      if (ok) {
        std::copy(sig.signature.begin(), sig.signature.end(), ed.begin());
        ok = crypto::verify(verifiers[v].key, note.body, ed);
      }
      if (!ok)
        return Status(Error::InvalidSignature,
                      fmt::format("note: the signature by {} (line {}) does not verify: the text was altered "
                                  "or another key signed it",
                                  key_label(sig.key_name, sig.key_id), s + 1));
      verified[v] = true;
    }
  }
  OpenedNote out;
  for (size_t v = 0; v < verifiers.size(); ++v)
    if (verified[v]) out.verified_by.push_back(v);
  if (out.verified_by.empty()) {
    std::string wanted;
    for (const auto& v : verifiers) wanted += (wanted.empty() ? "" : ", ") + key_label(v.name, v.key_id);
    std::string found;
    for (const auto& sig : note.signatures) found += (found.empty() ? "" : ", ") + key_label(sig.key_name, sig.key_id);
    return Status(Error::InvalidSignature,
                  fmt::format("note: no signature by {} (it is signed by {})", wanted.empty() ? "any given key" : wanted, found));
  }
  out.body = note.body;
  return out;
}

Result<std::string> open_note(std::string_view note_text, const NoteVerifier& verifier) {
  auto opened = open_note(note_text, std::span<const NoteVerifier>(&verifier, 1));
  if (!opened.is_ok()) return opened.status();
  return std::move(opened.value().body);
}

// ---- Checkpoints ----

std::optional<uint64_t> parse_canonical_decimal(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

Status validate_checkpoint(const Checkpoint& checkpoint) {
  if (Status s = check_body_line(checkpoint.origin, "the origin"); !s.is_ok()) return s;
  if (checkpoint.extensions.size() + 1 > kMaxCheckpointExtensionLines)
    return invalid(fmt::format("checkpoint: {} extension lines, more than the limit of {}",
                               checkpoint.extensions.size() + 1, kMaxCheckpointExtensionLines));
  for (size_t i = 0; i < checkpoint.extensions.size(); ++i) {
    const std::string what = fmt::format("extension line {}", i + 1);
    if (Status s = check_body_line(checkpoint.extensions[i], what); !s.is_ok()) return s;
    if (starts_with_state_root_keyword(checkpoint.extensions[i]))
      return invalid(fmt::format("checkpoint: {} repeats the {} keyword", what, kStateRootKeyword));
  }
  if (checkpoint.tree_size == 0 && checkpoint.root != crypto::empty_root())
    return invalid("checkpoint: a tree of size 0 has the empty root, SHA-256 of nothing");
  const size_t bytes = checkpoint_body(checkpoint).size();
  if (bytes > kMaxCheckpointBodyBytes)
    return invalid(fmt::format("checkpoint: body of {} bytes, more than the limit of {}", bytes, kMaxCheckpointBodyBytes));
  return Status::ok();
}

std::string checkpoint_body(const Checkpoint& checkpoint) {
  std::string body = fmt::format("{}\n{}\n{}\n{} {}\n", checkpoint.origin, checkpoint.tree_size,
                                 digest_base64(checkpoint.root), kStateRootKeyword, digest_base64(checkpoint.state_root));
  for (const auto& line : checkpoint.extensions) {
    body += line;
    body += '\n';
  }
  return body;
}

Result<Checkpoint> parse_checkpoint_body(std::string_view body) {
  if (body.size() > kMaxCheckpointBodyBytes)
    return invalid(fmt::format("checkpoint: body of {} bytes, more than the limit of {}", body.size(), kMaxCheckpointBodyBytes));
  if (body.empty() || body.back() != '\n') return invalid("checkpoint: the body must end in a newline");
  const auto lines = split_lines(body);
  if (lines.size() < 4)
    return invalid(fmt::format("checkpoint: {} lines; origin, tree size, root hash and state-root are required",
                               lines.size()));
  if (lines.size() - 3 > kMaxCheckpointExtensionLines)
    return invalid(fmt::format("checkpoint: {} extension lines, more than the limit of {}", lines.size() - 3,
                               kMaxCheckpointExtensionLines));
  for (size_t i = 0; i < lines.size(); ++i)
    if (Status s = check_body_line(lines[i], fmt::format("line {}", i + 1)); !s.is_ok()) return s;
  Checkpoint cp;
  cp.origin = std::string(lines[0]);
  const auto size = parse_canonical_decimal(lines[1]);
  if (!size)
    return invalid(fmt::format("checkpoint: line 2, the tree size '{}', is not a decimal number without leading "
                               "zeros that fits in 64 bits", lines[1]));
  cp.tree_size = *size;
  const auto root = decode_digest_base64(lines[2]);
  if (!root) return invalid("checkpoint: line 3, the root hash, is not the canonical base64 of 32 bytes");
  cp.root = *root;
  if (cp.tree_size == 0 && cp.root != crypto::empty_root())
    return invalid("checkpoint: line 3, the root hash of a tree of size 0, is not the empty root (SHA-256 of nothing)");
  const std::string_view state = lines[3];
  if (!starts_with_state_root_keyword(state))
    return invalid(fmt::format("checkpoint: line 4 must be the '{} <base64>' extension line", kStateRootKeyword));
  const auto state_root = state.size() > kStateRootKeyword.size()
                              ? decode_digest_base64(state.substr(kStateRootKeyword.size() + 1))
                              : std::nullopt;
  if (!state_root)
    return invalid(fmt::format("checkpoint: line 4, the {}, is not the canonical base64 of 32 bytes", kStateRootKeyword));
  cp.state_root = *state_root;
  for (size_t i = 4; i < lines.size(); ++i) {
    if (starts_with_state_root_keyword(lines[i]))
      return invalid(fmt::format("checkpoint: line {} repeats the {} line", i + 1, kStateRootKeyword));
    cp.extensions.emplace_back(lines[i]);
  }
  return cp;
}

Result<std::string> sign_checkpoint(const Checkpoint& checkpoint, std::string_view key_name,
                                    const crypto::KeyPair& key) {
  if (Status s = validate_checkpoint(checkpoint); !s.is_ok()) return s;
  return sign_note(checkpoint_body(checkpoint), key_name, key);
}

Result<Checkpoint> verify_checkpoint(std::string_view note_text, const NoteVerifier& verifier) {
  auto body = open_note(note_text, verifier);
  if (!body.is_ok()) return body.status();
  return parse_checkpoint_body(*body);
}

Result<Checkpoint> verify_checkpoint(std::string_view note_text, const NoteVerifier& verifier,
                                     std::string_view expected_origin) {
  auto cp = verify_checkpoint(note_text, verifier);
  if (cp.is_ok() && cp->origin != expected_origin)
    return invalid(fmt::format("checkpoint: origin '{}' is not the expected log '{}'", cp->origin, expected_origin));
  return cp;
}

}  // namespace glassbook::journal
