// Rebuilding the gateway's view after a restart: genesis and every journaled command folded in, so no history is lost.
#pragma once
#include <memory>
#include <string>

#include "api/exchange_view.h"
#include "core/result.h"
#include "engine/engine.h"

namespace glassbook::api {

// A view whose histories (orders with their types and client ids, fills, deposits, fundings),
// market data and depth update ids are exactly those of a view that had followed the exchange since
// genesis. It reads the journal in `journal_dir` from genesis up to `recovered.last_seq()` (the
// node's recovered state, before its sequencer starts), folds every command into a fresh shadow
// engine, and refuses (Error::Corruption) unless the shadow's state root then equals the recovered
// engine's. Takes as long as a replay without signature checks of the whole journal.
Result<std::unique_ptr<ExchangeView>> rebuild_view(const std::string& journal_dir, const engine::Engine& recovered,
                                                   ViewLimits limits = {});

}  // namespace glassbook::api
