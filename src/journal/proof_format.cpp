// Proof text formats: encoders, strict line-by-line parsers, and checks against checkpoints via crypto::verify_*.
#include "journal/proof_format.h"

#include <fmt/format.h>

#include <optional>

#include "crypto/merkle.h"

namespace glassbook::journal {

namespace {

Status invalid(std::string message) { return Status(Error::InvalidArgument, std::move(message)); }

std::optional<crypto::Digest> parse_hex_digest(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  crypto::Digest d{};
  for (size_t i = 0; i < hex.size(); ++i) {
    const char c = hex[i];
    uint8_t nibble = 0;
    if (c >= '0' && c <= '9') {
      nibble = static_cast<uint8_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      nibble = static_cast<uint8_t>(c - 'a' + 10);
    } else {
      return std::nullopt;
    }
    d[i / 2] = static_cast<uint8_t>(d[i / 2] << 4 | nibble);
  }
  return d;
}

// The lines of a proof text after its tag line, read front to back; errors name the proof kind and
// the line number.
class LineReader {
 public:
  // Checks the size, the final newline, the characters (printable ASCII) and the tag line; other_kind
  // ("an inclusion", "a consistency") names the proof whose tag is other_tag.
  static Result<LineReader> open(std::string_view text, std::string_view kind, std::string_view tag,
                                 std::string_view other_kind, std::string_view other_tag) {
    if (text.size() > kMaxProofTextBytes)
      return invalid(fmt::format("{} proof: {} bytes, more than the limit of {}", kind, text.size(), kMaxProofTextBytes));
    if (text.empty() || text.back() != '\n')
      return invalid(fmt::format("{} proof: the text must end in a newline", kind));
    for (size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<uint8_t>(text[i]);
      if ((c < 0x20 && c != '\n') || c >= 0x7F)
        return invalid(fmt::format("{} proof: byte {} (0x{:02x}) is not printable ASCII", kind, i, c));
    }
    LineReader r(kind);
    for (size_t at = 0; at < text.size();) {
      const size_t nl = text.find('\n', at);
      r.lines_.push_back(text.substr(at, nl - at));
      at = nl + 1;
    }
    if (r.lines_[0] == other_tag)
      return invalid(fmt::format("{} proof: this is {} proof (line 1 is '{}')", kind, other_kind, other_tag));
    if (r.lines_[0] != tag) return invalid(fmt::format("{} proof: line 1 must be '{}'", kind, tag));
    r.next_ = 1;
    return r;
  }

  bool done() const { return next_ == lines_.size(); }

  Status error(std::string what) const { return invalid(fmt::format("{} proof: line {}: {}", kind_, next_, what)); }

  // The value of the next line, which must be "<keyword> <value>".
  Result<std::string_view> field(std::string_view keyword) {
    if (done()) return invalid(fmt::format("{} proof: the '{}' line is missing after line {}", kind_, keyword, next_));
    const std::string_view line = lines_[next_++];
    if (!line.starts_with(keyword) || line.size() < keyword.size() + 2 || line[keyword.size()] != ' ')
      return error(fmt::format("expected '{} <value>'", keyword));
    return line.substr(keyword.size() + 1);
  }
  Result<uint64_t> number(std::string_view keyword) {
    auto v = field(keyword);
    if (!v.is_ok()) return v.status();
    const auto n = parse_canonical_decimal(*v);
    if (!n)
      return error(fmt::format("{} '{}' is not a decimal number without leading zeros that fits in 64 bits", keyword, *v));
    return *n;
  }
  Result<crypto::Digest> digest(std::string_view keyword) {
    auto v = field(keyword);
    if (!v.is_ok()) return v.status();
    const auto d = parse_hex_digest(*v);
    if (!d) return error(fmt::format("{} is not 64 lowercase hex digits", keyword));
    return *d;
  }
  // "proof <hex>" lines up to the end.
  Result<std::vector<crypto::Digest>> path() {
    std::vector<crypto::Digest> out;
    while (!done()) {
      if (out.size() == kMaxProofHashes) return invalid(fmt::format("{} proof: more than {} proof lines", kind_, kMaxProofHashes));
      auto d = digest("proof");
      if (!d.is_ok()) return d.status();
      out.push_back(*d);
    }
    return out;
  }

 private:
  explicit LineReader(std::string_view kind) : kind_(kind) {}

  std::string_view kind_;
  std::vector<std::string_view> lines_;
  size_t next_ = 0;  // index of the next line; equals the 1-based number of the line last taken
};

std::string hex(const crypto::Digest& d) { return crypto::to_hex(d); }

}  // namespace

std::string encode_inclusion_proof(const InclusionProof& proof) {
  std::string out = fmt::format("{}\nindex {}\ntree-size {}\nleaf-hash {}\n", kInclusionProofTag, proof.index,
                                proof.tree_size, hex(proof.leaf_hash));
  for (const auto& h : proof.path) out += fmt::format("proof {}\n", hex(h));
  return out;
}

std::string encode_consistency_proof(const ConsistencyProof& proof) {
  std::string out =
      fmt::format("{}\nold-size {}\nnew-size {}\n", kConsistencyProofTag, proof.old_size, proof.new_size);
  for (const auto& h : proof.path) out += fmt::format("proof {}\n", hex(h));
  return out;
}

Result<InclusionProof> parse_inclusion_proof(std::string_view text) {
  auto reader = LineReader::open(text, "inclusion", kInclusionProofTag, "a consistency", kConsistencyProofTag);
  if (!reader.is_ok()) return reader.status();
  LineReader& r = reader.value();
  InclusionProof p;
  auto index = r.number("index");
  if (!index.is_ok()) return index.status();
  auto size = r.number("tree-size");
  if (!size.is_ok()) return size.status();
  if (*index >= *size) return r.error(fmt::format("index {} is not below tree-size {}", *index, *size));
  auto leaf = r.digest("leaf-hash");
  if (!leaf.is_ok()) return leaf.status();
  auto path = r.path();
  if (!path.is_ok()) return path.status();
  return InclusionProof{*index, *size, *leaf, std::move(path.value())};
}

Result<ConsistencyProof> parse_consistency_proof(std::string_view text) {
  auto reader = LineReader::open(text, "consistency", kConsistencyProofTag, "an inclusion", kInclusionProofTag);
  if (!reader.is_ok()) return reader.status();
  LineReader& r = reader.value();
  auto old_size = r.number("old-size");
  if (!old_size.is_ok()) return old_size.status();
  auto new_size = r.number("new-size");
  if (!new_size.is_ok()) return new_size.status();
  if (*old_size > *new_size) return r.error(fmt::format("old-size {} is above new-size {}", *old_size, *new_size));
  auto path = r.path();
  if (!path.is_ok()) return path.status();
  return ConsistencyProof{*old_size, *new_size, std::move(path.value())};
}

Status check_inclusion(const InclusionProof& proof, const Checkpoint& checkpoint) {
  if (proof.tree_size != checkpoint.tree_size)
    return invalid(fmt::format("inclusion proof is for tree size {} but the checkpoint is for tree size {}",
                               proof.tree_size, checkpoint.tree_size));
  if (!crypto::verify_inclusion(proof.leaf_hash, proof.index, proof.tree_size, proof.path, checkpoint.root))
    return invalid(fmt::format("inclusion proof does not lead to the checkpoint's root (leaf {} of {}, {} proof hashes)",
                               proof.index, proof.tree_size, proof.path.size()));
  return Status::ok();
}

Status check_inclusion(const InclusionProof& proof, const Checkpoint& checkpoint, const crypto::Digest& expected_leaf_hash) {
  if (proof.leaf_hash != expected_leaf_hash)
    return invalid(fmt::format("inclusion proof is for leaf hash {}, not the expected {}", hex(proof.leaf_hash),
                               hex(expected_leaf_hash)));
  return check_inclusion(proof, checkpoint);
}

Status check_consistency(const ConsistencyProof& proof, const Checkpoint& old_checkpoint,
                         const Checkpoint& new_checkpoint) {
  if (old_checkpoint.origin != new_checkpoint.origin)
    return invalid(fmt::format("consistency proof: the checkpoints are of different logs ('{}' and '{}')",
                               old_checkpoint.origin, new_checkpoint.origin));
  if (proof.old_size != old_checkpoint.tree_size || proof.new_size != new_checkpoint.tree_size)
    return invalid(fmt::format("consistency proof is from tree size {} to {} but the checkpoints are for sizes {} and {}",
                               proof.old_size, proof.new_size, old_checkpoint.tree_size, new_checkpoint.tree_size));
  if (!crypto::verify_consistency(proof.old_size, proof.new_size, old_checkpoint.root, new_checkpoint.root, proof.path))
    return invalid(fmt::format(
        "consistency proof does not show the old checkpoint's tree (size {}) to be a prefix of the new one's (size {})",
        proof.old_size, proof.new_size));
  return Status::ok();
}

Status verify_inclusion_text(std::string_view proof_text, const Checkpoint& checkpoint) {
  auto proof = parse_inclusion_proof(proof_text);
  if (!proof.is_ok()) return proof.status();
  return check_inclusion(*proof, checkpoint);
}

Status verify_inclusion_text(std::string_view proof_text, const Checkpoint& checkpoint,
                             const crypto::Digest& expected_leaf_hash) {
  auto proof = parse_inclusion_proof(proof_text);
  if (!proof.is_ok()) return proof.status();
  return check_inclusion(*proof, checkpoint, expected_leaf_hash);
}

Status verify_consistency_text(std::string_view proof_text, const Checkpoint& old_checkpoint,
                               const Checkpoint& new_checkpoint) {
  auto proof = parse_consistency_proof(proof_text);
  if (!proof.is_ok()) return proof.status();
  return check_consistency(*proof, old_checkpoint, new_checkpoint);
}

}  // namespace glassbook::journal
