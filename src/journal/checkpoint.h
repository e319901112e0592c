// Signed checkpoints: a C2SP tlog-checkpoint body with Glassbook's state-root line, in a C2SP signed note (Ed25519).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace glassbook::journal {

// ======== Signed notes: c2sp.org/signed-note (the format of golang.org/x/mod/sumdb/note) ========
//
//   <text>                    one or more lines, each ending in "\n" (the signed bytes, final newline included)
//   "\n"                      a blank line: the text ends at the LAST "\n\n" of the note
//   "— <key name> <sig>\n"    one or more: U+2014 EM DASH, a space, the key name, a space,
//                             sig = base64(key id: 4 bytes big-endian || signature bytes)
//
// The whole note is valid UTF-8 with no control character below U+0020 but "\n". Key names are
// non-empty and contain no Unicode space and no '+'. Ed25519 (signature type 0x01) signs the text;
// its key id is the first 4 bytes (big-endian) of SHA-256(key name || 0x0A || 0x01 || public key).
// Base64 is RFC 4648 section 4 (standard alphabet, padded); parsers here accept only the canonical
// encoding (what the encoder would print), so no two texts decode to the same bytes.
// A verifier key is written "<name>+<key id: 8 lowercase hex digits>+<base64(0x01 || public key)>".

inline constexpr uint8_t kNoteEd25519 = 0x01;                // signature type identifier byte
inline constexpr size_t kMaxNoteBytes = 256 * 1024;          // room for 16+ post-quantum signatures
inline constexpr size_t kMaxNoteSignatures = 100;            // as the Go implementation
inline constexpr size_t kMaxVerifierKeyBytes = 1024;

// Who may sign: a key name and its Ed25519 public key, identified by (name, key id).
struct NoteVerifier {
  std::string name;
  uint32_t key_id = 0;
  crypto::PublicKey key{};

  bool operator==(const NoteVerifier&) const = default;
};

// Non-empty, valid UTF-8, no Unicode space (as Go's unicode.IsSpace), no '+', no control character.
bool valid_key_name(std::string_view name);
// SHA-256(name || "\n" || 0x01 || key)[:4], big-endian.
uint32_t note_key_id(std::string_view name, const crypto::PublicKey& key);
// InvalidArgument for an invalid name.
Result<NoteVerifier> note_verifier(std::string_view name, const crypto::PublicKey& key);
// "<name>+<8 hex>+<base64(0x01 || key)>".
std::string encode_verifier_key(const NoteVerifier& verifier);
// Strict inverse of encode_verifier_key; InvalidArgument naming the bad part (including an id that
// does not match the name and key, and a signature type other than Ed25519).
Result<NoteVerifier> parse_verifier_key(std::string_view text);

// One signature line, not verified.
struct NoteSignature {
  std::string key_name;
  uint32_t key_id = 0;
  std::string signature;  // the raw bytes after the key id (64 for Ed25519; other types differ)
};

struct Note {
  std::string body;  // the signed text, final newline included, without the blank line
  std::vector<NoteSignature> signatures;
};

// Syntax only (nothing is verified): size within kMaxNoteBytes, characters, the blank line, every
// signature line (em dash, valid name, canonical base64 of at least 5 bytes), at most
// kMaxNoteSignatures of them, nothing after the last one. InvalidArgument naming what is wrong.
Result<Note> parse_note(std::string_view note_text);

// The note "body + \n + — key_name base64(id || Ed25519(body))\n". InvalidArgument when the body is
// empty, does not end in "\n", has characters a note may not hold, or the note would be too large,
// or when the key name is invalid.
Result<std::string> sign_note(std::string_view body, std::string_view key_name, const crypto::KeyPair& key);

struct OpenedNote {
  std::string body;
  std::vector<size_t> verified_by;  // indexes into the verifiers whose signature verified, ascending
};

// Parses the note and checks every signature line whose (name, key id) is one of the verifiers'
// (each must verify: a bad one rejects the whole note, as the spec recommends); lines from other
// keys are ignored. InvalidSignature when one fails or when none of the verifiers signed;
// InvalidArgument for a malformed note or two verifiers with the same (name, key id).
Result<OpenedNote> open_note(std::string_view note_text, std::span<const NoteVerifier> verifiers);
// The body, when the note carries a valid signature by this verifier.
Result<std::string> open_note(std::string_view note_text, const NoteVerifier& verifier);

// ======== Checkpoints: c2sp.org/tlog-checkpoint ========
//
//   <origin>\n                      non-empty, the log's identity (Glassbook: a schema-less URL)
//   <tree size>\n                   ASCII decimal, no sign, no leading zero (the empty tree is "0")
//   <root hash>\n                   base64 of the 32-byte RFC 6962 root of the first <tree size> leaves
//                                   (for size 0, the empty root SHA-256(""); other roots are refused)
//   state-root <base64>\n           Glassbook's extension line, always present and always the first one:
//                                   the engine's state root after applying the records the tree covers.
//                                   Leaf i is the record_hash of journal record seq i (seq 0 is genesis),
//                                   so this is the state after seq <tree size> - 1; for tree size 0 (no
//                                   record, not even genesis) it is whatever the exchange defines as the
//                                   state before genesis
//   <extension line>\n ...          others: opaque, non-empty, kept verbatim and in order
//
// No line is empty (so a body never holds the note's "\n\n"). The log signs with a key whose name
// SHOULD equal the origin. The state root is not auditable by a Merkle-log monitor (the spec notes
// this of every extension line): it is checked by anyone who replays the journal up to the tree size.

inline constexpr std::string_view kStateRootKeyword = "state-root";
inline constexpr size_t kMaxCheckpointBodyBytes = 16 * 1024;
inline constexpr size_t kMaxCheckpointExtensionLines = 64;  // state-root included

struct Checkpoint {
  std::string origin;
  uint64_t tree_size = 0;
  crypto::Digest root{};
  crypto::Digest state_root{};
  std::vector<std::string> extensions;  // further extension lines after state-root, without their "\n"

  bool operator==(const Checkpoint&) const = default;
};

// The tree-size rule, shared by every decimal in the journal's text formats: one or more ASCII
// digits, no sign, no leading zero unless the number is 0, at most UINT64_MAX.
std::optional<uint64_t> parse_canonical_decimal(std::string_view text);

// InvalidArgument unless checkpoint_body would produce a body parse_checkpoint_body accepts back:
// origin non-empty without control characters or invalid UTF-8; extension lines likewise, none
// starting with the state-root keyword, within the line and byte bounds.
Status validate_checkpoint(const Checkpoint& checkpoint);
// The note text. Call only on a checkpoint validate_checkpoint accepts.
std::string checkpoint_body(const Checkpoint& checkpoint);
// Strict: every rule above; InvalidArgument naming the line. checkpoint_body(parse(b)) == b.
Result<Checkpoint> parse_checkpoint_body(std::string_view body);

// validate_checkpoint, then sign_note of its body.
Result<std::string> sign_checkpoint(const Checkpoint& checkpoint, std::string_view key_name,
                                    const crypto::KeyPair& key);
// open_note with the verifier, then parse_checkpoint_body. The origin is not checked: a caller that
// knows which log it expects uses the overload below.
Result<Checkpoint> verify_checkpoint(std::string_view note_text, const NoteVerifier& verifier);
// Also InvalidArgument unless the checkpoint's origin is expected_origin.
Result<Checkpoint> verify_checkpoint(std::string_view note_text, const NoteVerifier& verifier,
                                     std::string_view expected_origin);

}  // namespace glassbook::journal
