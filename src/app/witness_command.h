// `glassbook witness`: a tlog-witness process of its own, serving POST /add-checkpoint for the logs it is given.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "app/passphrase.h"

namespace glassbook::app {

struct WitnessCommandOptions {
  std::string key_file;               // the witness's sealed key (glassbook keys new --role witness)
  PassphraseSource passphrase;
  std::string name;                   // the witness's key name; default: "glassbook-witness/<first 8 hex of its key>"
  std::vector<std::string> log_keys;  // verifier keys (origin+id+key) of the logs it witnesses
  std::string url = "127.0.0.1:8090"; // listen address host:port (port 0: any free port)
  std::string state_dir = "witness-state";
  std::string ready_file;             // when set: "<url> <witness key>\n" is written here once listening
  double seconds = 0;                 // stop after this long; 0: on SIGINT/SIGTERM
};

// Exit status: 0 after a clean stop; 3 when the witness refused a rollback or a fork (in this run or
// found in its state directory's alarms.log): the process stays up to keep refusing and to answer its
// health endpoint, and its exit status still says so; 1 for a start-up failure.
int run_witness(const WitnessCommandOptions& options);

}  // namespace glassbook::app
