// Follower (follower.h): recovery of the replica's own journal, then each answer of the primary
// checked record by record and at its checkpoint, journaled, and applied.
#include "journal/follower.h"

#include <fmt/format.h>

#include <cstring>

#include "core/assert.h"
#include "journal/checkpoint.h"
#include "journal/genesis.h"
#include "journal/reader.h"
#include "journal/record.h"
#include "journal/replay.h"

namespace glassbook::journal {

namespace {

Status diverged(std::string message) { return Status(Error::Corruption, std::move(message)); }

std::string hex(const crypto::Digest& d) { return crypto::to_hex(d); }

}  // namespace

Follower::Follower(FollowerOptions options) : options_(std::move(options)) {}
Follower::~Follower() = default;

Result<std::unique_ptr<Follower>> Follower::open(FollowerOptions options) {
  std::unique_ptr<Follower> f(new Follower(std::move(options)));
  if (Status s = f->recover(); !s) return s;
  return f;
}

Status Follower::recover() {
  auto stored = read_checkpoints(options_.dir, storage());
  if (!stored) return stored.status();
  const auto& entries = stored->entries;
  ScanOptions scan;
  scan.repair = false;  // a torn tail is cut only once every stored checkpoint has been found in the journal
  if (!entries.empty()) scan.checkpointed = entries.back().checkpoint.tree_size;
  size_t next_checkpoint = 0;
  auto sink = [&](const RecordView& v) -> Status {
    if (v.seq == 0) {
      auto config = open_genesis(v.to_record());
      if (!config) return config.status();
      if (options_.genesis && !(*options_.genesis == *config))
        return Status(Error::InvalidConfig, "the replica's journal holds another exchange's genesis than the one given");
      engine_ = std::make_unique<engine::Engine>(std::move(config).value());
    } else {
      // Records a stored (verified) checkpoint covers are bound to the primary's signature through
      // the Merkle root checked below; the ones after the newest checkpoint are checked one by one.
      if (v.seq >= scan.checkpointed) {
        crypto::PublicKey signer{};
        crypto::Signature signature{};
        std::memcpy(signer.data(), v.signer.data(), signer.size());
        std::memcpy(signature.data(), v.signature.data(), signature.size());
        if (!crypto::verify(signer, v.signed_bytes, signature))
          return diverged(fmt::format("seq {}: bad signature in the replica's own journal", v.seq));
      }
      auto command = to_command(v);
      if (!command) return command.status();
      engine_->apply(*command);
    }
    merkle_.append(v.hash);
    tip_hash_ = v.hash;
    next_seq_ = v.seq + 1;
    while (next_checkpoint < entries.size() && entries[next_checkpoint].checkpoint.tree_size == next_seq_) {
      if (Status s = check_checkpoint(entries[next_checkpoint].note, true); !s) return s;
      ++next_checkpoint;
    }
    return {};
  };
  auto scanned = scan_journal(options_.dir, scan, sink, storage());
  if (!scanned) return scanned.status();
  if (next_checkpoint < entries.size())
    return diverged(fmt::format("the replica's checkpoint log holds a checkpoint of {} records, but its journal only {}",
                                entries[next_checkpoint].checkpoint.tree_size, next_seq_));
  ChainTip tip = scanned->tip;
  GB_ASSERT(tip.next_seq == next_seq_);
  recovery_.records = tip.next_seq;
  recovery_.checkpoints = entries.size();
  if (scanned->report.truncated_bytes > 0) {
    auto cut = cut_torn_tail(options_.dir, tip, scanned->report.truncated_bytes, storage());
    if (!cut) return cut.status();
    recovery_.truncated_bytes = scanned->report.truncated_bytes;
    recovery_.truncated = std::move(cut).value();
  }
  auto writer = JournalWriter::open(options_.dir, tip, options_.writer, storage());
  if (!writer) return writer.status();
  writer_ = std::move(writer).value();
  auto log = CheckpointLogWriter::open(options_.dir, storage());
  if (!log) return log.status();
  checkpoint_log_ = std::move(log).value();
  return {};
}

Status Follower::check_checkpoint(std::string_view note, bool stored) {
  const SeqNo last = next_seq_ - 1;
  auto bad = [&](std::string what) {
    return diverged(fmt::format("checkpoint of {} records (after seq {}): {}", next_seq_, static_cast<int64_t>(last), what));
  };
  auto opened = parse_note(note);
  if (!opened) return bad(opened.status().message());
  auto cp = parse_checkpoint_body(opened->body);
  if (!cp) return bad(cp.status().message());
  if (cp->tree_size != next_seq_)
    return bad(fmt::format("it covers {} records, but it came after seq {}", cp->tree_size, static_cast<int64_t>(last)));
  if (!engine_) return bad("there is no genesis before it");
  if (origin_.empty()) origin_ = cp->origin;
  if (cp->origin != origin_) return bad(fmt::format("its origin is \"{}\", the log's \"{}\"", cp->origin, origin_));
  auto verifier = note_verifier(cp->origin, engine_->config().log_key);
  if (!verifier) return bad(verifier.status().message());
  if (auto verified = verify_checkpoint(note, *verifier); !verified)
    return Status(Error::InvalidSignature, fmt::format("checkpoint of {} records (after seq {}): not signed by the log key in force ({}): {}",
                                                       next_seq_, static_cast<int64_t>(last), crypto::to_hex(engine_->config().log_key),
                                                       verified.status().message()));
  if (const crypto::Digest root = merkle_.root(); root != cp->root)
    return bad(fmt::format("its Merkle root is {}, the replica's journal's {}: the records differ", hex(cp->root), hex(root)));
  if (const crypto::Digest state = engine_->state_root(); state != cp->state_root)
    return bad(fmt::format("its state root is {}, the replica's engine's {}", hex(cp->state_root), hex(state)));
  if (!stored) {
    if (Status s = checkpoint_log_->append(note); !s) return Status(Error::Io, fmt::format("the replica's checkpoint log: {}", s.message()));
  }
  checkpointed_size_ = cp->tree_size;
  latest_checkpoint_ = std::string(note);
  return {};
}

Status Follower::apply(const ReplicationBatch& batch) {
  if (!failure_.is_ok()) return failure_;
  auto fail = [&](Status s) {
    failure_ = s;
    return s;
  };
  if (batch.first_seq != next_seq_)
    return fail(diverged(fmt::format("seq {}: the primary answered from seq {}", next_seq_, batch.first_seq)));
  if (batch.durable < next_seq_)
    return fail(diverged(fmt::format("seq {}: the primary holds only {} records, this replica {}: records it had made durable are gone "
                                     "(or it is another log)", batch.durable, batch.durable, next_seq_)));
  // Every record is checked before any is written; the good ones before a bad one are still taken.
  std::vector<Record> good;
  std::vector<engine::Command> commands;
  std::optional<engine::ExchangeConfig> genesis;
  crypto::Digest link = tip_hash_;
  Status refused;
  for (size_t i = 0; i < batch.records.size(); ++i) {
    const SeqNo seq = next_seq_ + i;
    const std::string& bytes = batch.records[i];
    size_t consumed = 0;
    auto record = decode(bytes, consumed);
    if (!record) {
      refused = diverged(fmt::format("seq {}: malformed record: {}", seq, record.status().message()));
      break;
    }
    if (consumed != bytes.size()) {
      refused = diverged(fmt::format("seq {}: malformed record: {} bytes after it", seq, bytes.size() - consumed));
      break;
    }
    if (record->seq != seq) {
      refused = diverged(fmt::format("seq {}: the primary sent a record with seq {}", seq, record->seq));
      break;
    }
    if (record->prev_hash != link) {
      refused = diverged(fmt::format("seq {}: broken hash link: its previous hash is {}, but record {} hashes to {}", seq,
                                     hex(record->prev_hash), static_cast<int64_t>(seq) - 1, hex(link)));
      break;
    }
    if (seq == 0) {
      auto config = open_genesis(*record);
      if (!config) {
        refused = Status(config.status().code(), fmt::format("seq 0: {}", config.status().message()));
        break;
      }
      if (options_.genesis && !(*options_.genesis == *config)) {
        refused = diverged("seq 0: the primary's genesis holds another configuration than the one given to the replica");
        break;
      }
      genesis = std::move(config).value();
    } else {
      if (!crypto::verify(record->signer, record->signed_bytes, record->signature)) {
        refused = Status(Error::InvalidSignature, fmt::format("seq {}: bad signature (signer {})", seq, crypto::to_hex(record->signer)));
        break;
      }
      auto command = to_command(*record);
      if (!command) {
        refused = diverged(fmt::format("seq {}: {}", seq, command.status().message()));
        break;
      }
      commands.push_back(std::move(command).value());
    }
    link = record_hash(bytes);
    good.push_back(std::move(record).value());
  }
  if (!good.empty()) {
    for (Record& r : good) {
      if (Status s = writer_->append(std::move(r)); !s) return fail(Status(Error::Io, fmt::format("the replica's journal: {}", s.message())));
    }
    auto synced = writer_->sync();
    if (!synced) return fail(Status(Error::Io, fmt::format("the replica's journal: {}", synced.status().message())));
    const SyncedBatch& written = writer_->last_synced();
    GB_ASSERT(written.first_seq == next_seq_ && written.hashes.size() == good.size());
    size_t c = 0;
    for (size_t i = 0; i < written.hashes.size(); ++i) {
      if (next_seq_ == 0) {
        engine_ = std::make_unique<engine::Engine>(std::move(*genesis));
      } else {
        engine_->apply(commands[c++]);
      }
      merkle_.append(written.hashes[i]);
      tip_hash_ = written.hashes[i];
      ++next_seq_;
    }
    GB_ASSERT(tip_hash_ == link);
  }
  if (!refused.is_ok()) return fail(refused);
  // The checkpoint verified last, sent again: nothing new.
  if (batch.checkpoint && !(checkpointed_size_ == next_seq_ && latest_checkpoint_ == batch.checkpoint)) {
    if (Status s = check_checkpoint(*batch.checkpoint, false); !s) return fail(s);
  }
  return {};
}

}  // namespace glassbook::journal
