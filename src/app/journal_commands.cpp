// `glassbook replay | checkpoint | proof | verify`: the audit and the proofs, on the command line.
#include "app/journal_commands.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "crypto/merkle.h"
#include "journal/audit.h"
#include "journal/checkpoint.h"
#include "journal/checkpoint_log.h"
#include "journal/genesis.h"
#include "journal/proof_format.h"
#include "journal/reader.h"

namespace glassbook::app {

namespace {

int fail(const std::string& what) {
  fmt::print(stderr, "glassbook: {}\n", what);
  return 1;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The journal's Merkle log (every record's hash) and its genesis configuration.
struct LogOf {
  crypto::MerkleLog log;
  engine::ExchangeConfig genesis;
};

Result<LogOf> log_of(const std::string& dir) {
  LogOf out;
  journal::ScanOptions scan;
  scan.repair = false;
  auto scanned = journal::scan_journal(dir, scan, [&](const journal::RecordView& v) -> Status {
    out.log.append_leaf_hash(v.hash);
    if (v.seq == 0) {
      auto config = journal::open_genesis(v.to_record());
      if (!config) return config.status();
      out.genesis = std::move(config).value();
    }
    return {};
  });
  if (!scanned) return scanned.status();
  if (out.log.size() == 0) return Status(Error::InvalidArgument, dir + " holds no journal");
  return out;
}

// The newest checkpoint, or the one of `tree_size` records.
Result<journal::StoredCheckpoint> newest_checkpoint(const std::string& dir, std::optional<uint64_t> tree_size = std::nullopt) {
  auto stored = journal::read_checkpoints(dir);
  if (!stored) return stored.status();
  if (stored->entries.empty()) return Status(Error::InvalidArgument, dir + " holds no checkpoint");
  if (!tree_size) return stored->entries.back();
  for (const auto& e : stored->entries)
    if (e.checkpoint.tree_size == *tree_size) return e;
  return Status(Error::InvalidArgument, fmt::format("{} holds no checkpoint of {} records", dir, *tree_size));
}

Result<journal::Checkpoint> checkpoint_from(const std::string& file, const journal::NoteVerifier& verifier) {
  auto text = read_file(file);
  if (!text) return Status(Error::Io, "cannot read " + file);
  return journal::verify_checkpoint(*text, verifier);
}

}  // namespace

int run_replay(const ReplayOptions& o) {
  journal::AuditOptions ao;
  ao.verify_signatures = !o.no_signatures;
  ao.from_snapshot = o.from_snapshot;
  ao.threads = o.threads;
  if (!o.quiet)
    ao.progress = [](const journal::AuditProgress& p) {
      fmt::print(stderr, "\r  replayed {:>12} records  {:7.1f} s  {:>10.0f} records/s", p.records, p.seconds,
                 p.records / std::max(p.seconds, 1e-9));
      std::fflush(stderr);
    };
  if (o.checkpoint_file.empty() != o.key.empty()) return fail("--checkpoint and --key go together: the anchor and the key that signed it");
  if (!o.checkpoint_file.empty()) {
    auto verifier = journal::parse_verifier_key(o.key);
    if (!verifier) return fail("--key: " + verifier.status().message());
    auto note = read_file(o.checkpoint_file);
    if (!note) return fail("cannot read " + o.checkpoint_file);
    ao.anchor = journal::AuditAnchor{std::move(*note), std::move(verifier).value(), {}, 0};
    for (const std::string& w : o.witness_keys) {
      auto key = journal::parse_cosigner_key(w);
      if (!key) return fail("--witness-key: " + key.status().message());
      ao.anchor->witnesses.push_back(std::move(key).value());
    }
    ao.anchor->quorum = o.witness_quorum.value_or(o.witness_keys.size());
  }
  if (o.checkpoint_file.empty() && (!o.witness_keys.empty() || o.witness_quorum))
    return fail("--witness-key and --witness-quorum check the cosignatures of --checkpoint: pass it and --key too");
  fmt::print("replaying {}{}{}\n", o.dir, o.from_snapshot ? " from its newest snapshot" : " from genesis",
             o.no_signatures ? " (signatures not checked)" : ", checking every signature on all cores");
  auto r = journal::audit_journal(o.dir, ao);
  if (!o.quiet) fmt::print(stderr, "\n");
  if (!r) return fail(r.status().to_string());
  for (const std::string& skipped : r->skipped_snapshots) fmt::print("snapshot skipped (damaged): {}\n", skipped);
  if (r->snapshot_seq) fmt::print("snapshot:     seq {}\n", *r->snapshot_seq);
  fmt::print("records:      {} replayed, {} signatures verified\n", r->records, r->signatures_verified);
  fmt::print("checkpoints:  {} verified (signature, Merkle root, state root){}\n", r->checkpoints_verified,
             r->checkpoints_skipped ? fmt::format(", {} before the snapshot not checked", r->checkpoints_skipped) : "");
  fmt::print("tree size:    {}\nmerkle root:  {}\nstate root:   {}\n", r->tree_size, crypto::to_hex(r->merkle_root),
             crypto::to_hex(r->state_root));
  if (r->anchor_size) fmt::print("anchor:       {} records, reproduced ({})\n", *r->anchor_size, o.checkpoint_file);
  if (ao.anchor && !ao.anchor->witnesses.empty())
    fmt::print("witnesses:    {} of {} cosigned the anchor ({} needed){}{}\n", r->anchor_cosigners.size(), ao.anchor->witnesses.size(),
               ao.anchor->quorum, r->anchor_cosigners.empty() ? "" : ": ", fmt::join(r->anchor_cosigners, ", "));
  if (!r->tail_damage.empty()) fmt::print("torn tail:    {} (left in place; the node cuts it on recovery)\n", r->tail_damage);
  if (!r->checkpoint_log_damage.empty())
    fmt::print("torn tail:    {} in {} (left in place; the node cuts it on recovery)\n", r->checkpoint_log_damage,
               journal::kCheckpointLogFile);
  if (r->covered < r->tree_size)
    fmt::print("uncovered:    seq {} to {} ({} records): no verified checkpoint covers them\n", r->covered, r->tree_size - 1,
               r->tree_size - r->covered);
  if (r->checkpoints_verified == 0 && !r->anchor_size)
    fmt::print("WARNING:      no checkpoint was verified: nothing signed ties this journal to what the exchange published "
               "(pass --checkpoint FILE --key K with a checkpoint kept outside the directory)\n");
  fmt::print("time:         {:.2f} s, {:.0f} records/s\n", r->seconds, r->records / std::max(r->seconds, 1e-9));
  if (!r->divergence.empty()) {
    fmt::print("DIVERGENCE:   {}\n", r->divergence);
    return 2;
  }
  fmt::print("result:       the journal reproduces every checkpoint\n");
  return 0;
}

int run_checkpoint(const std::string& dir, std::optional<uint64_t> tree_size) {
  auto cp = newest_checkpoint(dir, tree_size);
  if (!cp) return fail(cp.status().to_string());
  auto log = log_of(dir);
  if (!log) return fail(log.status().to_string());
  auto verifier = journal::note_verifier(cp->checkpoint.origin, log->genesis.log_key);
  if (!verifier) return fail(verifier.status().to_string());
  fmt::print("{}", cp->note);
  fmt::print(stderr, "verifier key (from the genesis log key): {}\n", journal::encode_verifier_key(verifier.value()));
  return 0;
}

int run_proof_inclusion(const std::string& dir, uint64_t seq, std::optional<uint64_t> tree_size) {
  auto log = log_of(dir);
  if (!log) return fail(log.status().to_string());
  if (!tree_size) {
    auto cp = newest_checkpoint(dir);
    if (!cp) return fail(cp.status().to_string());
    tree_size = cp->checkpoint.tree_size;
  }
  auto path = log->log.inclusion_proof(seq, *tree_size);
  if (!path) return fail(path.status().to_string());
  fmt::print("{}", journal::encode_inclusion_proof({seq, *tree_size, log->log.leaf(seq), std::move(path).value()}));
  return 0;
}

int run_proof_consistency(const std::string& dir, uint64_t old_size, std::optional<uint64_t> new_size) {
  auto log = log_of(dir);
  if (!log) return fail(log.status().to_string());
  if (!new_size) {
    auto cp = newest_checkpoint(dir);
    if (!cp) return fail(cp.status().to_string());
    new_size = cp->checkpoint.tree_size;
  }
  auto path = log->log.consistency_proof(old_size, *new_size);
  if (!path) return fail(path.status().to_string());
  fmt::print("{}", journal::encode_consistency_proof({old_size, *new_size, std::move(path).value()}));
  return 0;
}

int run_verify_inclusion(const std::string& checkpoint_file, const std::string& proof_file, const std::string& key,
                         const std::string& record_hash_hex) {
  auto verifier = journal::parse_verifier_key(key);
  if (!verifier) return fail(verifier.status().to_string());
  auto cp = checkpoint_from(checkpoint_file, verifier.value());
  if (!cp) return fail(cp.status().to_string());
  auto proof = read_file(proof_file);
  if (!proof) return fail("cannot read " + proof_file);
  Status s;
  if (record_hash_hex.empty()) {
    s = journal::verify_inclusion_text(*proof, cp.value());
  } else {
    crypto::Digest h{};
    if (record_hash_hex.size() != 64) return fail("--record-hash must be 64 hex digits");
    for (size_t i = 0; i < 32; ++i) {
      unsigned v = 0;
      if (std::sscanf(record_hash_hex.c_str() + 2 * i, "%2x", &v) != 1) return fail("--record-hash must be hex");
      h[i] = static_cast<uint8_t>(v);
    }
    s = journal::verify_inclusion_text(*proof, cp.value(), h);
  }
  if (!s) return fail(s.message());
  fmt::print("OK: the record is in the log of {} records signed by {} (root {})\n", cp->tree_size, cp->origin,
             crypto::to_hex(cp->root));
  return 0;
}

int run_verify_consistency(const std::string& old_checkpoint_file, const std::string& new_checkpoint_file,
                           const std::string& proof_file, const std::string& key) {
  auto verifier = journal::parse_verifier_key(key);
  if (!verifier) return fail(verifier.status().to_string());
  auto old_cp = checkpoint_from(old_checkpoint_file, verifier.value());
  if (!old_cp) return fail(old_cp.status().to_string());
  auto new_cp = checkpoint_from(new_checkpoint_file, verifier.value());
  if (!new_cp) return fail(new_cp.status().to_string());
  auto proof = read_file(proof_file);
  if (!proof) return fail("cannot read " + proof_file);
  if (auto s = journal::verify_consistency_text(*proof, old_cp.value(), new_cp.value()); !s) return fail(s.message());
  fmt::print("OK: the log of {} records is a prefix of the log of {} records\n", old_cp->tree_size, new_cp->tree_size);
  return 0;
}

}  // namespace glassbook::app
