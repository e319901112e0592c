// The engine's invariant check: the ledger's own invariants plus holds that match open orders exactly.
#include <string>

#include "engine/engine.h"

namespace glassbook::engine {

Status Engine::check_invariants() const {
  if (auto s = ledger_.check_invariants(); !s) return s;
  const size_t assets = ledger_.asset_count();
  std::vector<int64_t> expected(ledger_.account_count() * assets, 0);
  for (const Market& m : markets_) {
    for (book::Side side : {book::Side::Buy, book::Side::Sell}) {
      m.book->for_each_order(side, [&](const book::Order& o) {
        expected[static_cast<size_t>(o.account) * assets + hold_asset(m, side)] += hold_for(m, side, o.price, o.remaining);
      });
    }
  }
  for (AccountId a = 0; a < ledger_.account_count(); ++a) {
    for (AssetId s = 0; s < assets; ++s) {
      if (ledger_.balance(a, s).held != expected[static_cast<size_t>(a) * assets + s])
        return Status(Error::InvalidArgument, "account " + std::to_string(a) + " asset " + config_.assets[s].symbol +
                                                  ": held " + std::to_string(ledger_.balance(a, s).held) +
                                                  " but open orders reserve " +
                                                  std::to_string(expected[static_cast<size_t>(a) * assets + s]));
    }
  }
  for (const auto& [key, id] : client_ids_) {
    AccountId owner = static_cast<AccountId>(key >> 32);
    bool found = false;
    for (const Market& m : markets_) {
      const book::Order* o = m.book->find(id);
      if (o != nullptr && o->account == owner) found = true;
    }
    if (!found) return Status(Error::InvalidArgument, "client id maps to an order that is not open: " + std::to_string(id));
  }
  if (client_ids_.size() != order_client_.size()) return Status(Error::InvalidArgument, "client id maps disagree");
  return {};
}

}  // namespace glassbook::engine
