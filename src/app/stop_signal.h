// SIGINT and SIGTERM as a stop request for the glassbook command's long-running tools.
#pragma once

namespace glassbook::app {

// Blocks SIGINT and SIGTERM in the calling thread (call it before any thread starts, so that every
// thread inherits it) and ignores SIGPIPE; wait_for_stop() then takes them.
void block_stop_signals();
// Waits at most `seconds` (0 or less: for ever) for SIGINT or SIGTERM; true when one arrived.
bool wait_for_stop(double seconds);

}  // namespace glassbook::app
