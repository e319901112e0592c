// `glassbook proof build|verify|audit` (proof_command.h).
#include "app/proof_command.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/journal_state.h"
#include "app/keys_command.h"
#include "app/proof_publisher.h"
#include "proofs/audit.h"
#include "proofs/proof_json.h"
#include "proofs/verify.h"

namespace glassbook::app {

namespace {

Result<crypto::KeyPair> proof_key(const ProofKeyOptions& o) {
  if (o.demo) return crypto::KeyPair::from_seed(crypto::seed_from_label(kDemoProofLabel));
  if (o.key_file.empty()) return Status(Error::InvalidArgument, "a proof key is needed: --key FILE (glassbook keys new --role proof) or --demo");
  return load_role_key(o.key_file, o.passphrase, "proof");
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Error::InvalidArgument, "cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  if (s.str().size() > (64u << 20)) return Status(Error::InvalidArgument, path + " is over 64 MiB");
  return s.str();
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out.flush());
}

}  // namespace

int run_proof_build(const ProofBuildOptions& o) {
  auto key = proof_key(o.key);
  if (!key) return fmt::print(stderr, "proof build: {}\n", key.status().message()), 2;
  auto state = load_journal_state(o.dir, false, o.at_seq);
  if (!state) return fmt::print(stderr, "proof build: {}\n", state.status().to_string()), 2;
  proofs::TreeOptions options;
  options.depth = o.depth;
  options.threads = o.threads;
  auto built = proofs::build_liabilities(*state->engine, *key, options);
  if (!built) return fmt::print(stderr, "proof build: {}\n", built.status().to_string()), 2;
  if (!write_file(o.out_root, proofs::root_to_json(built->root))) return fmt::print(stderr, "proof build: cannot write {}\n", o.out_root), 2;
  fmt::print("root {} over {} accounts, depth {}, at sequence {}\n", crypto::to_hex(built->root.hash), built->table.accounts.size(),
             built->root.depth, built->root.checkpoint_seq);
  for (size_t x = 0; x < built->root.assets.size(); ++x)
    fmt::print("  {} liabilities {}\n", built->root.assets[x], proofs::u128_to_string(built->root.sums[x]));
  if (!o.accounts.empty()) {
    const std::string dir = o.proofs_dir.empty() ? "." : o.proofs_dir;
    std::filesystem::create_directories(dir);
    for (uint32_t a : o.accounts) {
      auto p = built->tree->proof(a);
      if (!p) return fmt::print(stderr, "proof build: account {} is not a customer account of this state\n", a), 1;
      const std::string path = fmt::format("{}/proof-{}.json", dir, a);
      if (!write_file(path, proofs::proof_to_json(*p))) return fmt::print(stderr, "proof build: cannot write {}\n", path), 2;
      fmt::print("proof of account {}: {}\n", a, path);
    }
  }
  return 0;
}

int run_proof_verify(const std::string& proof_file, const std::string& root_file, const std::string& exchange_key) {
  auto proof_text = read_file(proof_file);
  auto root_text = read_file(root_file);
  if (!proof_text || !root_text) return fmt::print(stderr, "proof verify: cannot read the files\n"), 2;
  std::optional<crypto::PublicKey> expected;
  if (!exchange_key.empty()) {
    expected = crypto::public_key_from_base64(exchange_key);
    if (!expected) return fmt::print(stderr, "proof verify: --exchange-key is not a base64 Ed25519 public key\n"), 2;
  }
  proofs::InclusionProof proof;
  proofs::LiabilitiesRoot root;
  proofs::ProofStatus s = proofs::root_from_json(*root_text, root);
  if (!s.ok()) return fmt::print("root refused: {}\n", s.to_string()), 1;
  s = proofs::proof_from_json(*proof_text, proof);
  if (!s.ok()) return fmt::print("proof refused: {}\n", s.to_string()), 1;
  s = proofs::verify_inclusion(proof, root, expected);
  if (!s.ok()) return fmt::print("proof refused: {}\n", s.to_string()), 1;
  fmt::print("proof verified: account {} is in root {} (sequence {}, signed by {})\n", proof.account, crypto::to_hex(root.hash),
             root.checkpoint_seq, crypto::base64_encode(root.public_key));
  for (size_t x = 0; x < root.assets.size(); ++x)
    fmt::print("  {} {} of {}\n", root.assets[x], proof.values[x], proofs::u128_to_string(root.sums[x]));
  return 0;
}

int run_proof_audit(const std::string& dir, const std::string& root_file, const ProofKeyOptions& key_options) {
  auto key = proof_key(key_options);
  if (!key) return fmt::print(stderr, "proof audit: {}\n", key.status().message()), 2;
  auto root_text = read_file(root_file);
  if (!root_text) return fmt::print(stderr, "proof audit: {}\n", root_text.status().message()), 2;
  proofs::LiabilitiesRoot root;
  proofs::ProofStatus s = proofs::root_from_json(*root_text, root);
  if (!s.ok()) return fmt::print("audit refused: {}\n", s.to_string()), 1;
  auto state = load_journal_state(dir, true, root.checkpoint_seq);
  if (!state) return fmt::print(stderr, "proof audit: {}\n", state.status().to_string()), 2;
  s = proofs::audit_root(*state->engine, *key, root);
  if (!s.ok()) return fmt::print("audit refused: {}\n", s.to_string()), 1;
  fmt::print("audit: root {} rebuilt byte for byte from the journal at sequence {}; its sums are the ledger's customer liabilities\n",
             crypto::to_hex(root.hash), root.checkpoint_seq);
  return 0;
}

int run_proof_published(const std::string& dir, std::optional<uint64_t> at_seq, const std::string& out_root) {
  auto state = load_journal_state(dir, true, at_seq);
  if (!state) return fmt::print(stderr, "proof published: {}\n", state.status().to_string()), 2;
  const engine::Engine& engine = *state->engine;
  const auto& newest = engine.published_liabilities().newest();
  if (!newest) return fmt::print(stderr, "proof published: the journal holds no published liabilities root up to sequence {}\n", engine.last_seq()), 1;
  const proofs::LiabilitiesRoot root = root_of_command(*newest, engine.config());
  if (!write_file(out_root, proofs::root_to_json(root))) return fmt::print(stderr, "proof published: cannot write {}\n", out_root), 2;
  fmt::print("published root {} of sequence {} ({} roots published up to sequence {})\n", crypto::to_hex(root.hash), root.checkpoint_seq,
             engine.published_liabilities().count(), engine.last_seq());
  return 0;
}

}  // namespace glassbook::app
