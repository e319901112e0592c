// The live engine state of a journal directory, rebuilt read-only: the newest snapshot plus the tail, or genesis plus every record.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/result.h"
#include "engine/engine.h"

namespace glassbook::app {

struct JournalState {
  std::unique_ptr<engine::Engine> engine;
  std::optional<SeqNo> snapshot_seq;  // the snapshot it started from, if any
  uint64_t records_applied = 0;       // records applied after it (after genesis without one)
};

// Recovers the state as the node would on restart (journal::recover): the newest whole snapshot,
// checked against its record's hash and its recorded state root, then every later record applied; or,
// with `from_genesis` or without a snapshot, the genesis configuration and every record. Nothing on
// disk changes (a torn tail is left in place and not applied). Signatures are not checked here:
// `glassbook replay` audits them.
// With `up_to`: from genesis, applying no record after that sequence number (the state of an older
// checkpoint). `on_applied`, when given, sees each record's command and the events it caused (what
// engine state does not keep, such as the transfer-of-claim records).
using AppliedSink = std::function<void(const engine::Command&, std::span<const engine::Event>)>;
Result<JournalState> load_journal_state(const std::string& dir, bool from_genesis = false, std::optional<SeqNo> up_to = std::nullopt,
                                        const AppliedSink& on_applied = {});

}  // namespace glassbook::app
