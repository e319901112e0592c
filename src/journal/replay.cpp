// Replay of journal records into the engine, with optional signature verification.
#include "journal/replay.h"

#include <fmt/format.h>

#include <cstring>

#include "engine/command_codec.h"

namespace glassbook::journal {

namespace {

template <class R>
Status command_into(const R& record, engine::Command& c) {
  if (Status s = engine::decode_body_into(record.signed_bytes, c.body); !s)
    return Status(Error::Corruption, fmt::format("journal: seq {}: {}", record.seq, s.message()));
  if (c.body.index() != record.kind)
    return Status(Error::Corruption, fmt::format("journal: seq {}: kind {} disagrees with its signed body (kind {})",
                                                 record.seq, record.kind, c.body.index()));
  c.seq = record.seq;
  c.timestamp = record.timestamp;
  return Status::ok();
}

}  // namespace

Result<engine::Command> to_command(const Record& record) {
  engine::Command c;
  if (Status s = command_into(record, c); !s) return s;
  c.signer = record.signer;
  return c;
}

Result<engine::Command> to_command(const RecordView& record) {
  engine::Command c;
  if (Status s = to_command_into(record, c); !s) return s;
  return c;
}

Status to_command_into(const RecordView& record, engine::Command& out) {
  if (Status s = command_into(record, out); !s) return s;
  std::memcpy(out.signer.data(), record.signer.data(), out.signer.size());
  return Status::ok();
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
