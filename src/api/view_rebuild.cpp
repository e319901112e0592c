// rebuild_view: a fresh view fed the journal from genesis to the recovered seq, checked against the recovered state root.
#include "api/view_rebuild.h"

#include <fmt/format.h>

#include "crypto/sha256.h"
#include "journal/genesis.h"
#include "journal/reader.h"
#include "journal/replay.h"

namespace glassbook::api {

Result<std::unique_ptr<ExchangeView>> rebuild_view(const std::string& journal_dir, const engine::Engine& recovered, ViewLimits limits) {
  const SeqNo last = recovered.last_seq();
  std::unique_ptr<ExchangeView> view;
  journal::ScanOptions scan;
  scan.repair = false;  // the node has already cut any torn tail
  auto scanned = journal::scan_journal(journal_dir, scan, [&](const journal::RecordView& v) -> Status {
    if (v.seq > last) return {};
    if (v.seq == 0) {
      auto config = journal::open_genesis(v.to_record());
      if (!config) return config.status();
      view = std::make_unique<ExchangeView>(std::make_unique<engine::Engine>(std::move(config).value()), limits);
      return {};
    }
    auto command = journal::to_command(v);
    if (!command) return command.status();
    view->replay(*command);
    return {};
  });
  if (!scanned) return Status(scanned.status().code(), "rebuilding the view from the journal: " + scanned.status().message());
  if (!view || view->last_seq() != last)
    return Status(Error::Corruption, fmt::format("rebuilding the view: the journal in {} ends before the recovered seq {}", journal_dir, last));
  if (view->state_root() != recovered.state_root())
    return Status(Error::Corruption, fmt::format("rebuilding the view: after seq {} the journal's replay has state root {}, the recovered engine {}",
                                                 last, crypto::to_hex(view->state_root()), crypto::to_hex(recovered.state_root())));
  return view;
}

}  // namespace glassbook::api
