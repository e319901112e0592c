// The engine's published liabilities roots: the proof key journals the root it built from a past,
// checkpointed state (docs/proofs.md, "Publication").
#include "engine/engine.h"

namespace glassbook::engine {

// The snapshot id (the state root at checkpoint_seq) is not checked here: the engine keeps no past
// state roots. The node publishes a root only once the journal's checkpoint at that sequence carries
// the same state root (app/proof_publisher.cpp), and `glassbook proof audit` replays the journal to
// that sequence and compares both; the command's signature covers every field.
Status Engine::on(const Command& c, const PublishLiabilitiesRoot& p) {
  if (auto s = published_liabilities_.check(config_, c.signer, c.seq, c.timestamp, p); !s) return reject(s.code(), s.message());
  published_liabilities_.add(p);
  return {};
}

}  // namespace glassbook::engine
