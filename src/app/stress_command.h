// `glassbook stress`: shock scenarios on a copy of a journal directory's live state.
#pragma once
#include <string>
#include <vector>

namespace glassbook::app {

struct StressOptions {
  std::string dir;                  // journal directory
  std::string shock;                // every index moved by this ("-30%"); empty: -30% unless --grid or a depeg
  bool grid = false;                // every index by -50 .. +50% (stress::grid_ppm), each point on its own copy
  std::vector<std::string> depegs;  // "ASSET:-20%": a redemption-valued asset's rate moved by that much
  bool json = false;
  bool from_genesis = false;        // rebuild from genesis instead of the newest snapshot
};

// Loads the live state (load_journal_state), runs the scenario(s) and prints the report(s) on
// stdout; errors and the loading summary go to stderr. 0 on success, 1 on a refused input or failure.
int run_stress_command(const StressOptions& options);

}  // namespace glassbook::app
