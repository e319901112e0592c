// The storage simulator (`glassbook sim`): the real node on a simulated, fault-injecting disk, with
// simulated clients and crash/restart cycles, all decided by one seed (TigerBeetle's VOPR is the model).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace glassbook::sim {

enum class FaultKind : uint8_t {
  Crash,        // the machine crashes: every unsynced write is lost
  Torn,         // the machine crashes: the last unsynced write is torn at a seeded byte
  WriteEio,     // a write fails with EIO (a seeded part of it landed)
  WriteEnospc,  // a write fails with ENOSPC
  SyncEio,      // an fsync fails with EIO (its unsynced data is gone)
  SyncEnospc,   // an fsync fails with ENOSPC
  Corrupt,      // a sector of synced data goes bad (a checkpointed record, or the newest snapshot)
};
inline constexpr size_t kFaultKinds = 7;
// "crash", "torn", "write-eio", "write-enospc", "sync-eio", "sync-enospc", "corrupt".
const char* fault_kind_name(FaultKind k);
// Parses a comma-separated list of those names ("all": every kind; "none": no fault); empty on error.
bool parse_fault_kinds(const std::string& text, std::array<bool, kFaultKinds>& out, std::string& error);

struct StorageSimOptions {
  uint64_t seed = 1;
  uint64_t commands = 2'000;  // commands the clients submit
  std::array<bool, kFaultKinds> faults{true, true, true, true, true, true, true};
  uint32_t fault_per_mille = 80;  // before each round of commands, the chance that a fault is armed (none armed yet)
  int traders = 8;
  uint64_t checkpoint_every = 40;   // small, so that faults meet checkpoints and corruption has a target
  uint64_t snapshot_every = 150;
  uint64_t segment_bytes = 16 * 1024;
};

struct StorageSimResult {
  uint64_t seed = 0;
  uint64_t commands = 0;      // submitted
  uint64_t acknowledged = 0;  // acknowledged to their clients (or found durable after a restart)
  uint64_t crashes = 0;
  uint64_t restarts = 0;
  std::array<uint64_t, kFaultKinds> faults{};  // fired, by kind
  bool ok = true;
  std::string failure;  // the first check that failed, with the command number
  double seconds = 0;   // wall time (only for the rate; everything else is the seed's)

  // "sim: seed S, commands N, acknowledged A, crashes C, faults crash=.. torn=.. ..., restarts R,
  // result ok|FAILED (...), X simulated commands/s": identical for a seed on every run but for the rate.
  std::string line() const;
};

// Runs the simulation. After every restart it checks that no acknowledged command is missing from
// the journal, that the recovered state root equals that of a fault-free model fed the
// acknowledged commands, that a node whose fsync failed took no more work (fail-stop), and that a
// corrupted checkpointed record stops the start with an error naming its segment. The model's
// invariants are checked after every command. Stops at the first failed check.
StorageSimResult run_storage_sim(const StorageSimOptions& options);

}  // namespace glassbook::sim
