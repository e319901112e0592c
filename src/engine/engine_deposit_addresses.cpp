// The engine's deposit addresses: a chain watcher records the address of (account, asset) on a chain.
#include <fmt/format.h>

#include "engine/engine.h"

namespace glassbook::engine {

// Why a chain watcher and not a custodian: the address book is the watcher's input (it credits what
// the addresses receive), and recording one gives the watcher no power it lacks, since it already
// attests deposits to any account. The custodians, who will hold the root the addresses derive
// from, sign the sweeps that move what they received (docs/custody.md).
Status Engine::on(const Command&, const RecordDepositAddress&) {
  return reject(Error::InvalidArgument, "a deposit address is recorded by a timed role command only, so that it cannot be replayed");
}

Status Engine::record_deposit_address(const Command& c, const RecordDepositAddress& r) {
  if (!config_.chain_watchers.contains(c.signer))
    return reject(Error::Unauthorized, "deposit addresses must be recorded by a chain watcher");
  if (!is_customer(r.account) || r.account - kFirstCustomer >= account_keys_.size())
    return reject(Error::UnknownAccount, "unknown account " + std::to_string(r.account));
  if (isolated_.contains(r.account))
    return reject(Error::InvalidArgument, "an isolated account takes no deposits: its owner moves margin to it");
  if (r.asset >= config_.assets.size()) return reject(Error::UnknownAsset, "unknown asset " + std::to_string(r.asset));
  if (auto s = deposit_addresses_.check(r); !s) return reject(s.code(), s.message());
  const size_t index = deposit_addresses_.add(r);
  Event e;
  e.kind = EventKind::DepositAddressRecorded;
  e.account = r.account;
  e.asset = r.asset;
  e.order_id = index;
  events_.push_back(e);
  return {};
}

}  // namespace glassbook::engine
