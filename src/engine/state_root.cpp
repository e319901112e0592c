// The state root: SHA-256 over a canonical serialization of everything the engine's future depends on.
#include <algorithm>

#include "engine/engine.h"

namespace glassbook::engine {

crypto::Digest Engine::state_root() const {
  crypto::Sha256 h;
  h.update("glassbook/state/v1");
  // Configuration.
  h.update_u32(static_cast<uint32_t>(config_.assets.size()));
  for (const auto& a : config_.assets) {
    h.update_u32(static_cast<uint32_t>(a.symbol.size()));
    h.update(a.symbol);
    h.update_u8(static_cast<uint8_t>(a.decimals));
  }
  h.update_u32(static_cast<uint32_t>(markets_.size()));
  for (const Market& m : markets_) {
    h.update_u32(static_cast<uint32_t>(m.cfg.symbol.size()));
    h.update(m.cfg.symbol);
    h.update_u16(m.cfg.base);
    h.update_u16(m.cfg.quote);
    h.update_i64(m.cfg.tick_size);
    h.update_i64(m.cfg.lot_size);
    h.update_i64(m.cfg.min_quantity);
    h.update_i64(m.cfg.max_price);
    h.update_u32(static_cast<uint32_t>(m.cfg.maker_fee_ppm));
    h.update_u32(static_cast<uint32_t>(m.cfg.taker_fee_ppm));
    h.update_u32(static_cast<uint32_t>(m.cfg.market_protection_ppm));
    h.update_u32(m.cfg.max_orders);
  }
  h.update(config_.log_key.data(), config_.log_key.size());
  for (const RolePolicy* role : {&config_.operators, &config_.chain_watchers, &config_.oracle_sources, &config_.custodians}) {
    h.update_u32(static_cast<uint32_t>(role->keys.size()));
    for (const auto& k : role->keys) h.update(k.data(), k.size());
    h.update_u32(role->threshold);
  }
  // Accounts and balances.
  h.update_u32(static_cast<uint32_t>(account_keys_.size()));
  for (const auto& k : account_keys_) h.update(k.data(), k.size());
  h.update_u64(ledger_.account_count());
  for (AccountId a = 0; a < ledger_.account_count(); ++a) {
    for (AssetId s = 0; s < ledger_.asset_count(); ++s) {
      const auto& b = ledger_.balance(a, s);
      h.update_i64(b.total);
      h.update_i64(b.held);
    }
  }
  // Books, in price-time priority per side.
  for (const Market& m : markets_) {
    for (book::Side side : {book::Side::Buy, book::Side::Sell}) {
      h.update_u64(m.book->order_count());
      m.book->for_each_order(side, [&](const book::Order& o) {
        h.update_u64(o.id);
        h.update_u32(o.account);
        h.update_u8(static_cast<uint8_t>(o.side));
        h.update_u8(static_cast<uint8_t>(o.stp));
        h.update_i64(o.price);
        h.update_i64(o.remaining);
      });
    }
  }
  h.update_u64(next_order_id_);
  // Deposits credited and client ids in use, sorted so that hash-map order does not matter.
  std::vector<uint64_t> deposits(deposits_seen_.begin(), deposits_seen_.end());
  std::sort(deposits.begin(), deposits.end());
  h.update_u64(deposits.size());
  for (uint64_t d : deposits) h.update_u64(d);
  std::vector<std::pair<OrderId, uint32_t>> clients(order_client_.begin(), order_client_.end());
  std::sort(clients.begin(), clients.end());
  h.update_u64(clients.size());
  for (auto [id, cid] : clients) {
    h.update_u64(id);
    h.update_u32(cid);
  }
  return h.finish();
}

}  // namespace glassbook::engine
