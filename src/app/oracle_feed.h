// `glassbook oracle-feed`: the demo's oracle sources as a process of their own, sending signed
// OracleReports to an exchange's gateway over HTTP, as outside price sources do.
#pragma once
#include <cstdint>
#include <string>

namespace glassbook::app {

struct OracleFeedOptions {
  std::string url;                // the gateway, http://host:port
  uint32_t sources = 5;           // how many of the demo's sources speak (1..5)
  double interval_seconds = 1.0;  // between rounds
  uint64_t seed = 1;              // of the price walk
  double seconds = 0;             // stop after this long (0: on SIGINT or SIGTERM)
  bool quiet = false;             // no line per round
};

// Rounds of the demo price walk (demo_price_walk.h): every speaking source signs its report, timed by
// this machine's clock, and posts it to /api/v1/glassbook/command. Refusals and unreachable gateways
// are reported and retried at the next round, never fatal. Prints a summary at the end; returns 0,
// or 1 when no report at all was accepted.
int run_oracle_feed(const OracleFeedOptions& options);

}  // namespace glassbook::app
