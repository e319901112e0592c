// Replay of journal records into the engine, with optional signature verification.
#include "journal/replay.h"

#include <fmt/format.h>

#include <cstring>

#include "engine/command_codec.h"

namespace glassbook::journal {

namespace {

template <class R>
Result<engine::Command> command_of(const R& record, const crypto::PublicKey& signer) {
  Result<engine::CommandBody> body = engine::decode_body(record.signed_bytes);
  if (!body.is_ok())
    return Status(Error::Corruption, fmt::format("journal: seq {}: {}", record.seq, body.status().message()));
  if (body->index() != record.kind)
    return Status(Error::Corruption, fmt::format("journal: seq {}: kind {} disagrees with its signed body (kind {})",
                                                 record.seq, record.kind, body->index()));
  engine::Command c;
  c.seq = record.seq;
  c.timestamp = record.timestamp;
  c.signer = signer;
  c.body = std::move(body).value();
  return c;
}

}  // namespace

Result<engine::Command> to_command(const Record& record) { return command_of(record, record.signer); }

Result<engine::Command> to_command(const RecordView& record) {
  crypto::PublicKey signer;
  std::memcpy(signer.data(), record.signer.data(), signer.size());
  return command_of(record, signer);
}

Result<ReplayReport> replay(const std::vector<Record>& records, engine::Engine& engine, bool verify_signatures) {
  ReplayReport report;
  for (const Record& record : records) {
    Result<engine::Command> command = to_command(record);
    if (!command.is_ok()) return command.status();
    if (verify_signatures && !crypto::verify(record.signer, record.signed_bytes, record.signature))
      return Status(Error::InvalidSignature, fmt::format("journal: seq {}: bad signature", record.seq));
    const auto events = engine.apply(*command);
    ++report.applied;
    if (events.size() == 1 && events[0].kind == engine::EventKind::Rejected) ++report.rejected;
    report.last_seq = record.seq;
  }
  return report;
}

}  // namespace glassbook::journal
