// `glassbook replica`: a verifying replica of a primary's journal, followed over HTTP
// (GET /api/v1/glassbook/records), every record and checkpoint checked (journal/follower.h).
#pragma once
#include <string>

namespace glassbook::app {

struct ReplicaOptions {
  std::string primary;   // http://host:port of the primary's gateway
  std::string data_dir;  // the replica's own journal (created when missing)
  std::string genesis;   // optional: the exchange's genesis file; the primary's genesis must hold it
  double seconds = 0;    // stop after this long (0: on SIGINT/SIGTERM)
  double poll_ms = 5;    // wait before asking again when the primary had nothing new
  bool quiet = false;    // no line per verified checkpoint
  std::string name;      // how the primary's health endpoint names this replica (default: the data directory's name)
};

// 0 when stopped by a signal or --seconds; 2 when the primary's log disagrees with what the replica
// checked (the message names the seq or checkpoint); 1 when the replica cannot start or its own
// disk fails.
int run_replica(const ReplicaOptions& options);

}  // namespace glassbook::app
