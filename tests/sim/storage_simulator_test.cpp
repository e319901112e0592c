// The storage simulator end to end: runs with every fault kind pass their checks, a seed reproduces
// its run exactly, and a run without faults acknowledges every command.
#include <gtest/gtest.h>

#include "sim/storage_simulator.h"

namespace glassbook::sim {
namespace {

// The summary line without its last field, the rate (the only part that depends on the machine).
std::string without_rate(const std::string& line) { return line.substr(0, line.rfind(", ")); }

TEST(StorageSim, WithoutFaultsEveryCommandIsAcknowledgedAndSurvivesTheRestart) {
  StorageSimOptions o;
  o.seed = 3;
  o.commands = 300;
  o.faults.fill(false);
  const StorageSimResult r = run_storage_sim(o);
  EXPECT_TRUE(r.ok) << r.line();
  EXPECT_EQ(r.commands, 300u);
  EXPECT_EQ(r.acknowledged, 300u);
  EXPECT_EQ(r.crashes, 0u);
  EXPECT_EQ(r.restarts, 1u);  // the final one, checked like any other
  for (uint64_t n : r.faults) EXPECT_EQ(n, 0u);
}

TEST(StorageSim, EveryFaultKindFiresAndEveryCheckHolds) {
  StorageSimOptions o;
  o.commands = 500;
  o.fault_per_mille = 300;
  std::array<uint64_t, kFaultKinds> fired{};
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    o.seed = seed;
    const StorageSimResult r = run_storage_sim(o);
    EXPECT_TRUE(r.ok) << r.line();
    EXPECT_EQ(r.commands, 500u);
    EXPECT_LE(r.acknowledged, r.commands);
    EXPECT_GT(r.restarts, r.crashes);
    for (size_t k = 0; k < kFaultKinds; ++k) fired[k] += r.faults[k];
  }
  for (size_t k = 0; k < kFaultKinds; ++k) EXPECT_GT(fired[k], 0u) << fault_kind_name(static_cast<FaultKind>(k));
}

TEST(StorageSim, ASeedReproducesItsRunExactly) {
  StorageSimOptions o;
  o.seed = 12;
  o.commands = 400;
  o.fault_per_mille = 120;
  const StorageSimResult a = run_storage_sim(o);
  const StorageSimResult b = run_storage_sim(o);
  EXPECT_EQ(without_rate(a.line()), without_rate(b.line()));
  EXPECT_EQ(a.acknowledged, b.acknowledged);
  EXPECT_EQ(a.faults, b.faults);
  EXPECT_GT(a.restarts, 1u);  // faults happened: the run was not trivially the same
  o.seed = 13;
  EXPECT_NE(without_rate(run_storage_sim(o).line()), without_rate(a.line()));
}

TEST(StorageSim, OnlyTheFaultKindsAskedForFire) {
  StorageSimOptions o;
  o.seed = 5;
  o.commands = 300;
  o.fault_per_mille = 200;
  std::string error;
  ASSERT_TRUE(parse_fault_kinds("sync-eio,torn", o.faults, error)) << error;
  const StorageSimResult r = run_storage_sim(o);
  EXPECT_TRUE(r.ok) << r.line();
  for (size_t k = 0; k < kFaultKinds; ++k) {
    const auto kind = static_cast<FaultKind>(k);
    if (kind != FaultKind::SyncEio && kind != FaultKind::Torn) {
      EXPECT_EQ(r.faults[k], 0u) << fault_kind_name(kind);
    }
  }
  EXPECT_GT(r.faults[static_cast<size_t>(FaultKind::SyncEio)] + r.faults[static_cast<size_t>(FaultKind::Torn)], 0u);
}

TEST(StorageSim, FaultKindNamesParse) {
  std::array<bool, kFaultKinds> kinds{};
  std::string error;
  EXPECT_TRUE(parse_fault_kinds("all", kinds, error));
  for (bool k : kinds) EXPECT_TRUE(k);
  EXPECT_TRUE(parse_fault_kinds("none", kinds, error));
  for (bool k : kinds) EXPECT_FALSE(k);
  EXPECT_FALSE(parse_fault_kinds("crash,bitrot", kinds, error));
  EXPECT_NE(error.find("unknown fault kind 'bitrot'"), std::string::npos) << error;
}

}  // namespace
}  // namespace glassbook::sim
