// Building a signed root and auditing a published one (audit.h).
#include "proofs/audit.h"

#include <fmt/format.h>

#include "proofs/proof_json.h"
#include "proofs/verify.h"

namespace glassbook::proofs {

Result<BuiltLiabilities> build_liabilities(const engine::Engine& engine, const crypto::KeyPair& proof_key, TreeOptions options) {
  auto table = customer_liabilities(engine);
  if (!table) return table.status();
  const crypto::Seed seed = proof_key.seed();
  const Digest secret = proof_secret(seed);
  auto tree = LiabilitiesTree::build(*table, secret, options);
  if (!tree) return tree.status();
  BuiltLiabilities out;
  out.table = std::move(table).value();
  out.tree = std::make_unique<LiabilitiesTree>(std::move(tree).value());
  out.root = out.tree->root(out.table);
  sign_root(out.root, proof_key);
  return out;
}

ProofStatus ledger_liabilities_match(const engine::Engine& engine, const LiabilitiesRoot& root) {
  const engine::ExchangeConfig& cfg = engine.config();
  if (root.assets.size() != cfg.assets.size())
    return proof_fail(ProofError::AuditMismatch, fmt::format("the root has {} assets, the exchange {}", root.assets.size(), cfg.assets.size()));
  const bool margin = engine::has_margin_asset(cfg);
  const engine::RiskPrices prices = engine.prices_at(engine.last_timestamp());
  const ledger::Ledger& ledger = engine.ledger();
  for (AssetId x = 0; x < cfg.assets.size(); ++x) {
    if (root.assets[x] != cfg.assets[x].symbol)
      return proof_fail(ProofError::AuditMismatch, fmt::format("asset {} is {} in the root, {} in the ledger", x, root.assets[x], cfg.assets[x].symbol));
    U128 expected = 0;
    if (!margin || x != cfg.risk.margin_asset) {
      const int64_t total = ledger.customer_total(x);
      if (total < 0) return proof_fail(ProofError::AuditMismatch, fmt::format("the ledger's customers owe {} in {}", total, root.assets[x]));
      expected = static_cast<U128>(total);
    } else {
      for (AccountId a = kFirstCustomer; a < ledger.account_count(); ++a) {
        __int128 equity = ledger.balance(a, x).total;
        for (MarketId m = 0; m < cfg.markets.size(); ++m) {
          const engine::PerpPosition* p = engine.position(a, m);
          if (p == nullptr || p->lots == 0 || !prices.mark[m]) continue;
          equity += engine::lots_value(cfg.markets[m], cfg.assets[cfg.markets[m].base].decimals, p->lots, *prices.mark[m]) - p->cost;
        }
        if (equity > 0) expected += static_cast<U128>(equity);
      }
    }
    if (expected != root.sums[x])
      return proof_fail(ProofError::AuditMismatch, fmt::format("{}: the root sums {}, the ledger's customers are owed {}", root.assets[x],
                                                               u128_to_string(root.sums[x]), u128_to_string(expected)));
  }
  return {};
}

ProofStatus audit_root(const engine::Engine& engine, const crypto::KeyPair& proof_key, const LiabilitiesRoot& published) {
  if (auto s = verify_root(published, proof_key.public_key()); !s.ok()) return s;
  if (engine.last_seq() != published.checkpoint_seq)
    return proof_fail(ProofError::AuditMismatch, fmt::format("the state is at sequence {}, the root at {}", engine.last_seq(), published.checkpoint_seq));
  if (engine.state_root() != published.snapshot_id)
    return proof_fail(ProofError::AuditMismatch, "the replayed state's root is not the root's snapshot id");
  TreeOptions options;
  options.depth = published.depth;
  auto built = build_liabilities(engine, proof_key, options);
  if (!built) return proof_fail(ProofError::AuditMismatch, "the tree cannot be rebuilt: " + built.status().message());
  if (root_signing_bytes(built->root) != root_signing_bytes(published) || built->root.signature != published.signature)
    return proof_fail(ProofError::AuditMismatch, "the rebuilt root differs from the published one (hash " +
                                                     crypto::to_hex(built->root.hash) + ")");
  return ledger_liabilities_match(engine, published);
}

}  // namespace glassbook::proofs
