// Isolated margin: an owner opens an isolated account for one perpetual and moves margin between
// them. The isolated account is an account like any other for margin, liquidation, auto-deleveraging
// and bad debt, so nothing in the risk engine treats it specially; what it cannot pay never reaches
// its owner's other funds. Its key is its owner's; it trades only its market and takes no deposits.
#include <fmt/format.h>

#include "engine/engine.h"

namespace glassbook::engine {

namespace {

uint64_t owner_key(AccountId owner, MarketId market) { return (static_cast<uint64_t>(owner) << 16) | market; }

}  // namespace

std::optional<Engine::IsolatedLink> Engine::isolated(AccountId a) const {
  auto it = isolated_.find(a);
  if (it == isolated_.end()) return std::nullopt;
  return it->second;
}

std::optional<AccountId> Engine::isolated_of(AccountId owner, MarketId market) const {
  auto it = isolated_by_owner_.find(owner_key(owner, market));
  if (it == isolated_by_owner_.end()) return std::nullopt;
  return it->second;
}

Status Engine::on(const Command& c, const OpenIsolated& o) {
  if (auto s = authorize(c, o.account); !s) return s;
  if (isolated_.contains(o.account)) return reject(Error::InvalidArgument, "an isolated account cannot open another");
  if (o.market >= markets_.size() || !markets_[o.market].is_perp())
    return reject(Error::UnknownMarket, fmt::format("market {} is not a perpetual", o.market));
  if (isolated_by_owner_.contains(owner_key(o.account, o.market)))
    return reject(Error::InvalidArgument, fmt::format("account {} already has an isolated account for {}", o.account,
                                                      markets_[o.market].cfg.symbol));
  if (account_keys_.size() >= (1u << 30)) return reject(Error::InvalidArgument, "account limit reached");
  const AccountId id = kFirstCustomer + static_cast<AccountId>(account_keys_.size());
  account_keys_.push_back(c.signer);  // the owner's key, which authorize() just checked
  ledger_.ensure_account(id);
  margin_.resize(static_cast<size_t>(id) + 1);
  isolated_.emplace(id, IsolatedLink{o.account, o.market});
  state_marks_.mark(id);
  isolated_by_owner_.emplace(owner_key(o.account, o.market), id);
  Event e;
  e.kind = EventKind::IsolatedOpened;
  e.account = id;
  e.maker_account = o.account;
  e.market = o.market;
  events_.push_back(e);
  return {};
}

Status Engine::on(const Command& c, const TransferMargin& t) {
  if (!has_perpetuals(config_)) return reject(Error::InvalidArgument, "there is no margin asset without perpetuals");
  if (auto s = authorize(c, t.from); !s) return s;
  if (auto s = authorize(c, t.to); !s) return s;
  const auto from_link = isolated(t.from), to_link = isolated(t.to);
  const bool linked = (from_link && from_link->owner == t.to) || (to_link && to_link->owner == t.from);
  if (!linked) return reject(Error::InvalidArgument, "margin moves only between an account and its own isolated account");
  if (t.amount <= 0) return reject(Error::InvalidQuantity, "the amount must be positive");
  const AssetId asset = config_.risk.margin_asset;
  // The sender keeps its initial margin at current prices: its equity falls by exactly the amount.
  if (t.from < margin_.size() && !margin_[t.from].positions.empty()) {
    const MarginSummary s = margin_of(t.from, current_prices(c.timestamp));
    if (s.frozen) return reject(Error::IndexFrozen, "a price the sender's margin depends on is frozen");
    if (s.equity - t.amount < s.initial)
      return reject(Error::InsufficientMargin, fmt::format("the transfer would take account {} below its initial margin {}",
                                                           t.from, static_cast<int64_t>(s.initial)));
  }
  if (auto s = ledger_.transfer(t.from, t.to, asset, t.amount); !s) return s;
  Event e;
  e.kind = EventKind::MarginTransferred;
  e.account = t.from;
  e.maker_account = t.to;
  e.asset = asset;
  e.quantity = t.amount;
  events_.push_back(e);
  return {};
}

Status Engine::read_isolated(ByteReader& r) {
  uint32_t n = 0;
  r.u32(n);
  if (!r.ok()) return r.status(false);
  if (n > account_keys_.size()) return Status(Error::Corruption, fmt::format("isolated: {} accounts of {}", n, account_keys_.size()));
  const auto bad = [](std::string why) { return Status(Error::Corruption, "isolated: " + why); };
  AccountId previous = 0;
  for (uint32_t i = 0; i < n; ++i) {
    AccountId id = 0, owner = 0;
    MarketId market = 0;
    r.u32(id);
    r.u32(owner);
    r.u16(market);
    if (!r.ok()) return r.status(false);
    const auto is_account = [&](AccountId a) { return is_customer(a) && a - kFirstCustomer < account_keys_.size(); };
    if (!is_account(id) || (i > 0 && id <= previous)) return bad(fmt::format("account {} out of order or unknown", id));
    previous = id;
    if (!is_account(owner) || owner >= id || isolated_.contains(owner))
      return bad(fmt::format("account {}: owner {} is not an earlier, ordinary account", id, owner));
    if (market >= markets_.size() || !markets_[market].is_perp()) return bad(fmt::format("account {}: market {} is not a perpetual", id, market));
    if (account_keys_[id - kFirstCustomer] != account_keys_[owner - kFirstCustomer])
      return bad(fmt::format("account {} does not carry its owner's key", id));
    if (!isolated_by_owner_.emplace(owner_key(owner, market), id).second)
      return bad(fmt::format("account {}: owner {} has two isolated accounts for market {}", id, owner, market));
    isolated_.emplace(id, IsolatedLink{owner, market});
  }
  return {};
}

}  // namespace glassbook::engine
