// The state root: SHA-256 over a canonical serialization of everything the engine's future depends on.
#include <algorithm>

#include "core/byte_io.h"
#include "engine/config_codec.h"
#include "engine/engine.h"

namespace glassbook::engine {

crypto::Digest Engine::state_root() const {
  return config_.state_root_version == kStateRootV2 ? state_root_v2(*state_buckets_, true) : state_root_v1();
}

// Format 1: every account, order and deposit hashed again each time (about 1.1 s at 1,000,000
// accounts); the format of every configuration from before format 2.
crypto::Digest Engine::state_root_v1() const {
  crypto::Sha256 h;
  h.update("glassbook/state/v1");
  // Configuration, in its canonical encoding (genesis and configuration changes use the same bytes).
  const std::string config = encode_config(config_);
  h.update_u64(config.size());
  h.update(config);
  // Accounts and balances.
  h.update_u32(static_cast<uint32_t>(account_keys_.size()));
  for (const auto& k : account_keys_) h.update(k.data(), k.size());
  // The oracle sources' last report times, once any source has reported (the same reason).
  if (std::any_of(report_times_.begin(), report_times_.end(), [](Timestamp t) { return t != 0; })) {
    h.update("reports");
    for (Timestamp t : report_times_) h.update_i64(t);
  }
  // Isolated accounts, when there are any (so that a state from before isolated margin keeps its root).
  if (!isolated_.empty()) {
    h.update("isolated");
    h.update_u32(static_cast<uint32_t>(isolated_.size()));
    for (const auto& [id, link] : isolated_) {
      h.update_u32(id);
      h.update_u32(link.owner);
      h.update_u16(link.market);
    }
  }
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
  const std::vector<uint64_t> deposits = deposits_seen_.sorted();
  h.update_u64(deposits.size());
  for (uint64_t d : deposits) h.update_u64(d);
  std::vector<std::pair<OrderId, uint32_t>> clients(order_client_.begin(), order_client_.end());
  std::sort(clients.begin(), clients.end());
  h.update_u64(clients.size());
  for (auto [id, cid] : clients) {
    h.update_u64(id);
    h.update_u32(cid);
  }
  hash_roles_and_risk(h, false);
  return h.finish();
}

// What both formats hash after the deposits: governance, role state, remembered requests, risk
// (format 1 with every position; format 2 has them in the account buckets), samples, trigger orders.
void Engine::hash_roles_and_risk(crypto::Sha256& h, bool v2) const {
  // Governance: pending proposals in id order, each with its configuration hash and approvers.
  h.update_u64(highest_proposal_id_);
  h.update_u64(proposals_.size());
  for (const auto& [id, p] : proposals_) {
    h.update_u64(id);
    h.update(p.config_hash.data(), p.config_hash.size());
    h.update_u64(p.approvals.size());
    for (const auto& k : p.approvals) h.update(k.data(), k.size());
  }
  // Role state, once there is any (so that older states keep their roots): proposals the timelock
  // holds, and deposits waiting for attestations.
  bool timelocked = false;
  for (const auto& [id, p] : proposals_) timelocked = timelocked || p.enactable_at != 0;
  if (timelocked) {
    h.update("timelocked proposals");
    for (const auto& [id, p] : proposals_) {
      h.update_u64(id);
      h.update_i64(p.enactable_at);
    }
  }
  if (!pending_deposits_.empty()) {
    std::string pending;
    ByteWriter w(pending);
    pending_deposits_.write(w);
    h.update("pending deposits");
    h.update_u64(pending.size());
    h.update(pending);
  }
  // Signed requests inside their windows, once there are any (so that older states keep their roots).
  if (!requests_.empty()) {
    const crypto::Digest requests = requests_.root();
    h.update("requests");
    h.update_u64(requests_.size());
    h.update(requests.data(), requests.size());
  }
  // Risk: oracle samples, breakers, funding state and positions, in their snapshot encoding.
  std::string risk;
  ByteWriter w(risk);
  if (v2)
    write_risk_markets(w);
  else
    write_risk(w);
  h.update_u64(risk.size());
  h.update(risk);
  // Breakers' trade batches and the standing basis and premium samples: hashed only when any is
  // set (all zero is one state only), so a state without them keeps the root it had before them.
  std::string samples;
  ByteWriter sw(samples);
  write_risk_samples(sw);
  if (samples.find_first_not_of('\0') != std::string::npos) {
    h.update("risk samples");
    h.update_u64(samples.size());
    h.update(samples);
  }
  // Withdrawals, their allow-lists and deposit reversals, once anything happened (so that older
  // states keep their roots).
  if (!withdrawals_.empty()) {
    std::string section;
    ByteWriter ww(section);
    withdrawals_.write(ww);
    h.update("withdrawals");
    h.update_u64(section.size());
    h.update(section);
  }
  // Trigger orders waiting for their price, once there are any (so that older states keep their
  // roots), with the last trade price of each market they wait in: elsewhere a projection, here the
  // price that decides when they fire.
  if (!triggers_.empty()) {
    std::string pending;
    ByteWriter tw(pending);
    triggers_.write(tw);
    h.update("trigger orders");
    h.update_u64(pending.size());
    h.update(pending);
    for (MarketId mid : triggers_.markets()) {
      h.update_u64(mid);
      h.update_i64(markets_[mid].stats.last_price);
    }
  }
  // The claims registry, once it holds anything (so that older states keep their roots). Hashed
  // whole, O(claims): fine for the thousands of claims of the tests; buckets like the accounts'
  // are left for a registry of millions (docs/claims.md).
  if (!claims_.empty()) {
    std::string registry;
    ByteWriter cw(registry);
    claims_.write(cw);
    h.update("claims");
    h.update_u64(registry.size());
    h.update(registry);
  }
  // Distributions to claim holders, once any estate's units moved (so that older states keep their
  // roots): the rounds, the escrow and the sequence of each estate's last units change, which decides
  // the record points a round may name. O(rounds + escrow entries).
  if (!distributions_.empty()) {
    std::string section;
    ByteWriter dw(section);
    distributions_.write(dw);
    h.update("distributions");
    h.update_u64(section.size());
    h.update(section);
  }
  // Deposit addresses, once any is recorded (so that older states keep their roots): their count and
  // the hash chain over them in recording order (deposit_address_book.h says why a chain).
  if (!deposit_addresses_.empty()) {
    h.update("deposit addresses");
    h.update_u64(deposit_addresses_.size());
    h.update(deposit_addresses_.digest().data(), deposit_addresses_.digest().size());
  }
  // The published liabilities roots, once one is published (so that older states keep their roots).
  if (!published_liabilities_.empty()) {
    std::string section;
    ByteWriter lw(section);
    published_liabilities_.write(lw);
    h.update("liabilities roots");
    h.update_u64(section.size());
    h.update(section);
  }
  // The exchange's wallets, their observations, pending votes and open alerts, once any command
  // touched them (so that older states keep their roots). O(wallets + votes + alerts).
  if (!custody_.empty()) {
    std::string section;
    ByteWriter cw(section);
    custody_.write(cw);
    h.update("custody wallets");
    h.update_u64(section.size());
    h.update(section);
  }
}

}  // namespace glassbook::engine
