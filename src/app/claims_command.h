// `glassbook claims transfers`: an estate's transfer-of-claim records, read from a journal by replay
// up to its newest signed checkpoint, as CSV or JSON for the claims agent (api/claim_transfers_export.h).
#pragma once
#include <cstdint>
#include <string>

#include "core/ids.h"

namespace glassbook::app {

struct ClaimTransfersOptions {
  std::string dir;             // the journal directory
  uint64_t estate = 0;
  SeqNo from = 0;              // records of commands at or after this seq
  std::string format = "csv";  // csv | json
  std::string out;             // a file; empty: standard output
};

int run_claims_transfers(const ClaimTransfersOptions& options);

}  // namespace glassbook::app
