// Witness cosignatures: C2SP tlog-cosignature/v1 (Ed25519, timestamped) over signed checkpoint notes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/ed25519.h"

namespace glassbook::journal {

// A cosignature is one signed-note signature line on a checkpoint (c2sp.org/tlog-cosignature):
//
//   "— <witness name> base64(key id: 4 bytes || timestamp: 8 bytes big-endian || Ed25519 signature)\n"
//
// key id    = SHA-256(name || "\n" || 0x04 || public key)[:4], big-endian: the type byte 0x04 (not
//             the log's 0x01) keeps a witness's lines and the log's apart even under one name;
// timestamp = POSIX seconds when the witness cosigned, at most 2^63 - 1;
// signed    = "cosignature/v1\n" "time <timestamp>\n" followed by the checkpoint's whole note body
//             (its final newline included, its signature lines not).
// A cosignature says: as of that time, this is the largest tree of the log (the origin line) the
// witness has seen, and every earlier one it cosigned is a prefix of it. The witness key is written
// as a verifier key of type 0x04: "<name>+<8 hex digits of the key id>+<base64(0x04 || key)>".

inline constexpr uint8_t kCosignatureEd25519 = 0x04;
inline constexpr std::string_view kCosignatureHeader = "cosignature/v1";
inline constexpr uint64_t kMaxCosignatureTimestamp = (uint64_t{1} << 63) - 1;
inline constexpr size_t kCosignatureBytes = 4 + 8 + 64;  // key id, timestamp, signature

// A witness: its name and Ed25519 public key, identified in notes by (name, key id).
struct CosignerKey {
  std::string name;
  uint32_t key_id = 0;
  crypto::PublicKey key{};

  bool operator==(const CosignerKey&) const = default;
};

// SHA-256(name || "\n" || 0x04 || key)[:4], big-endian.
uint32_t cosigner_key_id(std::string_view name, const crypto::PublicKey& key);
// InvalidArgument for an invalid key name (the signed-note rules: valid_key_name).
Result<CosignerKey> cosigner_key(std::string_view name, const crypto::PublicKey& key);
// "<name>+<8 hex>+<base64(0x04 || key)>".
std::string encode_cosigner_key(const CosignerKey& key);
// Strict inverse of encode_cosigner_key: InvalidArgument naming the bad part (a key of another
// type, such as a log's 0x01 key, included).
Result<CosignerKey> parse_cosigner_key(std::string_view text);

// "cosignature/v1\ntime <timestamp>\n" + checkpoint_body: the bytes the witness signs.
std::string cosigned_message(std::string_view checkpoint_body, uint64_t timestamp);

// The witness's signature line over a checkpoint's note body. InvalidArgument for an invalid name,
// a timestamp above kMaxCosignatureTimestamp, or a body that is empty or does not end in "\n".
Result<std::string> cosign_checkpoint(std::string_view checkpoint_body, uint64_t timestamp, std::string_view name,
                                      const crypto::KeyPair& key);

struct VerifiedCosignature {
  size_t witness = 0;      // index into the witnesses given
  uint64_t timestamp = 0;  // when it cosigned
};

// Checks every signature line of the note whose (name, key id) is one of the witnesses' (each must
// verify: one that does not rejects the note, as for the log's signature); lines of other keys (the
// log's among them) are ignored. At most one cosignature counts per witness. Returns the witnesses
// that cosigned, in ascending order, possibly none. InvalidSignature for a line that does not verify
// or a timestamp above kMaxCosignatureTimestamp; InvalidArgument for a malformed note or two
// witnesses with the same (name, key id).
Result<std::vector<VerifiedCosignature>> verify_cosignatures(std::string_view note_text,
                                                             std::span<const CosignerKey> witnesses);

// The note with the signature lines appended (a tlog-witness response body is such lines). Lines
// that are already in the note are not added twice. InvalidArgument when `lines` are not signature
// lines or the result is not a valid note (too large, too many signatures).
Result<std::string> add_signature_lines(std::string_view note_text, std::string_view lines);

}  // namespace glassbook::journal
