// SIGINT and SIGTERM as a stop request for the glassbook command's long-running tools.
#pragma once
#include <chrono>

namespace glassbook::app {

// Blocks SIGINT and SIGTERM in the calling thread (call it before any thread starts, so that every
// thread inherits it) and ignores SIGPIPE; wait_for_stop() then takes them.
void block_stop_signals();
// Waits at most `seconds` (0 or less: for ever) for SIGINT or SIGTERM; true when one arrived.
bool wait_for_stop(double seconds);
// Between the passes of a polling tool: waits `interval` seconds, or less when the tool's run of
// `run_seconds` (0: unbounded) begun at `start` ends sooner. True when the tool should stop: a stop
// signal arrived, or its run is over.
bool wait_for_next_pass(std::chrono::steady_clock::time_point start, double interval, double run_seconds);

}  // namespace glassbook::app
