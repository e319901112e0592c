// Rebuilds the engine of a journal directory without writing to it, for the commands that read the live state.
#include "app/journal_state.h"

#include <fmt/format.h>

#include <stdexcept>

#include "journal/genesis.h"
#include "journal/node_state.h"
#include "journal/recovery.h"
#include "journal/replay.h"

namespace glassbook::app {

Result<JournalState> load_journal_state(const std::string& dir, bool from_genesis, std::optional<SeqNo> up_to, const AppliedSink& on_applied) {
  JournalState out;
  std::optional<journal::SnapshotMeta> snapshot;
  journal::RecoverOptions options;
  options.from_genesis = from_genesis || up_to.has_value();
  options.repair = false;
  options.on_snapshot = [&](const journal::Snapshot& s) -> Status {
    if (s.meta.state_format != journal::kNodeStateFormat)
      return Status(Error::Corruption, fmt::format("snapshot at seq {}: unknown state format {}", s.meta.seq, s.meta.state_format));
    auto state = journal::decode_node_state(s.state);
    if (!state) return state.status();
    auto restored = engine::Engine::restore(state->engine);
    if (!restored) return restored.status();
    if (restored.value()->state_root() != s.meta.state_root)
      return Status(Error::Corruption, fmt::format("snapshot at seq {}: its state root is not the one recorded", s.meta.seq));
    out.engine = std::move(restored).value();
    out.snapshot_seq = s.meta.seq;
    return {};
  };
  options.on_record = [&](const journal::RecordView& v) -> Status {
    if (v.seq == 0) {
      auto config = journal::open_genesis(v.to_record());
      if (!config) return config.status();
      try {
        out.engine = std::make_unique<engine::Engine>(std::move(config).value());
      } catch (const std::invalid_argument& e) {
        return Status(Error::InvalidConfig, std::string("genesis: ") + e.what());
      }
      return {};
    }
    if (!out.engine) return Status(Error::Corruption, fmt::format("record {} comes before any genesis or snapshot", v.seq));
    if (up_to && v.seq > *up_to) return {};
    auto command = journal::to_command(v);
    if (!command) return command.status();
    const std::span<const engine::Event> events = out.engine->apply(*command);
    if (on_applied) on_applied(*command, events);
    ++out.records_applied;
    return {};
  };
  auto recovered = journal::recover(dir, options);
  if (!recovered) return recovered.status();
  if (!out.engine) return Status(Error::InvalidArgument, dir + " holds no journal");
  return out;
}

}  // namespace glassbook::app
