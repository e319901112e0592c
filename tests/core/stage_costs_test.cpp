// StageClock charges a thread's CPU time to the stage it is in, and nothing when stage costs are off.
#include "core/stage_costs.h"

#include <gtest/gtest.h>

namespace glassbook {
namespace {

// Spins until the calling thread has used `nanos` of CPU.
void burn(uint64_t nanos) {
  const uint64_t start = thread_cpu_nanos();
  volatile uint64_t sink = 0;
  while (thread_cpu_nanos() - start < nanos) sink = sink + 1;
}

uint64_t nanos_of(const StageTotals& t, Stage s) { return t.nanos[static_cast<size_t>(s)]; }
uint64_t runs_of(const StageTotals& t, Stage s) { return t.runs[static_cast<size_t>(s)]; }

TEST(StageCosts, ChargesEachStageItsOwnCpuTime) {
  StageCosts::enable(true);
  const StageTotals before = StageCosts::read();
  {
    StageClock clock(Stage::Parse);
    burn(2'000'000);
    clock.next(Stage::Verify);
    burn(6'000'000);
  }
  const StageTotals after = StageCosts::read();
  StageCosts::enable(false);
  const uint64_t parse = nanos_of(after, Stage::Parse) - nanos_of(before, Stage::Parse);
  const uint64_t verify = nanos_of(after, Stage::Verify) - nanos_of(before, Stage::Verify);
  EXPECT_GE(parse, 2'000'000u);
  EXPECT_GE(verify, 6'000'000u);
  EXPECT_LT(parse, verify);  // each stage got its own time, not the other's
  EXPECT_EQ(runs_of(after, Stage::Parse) - runs_of(before, Stage::Parse), 1u);
  EXPECT_EQ(runs_of(after, Stage::Verify) - runs_of(before, Stage::Verify), 1u);
}

TEST(StageCosts, StopEndsTheStageOnce) {
  StageCosts::enable(true);
  const StageTotals before = StageCosts::read();
  {
    StageClock clock(Stage::Render);
    clock.stop();
    burn(1'000'000);  // after stop: charged to nothing
    clock.stop();
  }
  const StageTotals after = StageCosts::read();
  StageCosts::enable(false);
  EXPECT_EQ(runs_of(after, Stage::Render) - runs_of(before, Stage::Render), 1u);
  EXPECT_LT(nanos_of(after, Stage::Render) - nanos_of(before, Stage::Render), 1'000'000u);
}

TEST(StageCosts, SwitchedOffChargesNothing) {
  StageCosts::enable(false);
  const StageTotals before = StageCosts::read();
  {
    StageClock clock(Stage::Fsync);
    burn(500'000);
    clock.next(Stage::MerkleLog);
  }
  const StageTotals after = StageCosts::read();
  EXPECT_EQ(nanos_of(after, Stage::Fsync), nanos_of(before, Stage::Fsync));
  EXPECT_EQ(runs_of(after, Stage::MerkleLog), runs_of(before, Stage::MerkleLog));
}

TEST(StageCosts, EveryStageHasAName) {
  for (size_t i = 0; i < kStageCount; ++i) EXPECT_NE(stage_name(static_cast<Stage>(i)), "?");
}

}  // namespace
}  // namespace glassbook
