// An estate's transfer-of-claim records exported from a journal: replayed from genesis to its
// newest signed checkpoint, which the export names (docs/claims.md, "Transfer records").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/claim_transfers.h"
#include "engine/config.h"
#include "journal/checkpoint.h"

namespace glassbook::api {

// What an export is covered by: the signed checkpoint up to which the journal was replayed, its
// signature checked with the log key and its state root reproduced by the replay.
struct ClaimTransfersExport {
  engine::ExchangeConfig config;  // in force at the checkpoint
  uint64_t estate = 0;
  std::string checkpoint_note;    // the signed note, exactly as stored
  journal::Checkpoint checkpoint;
  std::vector<engine::ClaimTransfer> transfers;
};

// Replays `dir` from genesis to its newest checkpoint and collects the estate's records of commands
// at or after `from`. Refuses a journal without a checkpoint, a checkpoint whose signature does not
// verify with the log key, or one whose state root the replay does not reproduce.
Result<ClaimTransfersExport> collect_claim_transfers(const std::string& dir, uint64_t estate, SeqNo from);

// The formats. CSV: '#' lines naming the estate and the checkpoint (origin, tree size, root hash,
// state root), a header, then one row per record. JSON: {"estate", "estateName", "checkpoint":
// {"origin", "treeSize", "rootHash", "stateRoot", "note"}, "transfers": [...]} with the records as
// GET /api/v1/glassbook/claims/transfers writes them.
std::string claim_transfers_csv(const ClaimTransfersExport& x);
std::string claim_transfers_json(const ClaimTransfersExport& x);

}  // namespace glassbook::api
