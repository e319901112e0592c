// The engine's invariant check: the ledger's own invariants plus holds that match open orders exactly.
#include <algorithm>
#include <string>

#include "engine/engine.h"

namespace glassbook::engine {

Status Engine::check_invariants() const {
  if (auto s = ledger_.check_invariants(); !s) return s;
  const size_t assets = ledger_.asset_count();
  std::vector<int64_t> expected(ledger_.account_count() * assets, 0);
  for (const Market& m : markets_) {
    if (m.is_perp()) continue;  // perpetual orders reserve lots against margin (check_risk_invariants)
    for (book::Side side : {book::Side::Buy, book::Side::Sell}) {
      m.book->for_each_order(side, [&](const book::Order& o) {
        expected[static_cast<size_t>(o.account) * assets + hold_asset(m, side)] += hold_for(m, side, o.price, o.remaining);
      });
    }
  }
  // Open withdrawals hold their amounts (counted with the orders in the messages below).
  for (const auto& [id, w] : withdrawals_.open()) expected[static_cast<size_t>(w.request.account) * assets + w.request.asset] += w.request.amount;
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
  if (auto s = check_risk_invariants(); !s) return s;
  if (auto s = check_claims(true); !s) return s;
  return check_watch();
}

// Perpetuals: positions sum to zero per market; every cost has its position's sign; open lots
// equal the resting orders exactly; the clearing account holds minus the sum of all entry costs.
Status Engine::check_risk_invariants() const {
  auto bad = [](std::string why) { return Status(Error::InvalidArgument, "risk: " + std::move(why)); };
  std::vector<__int128> net(markets_.size(), 0);
  __int128 costs = 0;
  std::unordered_map<uint64_t, std::pair<int64_t, int64_t>> open;  // (account << 16 | market) -> buy, sell lots
  for (MarketId mid = 0; mid < markets_.size(); ++mid) {
    const Market& m = markets_[mid];
    if (!m.is_perp()) continue;
    for (book::Side side : {book::Side::Buy, book::Side::Sell}) {
      m.book->for_each_order(side, [&](const book::Order& o) {
        auto& slot = open[(static_cast<uint64_t>(o.account) << 16) | mid];
        (side == book::Side::Buy ? slot.first : slot.second) += o.remaining;
      });
    }
  }
  size_t entries = 0;
  for (AccountId a = 0; a < margin_.size(); ++a) {
    const auto& positions = margin_[a].positions;
    for (size_t i = 0; i < positions.size(); ++i) {
      if (auto s = check_position_entry(a, i); !s) return s;
      const PerpPosition& p = positions[i];
      const std::string where = "account " + std::to_string(a) + " market " + std::to_string(p.market) + ": ";
      auto it = open.find((static_cast<uint64_t>(a) << 16) | p.market);
      const auto orders = it == open.end() ? std::pair<int64_t, int64_t>{0, 0} : it->second;
      if (orders.first != p.open_buy || orders.second != p.open_sell)
        return bad(where + "open lots do not match the resting orders");
      if (it != open.end()) ++entries;
      net[p.market] += p.lots;
      costs += p.cost;
    }
  }
  if (entries != open.size()) return bad("resting perpetual orders without a position entry");
  for (MarketId mid = 0; mid < markets_.size(); ++mid)
    if (net[mid] != 0) return bad("positions in market " + std::to_string(mid) + " do not sum to zero");
  if (has_perpetuals(config_) && ledger_.balance(kClearingAccount, config_.risk.margin_asset).total + costs != 0)
    return bad("the clearing account does not equal minus the sum of entry costs");
  // The holders of each market are exactly the accounts with lots there.
  std::vector<size_t> holding(markets_.size(), 0), shorting(markets_.size(), 0);
  for (AccountId a = 0; a < margin_.size(); ++a)
    for (const PerpPosition& p : margin_[a].positions) {
      if (p.lots == 0) continue;
      if (!holders_[p.market].test(a)) return bad("account " + std::to_string(a) + " is missing from its market's holders");
      if (short_holders_[p.market].test(a) != (p.lots < 0))
        return bad("account " + std::to_string(a) + " is on the wrong side of its market's holders");
      ++holding[p.market];
      if (p.lots < 0) ++shorting[p.market];
    }
  for (MarketId mid = 0; mid < markets_.size(); ++mid) {
    if (holders_[mid].size() != holding[mid]) return bad("market " + std::to_string(mid) + ": holders without a position");
    if (short_holders_[mid].size() != shorting[mid]) return bad("market " + std::to_string(mid) + ": short holders without a short");
  }
  // Margin debt is settled when an account goes flat; only a frozen price may defer it.
  for (AccountId a = kFirstCustomer; a < ledger_.account_count(); ++a)
    if (flat(a) && margin_debt(a) > 0 && !debtors_.contains(a))
      return bad("account " + std::to_string(a) + " is flat and owes margin that no one settles");
  for (AccountId a : debtors_)
    if (!flat(a) || margin_debt(a) == 0) return bad("account " + std::to_string(a) + " waits as a debtor but owes nothing flat");
  // Isolated accounts: their owner's key, an ordinary owner, positions in their market only.
  for (const auto& [id, link] : isolated_) {
    if (account_keys_[id - kFirstCustomer] != account_keys_[link.owner - kFirstCustomer] || isolated_.contains(link.owner))
      return bad("isolated account " + std::to_string(id) + " does not match its owner");
    if (id < margin_.size())
      for (const PerpPosition& p : margin_[id].positions)
        if (p.market != link.market) return bad("isolated account " + std::to_string(id) + " holds another market");
  }
  return {};
}

Status Engine::check_position_entry(AccountId a, size_t i) const {
  const auto& positions = margin_[a].positions;
  const PerpPosition& p = positions[i];
  const std::string where = "risk: account " + std::to_string(a) + " market " + std::to_string(p.market) + ": ";
  auto bad = [&](const char* why) { return Status(Error::InvalidArgument, where + why); };
  if (p.market >= markets_.size() || !markets_[p.market].is_perp()) return bad("a position outside the perpetuals");
  if (i > 0 && positions[i - 1].market >= p.market) return bad("positions out of order");
  if (p.empty()) return bad("an empty position entry");
  if ((p.lots > 0 && p.cost <= 0) || (p.lots < 0 && p.cost >= 0) || (p.lots == 0 && p.cost != 0))
    return bad("the entry cost does not have the sign of the position");
  return {};
}

void Engine::log_changes(bool on) {
  logging_changes_ = on;
  ledger_.log_changes(on);
  positions_before_.clear();
  positions_logged_.clear();
}

void Engine::note_position(AccountId a, MarketId m) {
  if (!positions_logged_.insert((static_cast<uint64_t>(a) << 16) | m).second) return;
  const PerpPosition* p = margin_[a].find(m);
  positions_before_.push_back({a, m, p == nullptr ? 0 : p->lots, p == nullptr ? 0 : p->cost});
}

// One account: its holds equal what its spot orders reserve, its open perpetual lots equal its
// resting perpetual orders, and each position entry is well formed.
Status Engine::check_account(AccountId a) const {
  const size_t assets = ledger_.asset_count();
  std::vector<int64_t> held(assets, 0);
  for (MarketId mid = 0; mid < markets_.size(); ++mid) {
    const Market& m = markets_[mid];
    int64_t buy = 0, sell = 0;
    m.book->for_each_order_of(a, [&](const book::Order& o) {
      const book::Side side = o.side;
      if (m.is_perp()) (side == book::Side::Buy ? buy : sell) += o.remaining;
      else held[hold_asset(m, side)] += hold_for(m, side, o.price, o.remaining);
    });
    if (!m.is_perp()) continue;
    const PerpPosition* p = a < margin_.size() ? margin_[a].find(mid) : nullptr;
    if ((p == nullptr ? 0 : p->open_buy) != buy || (p == nullptr ? 0 : p->open_sell) != sell)
      return Status(Error::InvalidArgument, "risk: account " + std::to_string(a) + " market " + std::to_string(mid) +
                                                ": open lots do not match the resting orders");
  }
  for (AssetId s = 0; s < assets; ++s) held[s] += withdrawals_.held(a, s);
  for (AssetId s = 0; s < assets; ++s)
    if (ledger_.balance(a, s).held != held[s])
      return Status(Error::InvalidArgument, "account " + std::to_string(a) + " asset " + config_.assets[s].symbol + ": held " +
                                                std::to_string(ledger_.balance(a, s).held) + " but open orders reserve " +
                                                std::to_string(held[s]));
  if (a < margin_.size())
    for (size_t i = 0; i < margin_[a].positions.size(); ++i)
      if (auto s = check_position_entry(a, i); !s) return s;
  return {};
}

Status Engine::check_last_command() const {
  if (!logging_changes_) return Status(Error::InvalidArgument, "the engine does not log its changes");
  if (auto s = ledger_.check_changes(); !s) return s;
  std::vector<AccountId> accounts;
  for (const auto& c : ledger_.changes()) accounts.push_back(c.account);
  for (const auto& p : positions_before_) accounts.push_back(p.account);
  std::sort(accounts.begin(), accounts.end());
  accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());
  for (AccountId a : accounts)
    if (a != kWorldAccount)
      if (auto s = check_account(a); !s) return s;
  // Positions moved by a sum of zero in each market, and entry costs against the clearing account.
  std::vector<__int128> net(markets_.size(), 0);
  __int128 costs = 0;
  for (const auto& before : positions_before_) {
    const PerpPosition* p = margin_[before.account].find(before.market);
    net[before.market] += (p == nullptr ? 0 : p->lots) - before.lots;
    costs += static_cast<__int128>(p == nullptr ? 0 : p->cost) - before.cost;
  }
  for (MarketId mid = 0; mid < markets_.size(); ++mid)
    if (net[mid] != 0) return Status(Error::InvalidArgument, "risk: the last command's position changes in market " +
                                                                 std::to_string(mid) + " do not sum to zero");
  if (has_perpetuals(config_)) {
    __int128 clearing = 0;
    for (const auto& c : ledger_.changes())
      if (c.account == kClearingAccount && c.asset == config_.risk.margin_asset)
        clearing = static_cast<__int128>(ledger_.balance(c.account, c.asset).total) - c.before.total;
    if (clearing + costs != 0)
      return Status(Error::InvalidArgument, "risk: the last command moved the clearing account unlike the entry costs");
  }
  if (client_ids_.size() != order_client_.size()) return Status(Error::InvalidArgument, "client id maps disagree");
  return check_claims(false);
}

}  // namespace glassbook::engine
