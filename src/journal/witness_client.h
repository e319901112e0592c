// The log's side of tlog-witness: one checkpoint offered to one witness, learning its size from a 409 and
// proving consistency from there; transport-free (the exchange plugs HTTP in, tests the Witness itself).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "crypto/sha256.h"
#include "journal/cosignature.h"

namespace glassbook::journal {

struct WitnessHttpReply {
  unsigned status = 0;
  std::string body;
};
// POSTs an add-checkpoint body; an error for a witness that could not be reached.
using WitnessTransport = std::function<Result<WitnessHttpReply>(const std::string& body)>;
// The RFC 6962 consistency proof between two sizes of the log's own tree.
using ConsistencyProver = std::function<Result<std::vector<crypto::Digest>>(uint64_t old_size, uint64_t new_size)>;

struct WitnessOutcome {
  enum class Kind { Cosigned, Refused, Unreachable };
  Kind kind = Kind::Unreachable;
  std::string note;     // Cosigned: the checkpoint note with the witness's verified cosignature added
  std::string message;  // Refused or Unreachable: why (a refusal quotes the witness's status and body)
};

// Offers `note` (a checkpoint of `tree_size` records) to the witness `witness`. `known_size` is the
// size the log believes the witness last cosigned (0 at first); a 409 tells the real one, which is
// kept there and tried once more. The cosignature in a 200 must verify with the witness's key
// (otherwise Refused). Refused: the witness said no (a rollback or fork of this log, a bad proof, an
// unknown log) or holds a larger tree than this checkpoint; Unreachable: transport error or 5xx,
// worth retrying later.
WitnessOutcome request_cosignature(const WitnessTransport& transport, const ConsistencyProver& prover, const CosignerKey& witness,
                                   const std::string& note, uint64_t tree_size, uint64_t& known_size);

}  // namespace glassbook::journal
