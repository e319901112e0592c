// Building the signed liabilities root of an engine's state, and the auditor's check of a published
// root against a state rebuilt from the journal: the same tree byte for byte, and sums equal to the
// ledger's customer liabilities.
#pragma once
#include <memory>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "engine/engine.h"
#include "proofs/liabilities_tree.h"
#include "proofs/proof_error.h"

namespace glassbook::proofs {

struct BuiltLiabilities {
  LiabilityTable table;
  std::unique_ptr<LiabilitiesTree> tree;
  LiabilitiesRoot root;  // signed
};

// The exchange's proof key gives both the signature and, through its seed, the proof secret.
Result<BuiltLiabilities> build_liabilities(const engine::Engine& engine, const crypto::KeyPair& proof_key, TreeOptions options = {});

// Rebuilds the tree of `engine` (the state replayed to the root's checkpoint) with the exchange's
// proof key and compares: the state (snapshot id, checkpoint sequence), the root's signed bytes, the
// signature; then each asset's sum against the ledger (ledger_liabilities_match). AuditMismatch
// names the first difference.
ProofStatus audit_root(const engine::Engine& engine, const crypto::KeyPair& proof_key, const LiabilitiesRoot& published);

// The root's sums against the ledger: every asset but the margin asset sums exactly the ledger's
// customer totals (Ledger::customer_total: spot balances are never negative); the margin asset sums
// each customer's balance plus unrealized PnL at mark, clamped at zero, recomputed here from the
// ledger and the positions.
ProofStatus ledger_liabilities_match(const engine::Engine& engine, const LiabilitiesRoot& root);

}  // namespace glassbook::proofs
