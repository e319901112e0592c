// Exporting an estate's transfer-of-claim records from a journal by replay, as CSV or JSON.
#include "api/claim_transfers_export.h"

#include <fmt/format.h>

#include <memory>
#include <span>
#include <string_view>

#include "api/json_writer.h"
#include "api/view_claim_transfers.h"
#include "core/decimal.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "engine/engine.h"
#include "journal/checkpoint_log.h"
#include "journal/genesis.h"
#include "journal/reader.h"
#include "journal/replay.h"

namespace glassbook::api {

Result<ClaimTransfersExport> collect_claim_transfers(const std::string& dir, uint64_t estate, SeqNo from) {
  auto stored = journal::read_checkpoints(dir);
  if (!stored) return stored.status();
  if (stored->entries.empty())
    return Status(Error::InvalidArgument, dir + " holds no signed checkpoint: an export states the checkpoint that covers it");
  const journal::StoredCheckpoint& newest = stored->entries.back();
  const uint64_t size = newest.checkpoint.tree_size;
  if (size == 0) return Status(Error::Corruption, "the newest checkpoint covers no record");
  ClaimTransfersExport x;
  x.estate = estate;
  // Record seq s is leaf s of the log: a checkpoint of `size` records covers seq 0..size-1.
  std::unique_ptr<engine::Engine> replayed;
  journal::ScanOptions scan;
  scan.repair = false;  // read-only
  auto scanned = journal::scan_journal(dir, scan, [&](const journal::RecordView& v) -> Status {
    if (v.seq >= size) return {};
    if (v.seq == 0) {
      auto config = journal::open_genesis(v.to_record());
      if (!config) return config.status();
      replayed = std::make_unique<engine::Engine>(std::move(config).value());
      return {};
    }
    if (!replayed) return Status(Error::Corruption, fmt::format("record {} comes before the genesis", v.seq));
    auto command = journal::to_command(v);
    if (!command) return command.status();
    const std::span<const engine::Event> events = replayed->apply(*command);
    if (command->seq < from) return {};
    for (const engine::Event& e : events)
      if (e.kind == engine::EventKind::ClaimTransferred && e.client_id == estate) x.transfers.push_back(engine::claim_transfer_of(*command, e));
    return {};
  });
  if (!scanned) return scanned.status();
  if (!replayed || replayed->last_seq() + 1 != size)
    return Status(Error::Corruption, fmt::format("the journal in {} ends before the checkpoint's {} records", dir, size));
  x.config = replayed->config();
  if (estate >= x.config.estates.size())
    return Status(Error::InvalidArgument, fmt::format("unknown estate {}: the configuration at the checkpoint has {}", estate, x.config.estates.size()));
  auto verifier = journal::note_verifier(newest.checkpoint.origin, x.config.log_key);
  if (!verifier) return verifier.status();
  auto verified = journal::verify_checkpoint(newest.note, *verifier);
  if (!verified) return Status(Error::Corruption, "the newest checkpoint's signature does not verify with the log key: " + verified.status().message());
  if (verified->state_root != replayed->state_root())
    return Status(Error::Corruption, fmt::format("replaying to the checkpoint of {} records does not reproduce its state root", size));
  x.checkpoint = *verified;
  x.checkpoint_note = newest.note;
  return x;
}

namespace {

// A CSV field (RFC 4180): quoted, its quotes doubled, when it holds a comma, a quote or a line break
// (symbols are only bounded in length, not in alphabet).
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

}  // namespace

std::string claim_transfers_csv(const ClaimTransfersExport& x) {
  const engine::EstateConfig& estate = x.config.estates[x.estate];
  std::string out;
  out += fmt::format("# estate {} {}\n", x.estate, estate.name);
  out += fmt::format("# checkpoint {} tree_size {} root_hash {} state_root {}\n", x.checkpoint.origin, x.checkpoint.tree_size,
                     crypto::base64_encode(x.checkpoint.root), crypto::to_hex(x.checkpoint.state_root));
  out += "seq,timestamp_us,trade_id,estate,market,seller,buyer,units,price,quote_amount,claim_asset,quote_asset,taker_side\n";
  for (const engine::ClaimTransfer& t : x.transfers) {
    const engine::MarketConfig& m = x.config.markets[t.market];
    const int claim_decimals = x.config.assets[m.base].decimals;
    const int quote_decimals = x.config.assets[m.quote].decimals;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", t.seq, t.timestamp, t.trade_id, t.estate, csv_field(m.symbol), t.seller, t.buyer,
                       format_decimal(t.units, claim_decimals), format_decimal(t.price, quote_decimals),
                       format_decimal(t.quote_amount, quote_decimals), csv_field(x.config.assets[m.base].symbol),
                       csv_field(x.config.assets[m.quote].symbol),
                       t.taker_side == book::Side::Buy ? "Bid" : "Ask");
  }
  return out;
}

std::string claim_transfers_json(const ClaimTransfersExport& x) {
  JsonWriter w(512 + 320 * x.transfers.size());
  w.begin_object();
  w.key("estate").unsigned_integer(x.estate);
  w.key("estateName").string(x.config.estates[x.estate].name);
  w.key("checkpoint").begin_object();
  w.key("origin").string(x.checkpoint.origin);
  w.key("treeSize").unsigned_integer(x.checkpoint.tree_size);
  w.key("rootHash").string(crypto::base64_encode(x.checkpoint.root));
  w.key("stateRoot").string(crypto::to_hex(x.checkpoint.state_root));
  w.key("note").string(x.checkpoint_note);
  w.end_object();
  w.key("transfers").begin_array();
  for (const engine::ClaimTransfer& t : x.transfers) write_claim_transfer(w, x.config, t);
  w.end_array();
  w.end_object();
  std::string out = w.take();
  out += '\n';
  return out;
}

}  // namespace glassbook::api
