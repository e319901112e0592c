// Engine snapshots: the whole state as canonical, versioned bytes, and its strict, validating restore.
#include <fmt/format.h>

#include <set>

#include <algorithm>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "core/byte_io.h"
#include "core/checked.h"
#include "engine/config_codec.h"
#include "engine/engine.h"
#include "engine/request_text.h"

namespace glassbook::engine {

// Layout, little-endian through ByteWriter; the sections follow each other in this order and
// nothing may follow the last one.
//   tag          str "glassbook/snapshot/v13" (v12, before custody wallets, is still read: it has no
//                custody section; v9, before distributions and published liabilities
//                roots, is still read: it has neither section; v8, before withdrawals, is still read: it has no
//                withdrawals section; v7, before deposit addresses, is still read: it has no
//                deposit-address section; v6, before claims, is still read: it has no claims
//                section; v5, before trigger orders, is still read: it has no
//                triggers section; v4, before the breakers' trade batches and the
//                clock-sampled basis and premium, is still read: it has no samples section, its
//                batches are empty and nothing stands; a v4 configuration with a perpetual lacks the
//                mark cap and is refused, so only spot-only v4 snapshots load. v3, written before
//                requests were remembered, and v2, before isolated margin, are still read: they have
//                no requests section, v2 no isolated section)
//   config       str encode_config(config)
//   counters     u64 next order id, u64 last seq, i64 last timestamp
//   accounts     u32 n, then n 32-byte keys (customer i is account kFirstCustomer + i); an isolated
//                account carries its owner's key
//   isolated     (v3) u32 n, then n x (u32 account, u32 owner, u16 market), accounts increasing
//   reports      (v3) u32 n (the oracle sources), then n x i64: each source's last OracleReport time
//   ledger       u32 accounts (always kFirstCustomer + n), then accounts x assets cells, account
//                major: i64 total, i64 held
//   books        per market in configuration order: u32 count, then its resting orders in the order
//                they rested (the book's time priority): u64 id, u32 account, u8 side, u8 stp,
//                i64 price (ticks), i64 remaining (lots), u32 client id (0: none). Replaying them in
//                that order rebuilds every price level's queue and every account's cancel_all list.
//   deposits     u64 n, then n deposit ids, strictly increasing
//   projections  per market: u32 n (= min(trades, kRecentTrades)), n recent trades oldest first
//                (u64 seq, i64 timestamp, u64 taker, u64 maker, i64 price, i64 quantity, u8 side),
//                then the stats (u64 trades, i64 base volume, u64 + u64 quote volume low and high
//                halves, i64 last price)
//   governance   u64 highest proposal id, u32 n, n x (u64 id, str configuration, approvals)
//   risk         oracle samples, circuit breakers, perpetual funding state, positions
//                (risk_codec.cpp: Engine::write_risk)
//   requests     (v4) the signed requests inside their windows (SequencedRequests::write): u32 n,
//                then n x (i64 window close in µs, 32-byte digest) in increasing order
//   samples      (v5) per market its breaker's trade batch, per perpetual the standing basis and
//                premium samples (risk_codec.cpp: Engine::write_risk_samples)
//   triggers     (v6) the trigger orders waiting for their price (TriggerOrders::write)
//   claims       (v7) the estates' claims and KYC attestations (ClaimsRegistry::write)
//   addresses    (v8) the recorded deposit addresses in recording order (DepositAddressBook::write)
//   withdrawals  (v9) open withdrawals, allow-listed addresses, recent requests, deposit reversals
//                (Withdrawals::write). A ledger cell below its holds or below zero outside the
//                margin asset and the issuers' claim assets is a reversal's debt (Ledger::adopt_debts).
//   distributions (v12) the estates' distribution rounds, escrow and the sequence at which their
//                claim units last moved (Distributions::write)
//   liabilities  (v12) the newest published liabilities root and their count (PublishedLiabilities::write)
//   custody      (v13) the registered wallets with their observed balances, the votes short of their
//                threshold and the open reconciliation alerts (CustodyWallets::write)

namespace {

const std::string kSnapshotTag = "glassbook/snapshot/v13";
const std::string kSnapshotTagV12 = "glassbook/snapshot/v12";  // before custody wallets and reconciliation alerts
const std::string kSnapshotTagV9 = "glassbook/snapshot/v9";  // before distributions and published liabilities roots
const std::string kSnapshotTagV8 = "glassbook/snapshot/v8";  // before withdrawals
const std::string kSnapshotTagV7 = "glassbook/snapshot/v7";  // before deposit addresses
const std::string kSnapshotTagV6 = "glassbook/snapshot/v6";  // before the claims registry
const std::string kSnapshotTagV5 = "glassbook/snapshot/v5";  // before trigger orders
const std::string kSnapshotTagV4 = "glassbook/snapshot/v4";  // before pending deposits, timelocks and the clock-sampled basis
const std::string kSnapshotTagV3 = "glassbook/snapshot/v3";  // before requests were remembered
const std::string kSnapshotTagV2 = "glassbook/snapshot/v2";  // before isolated margin
constexpr size_t kMaxSnapshotConfigBytes = size_t{1} << 20;
constexpr uint64_t kMaxSnapshotAccounts = uint64_t{1} << 30;  // the engine's registration limit

struct OrderRecord {
  OrderId id = 0;
  AccountId account = 0;
  book::Side side = book::Side::Buy;
  book::Stp stp = book::Stp::CancelNewest;
  book::Ticks price = 0;
  book::Lots remaining = 0;
  uint32_t client_id = 0;
};
constexpr size_t kOrderRecordBytes = 8 + 4 + 1 + 1 + 8 + 8 + 4;
constexpr size_t kTradeRecordBytes = 6 * 8 + 1;
constexpr size_t kStatsBytes = 5 * 8;

template <class V, class O>
  requires std::is_same_v<std::remove_const_t<O>, OrderRecord>
void fields(V& v, O& o) {
  v.u64(o.id);
  v.u32(o.account);
  v.enum8("order side", o.side, 1);
  v.enum8("order stp", o.stp, 2);
  v.i64(o.price);
  v.i64(o.remaining);
  v.u32(o.client_id);
}

template <class V, class T>
  requires std::is_same_v<std::remove_const_t<T>, TradeRecord>
void fields(V& v, T& t) {
  v.u64(t.seq);
  v.i64(t.timestamp);
  v.u64(t.taker_order_id);
  v.u64(t.maker_order_id);
  v.i64(t.price);
  v.i64(t.quantity);
  v.enum8("trade side", t.taker_side, 1);
}

template <class V, class S>
  requires std::is_same_v<std::remove_const_t<S>, MarketStats>
void fields(V& v, S& s) {
  v.u64(s.trades);
  v.i64(s.base_volume);
  uint64_t low = static_cast<uint64_t>(s.quote_volume);
  uint64_t high = static_cast<uint64_t>(s.quote_volume >> 64);
  v.u64(low);
  v.u64(high);
  if constexpr (V::kReading) s.quote_volume = static_cast<__int128>((static_cast<unsigned __int128>(high) << 64) | low);
  v.i64(s.last_price);
}

// The key of Engine::client_ids_ (as engine.cpp builds it): the owner above its client id.
uint64_t client_key(AccountId a, uint32_t client_id) { return (static_cast<uint64_t>(a) << 32) | client_id; }

Status corrupt(std::string why) { return Status(Error::Corruption, "snapshot: " + std::move(why)); }

// A read failure (truncation, an enum or a length out of range, trailing bytes) as Corruption.
Status read_fault(const ByteReader& r, bool whole = false) { return Status(Error::Corruption, r.status(whole).message()); }

// Reads a count (u32, or u64 when `wide`) and refuses one above `max` or one whose records, of at
// least `min_bytes` each, cannot fit in what is left: no allocation is sized by an unchecked count.
uint64_t read_count(ByteReader& r, const char* name, uint64_t max, size_t min_bytes, bool wide = false) {
  uint64_t n = 0;
  if (wide) {
    r.u64(n);
  } else {
    uint32_t n32 = 0;
    r.u32(n32);
    n = n32;
  }
  if (!r.ok()) return 0;
  if (n > max) r.fail(fmt::format("{}: {} exceeds the limit {}", name, n, max));
  else if (min_bytes != 0 && n > r.remaining() / min_bytes)
    r.fail(fmt::format("{}: {} records of {} bytes do not fit in the {} bytes left", name, n, min_bytes, r.remaining()));
  return r.ok() ? n : 0;
}

}  // namespace

std::string Engine::snapshot() const {
  const std::string config = encode_config(config_);
  const size_t cells = ledger_.account_count() * ledger_.asset_count();
  size_t orders = 0;
  size_t trades = 0;
  for (const Market& m : markets_) {
    orders += m.book->order_count();
    trades += m.trades.size();
  }
  std::string out;
  out.reserve(64 + config.size() + 32 * account_keys_.size() + 16 * cells + 4 * markets_.size() +
              kOrderRecordBytes * orders + 8 * deposits_seen_.size() +
              markets_.size() * (4 + kStatsBytes) + kTradeRecordBytes * trades);
  ByteWriter w(out);
  w.str("tag", kSnapshotTag, kSnapshotTag.size());
  w.str("configuration", config, kMaxSnapshotConfigBytes);

  w.u64(next_order_id_);
  w.u64(last_seq_);
  w.i64(last_timestamp_);

  w.u32(static_cast<uint32_t>(account_keys_.size()));
  for (const auto& k : account_keys_) w.key(k);
  w.u32(static_cast<uint32_t>(isolated_.size()));
  for (const auto& [id, link] : isolated_) {
    w.u32(id);
    w.u32(link.owner);
    w.u16(link.market);
  }
  w.u32(static_cast<uint32_t>(report_times_.size()));
  for (Timestamp t : report_times_) w.i64(t);

  w.u32(static_cast<uint32_t>(ledger_.account_count()));
  for (AccountId a = 0; a < ledger_.account_count(); ++a) {
    for (AssetId s = 0; s < ledger_.asset_count(); ++s) {
      const ledger::Balance& b = ledger_.balance(a, s);
      w.i64(b.total);
      w.i64(b.held);
    }
  }

  // Each book's orders in the order they rested: book sequence numbers are unique per book.
  std::vector<std::pair<uint64_t, const book::Order*>> by_time;
  for (const Market& m : markets_) {
    by_time.clear();
    by_time.reserve(m.book->order_count());
    for (book::Side side : {book::Side::Buy, book::Side::Sell})
      m.book->for_each_order(side, [&](const book::Order& o) { by_time.emplace_back(o.seq, &o); });
    std::sort(by_time.begin(), by_time.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    w.u32(static_cast<uint32_t>(by_time.size()));
    for (const auto& [seq, o] : by_time) {
      uint32_t client_id = 0;
      if (!order_client_.empty()) {
        auto it = order_client_.find(o->id);
        if (it != order_client_.end()) client_id = it->second;
      }
      const OrderRecord rec{o->id, o->account, o->side, o->stp, o->price, o->remaining, client_id};
      fields(w, rec);
    }
  }

  const std::vector<uint64_t> deposits = deposits_seen_.sorted();
  w.u64(deposits.size());
  for (uint64_t d : deposits) w.u64(d);

  for (const Market& m : markets_) {
    w.u32(static_cast<uint32_t>(m.trades.size()));
    for (const TradeRecord& t : m.trades) fields(w, t);
    fields(w, m.stats);
  }

  // Governance: the highest proposal id, then each pending proposal in id order with its
  // configuration and its approvers.
  w.u64(highest_proposal_id_);
  w.u32(static_cast<uint32_t>(proposals_.size()));
  for (const auto& [id, p] : proposals_) {
    w.u64(id);
    w.str("proposed configuration", encode_config(*p.config), kMaxSnapshotConfigBytes);
    w.seq("approvals", p.approvals, kMaxRoleKeys, [](ByteWriter& v, const crypto::PublicKey& k) { v.key(k); });
    w.i64(p.enactable_at);
  }
  write_risk(w);
  requests_.write(w);
  pending_deposits_.write(w);
  write_risk_samples(w);
  triggers_.write(w);
  claims_.write(w);
  deposit_addresses_.write(w);
  withdrawals_.write(w);
  distributions_.write(w);
  published_liabilities_.write(w);
  custody_.write(w);
  return out;
}

Result<std::unique_ptr<Engine>> Engine::restore(std::string_view bytes) {
  ByteReader r(bytes, "snapshot");

  std::string tag;
  r.str("tag", tag, kSnapshotTag.size());
  if (!r.ok()) return read_fault(r);
  if (tag != kSnapshotTag && tag != kSnapshotTagV12 && tag != kSnapshotTagV9 && tag != kSnapshotTagV8 && tag != kSnapshotTagV7 && tag != kSnapshotTagV6 && tag != kSnapshotTagV5 && tag != kSnapshotTagV4 && tag != kSnapshotTagV3 &&
      tag != kSnapshotTagV2)
    return corrupt("not a " + kSnapshotTag + " snapshot");
  const bool v9_on = tag == kSnapshotTag || tag == kSnapshotTagV12 || tag == kSnapshotTagV9;
  const bool v6_on = v9_on || tag == kSnapshotTagV8 || tag == kSnapshotTagV7 || tag == kSnapshotTagV6;
  const bool has_isolated = tag != kSnapshotTagV2;
  const bool has_requests = v6_on || tag == kSnapshotTagV5 || tag == kSnapshotTagV4;
  const bool has_role_state = v6_on || tag == kSnapshotTagV5;
  const bool has_samples = v6_on || tag == kSnapshotTagV5;
  const bool has_triggers = v6_on;
  const bool has_claims = v9_on || tag == kSnapshotTagV8 || tag == kSnapshotTagV7;
  const bool has_addresses = v9_on || tag == kSnapshotTagV8;
  const bool has_withdrawals = v9_on;
  const bool has_distributions = tag == kSnapshotTag || tag == kSnapshotTagV12;
  const bool has_liabilities = tag == kSnapshotTag || tag == kSnapshotTagV12;
  const bool has_custody = tag == kSnapshotTag;

  std::string config_bytes;
  r.str("configuration", config_bytes, kMaxSnapshotConfigBytes);
  if (!r.ok()) return read_fault(r);
  auto config = decode_config(config_bytes);
  if (!config) return corrupt(config.status().message());
  std::unique_ptr<Engine> e;
  try {
    e = std::make_unique<Engine>(std::move(config).value());
  } catch (const std::invalid_argument& ex) {
    return corrupt(std::string("configuration refused: ") + ex.what());
  }

  // Counters.
  r.u64(e->next_order_id_);
  r.u64(e->last_seq_);
  r.i64(e->last_timestamp_);
  if (!r.ok()) return read_fault(r);
  if (e->next_order_id_ == 0) return corrupt("next order id is 0");
  if (e->last_timestamp_ < 0) return corrupt(fmt::format("last timestamp {} is negative", e->last_timestamp_));

  // Accounts: customer keys, each bound once.
  const uint64_t customers = read_count(r, "accounts", kMaxSnapshotAccounts, 32);
  if (!r.ok()) return read_fault(r);
  e->account_keys_.resize(customers);
  for (uint64_t i = 0; i < customers && r.ok(); ++i) r.key(e->account_keys_[i]);
  if (!r.ok()) return read_fault(r);
  if (has_isolated) {
    if (auto st = e->read_isolated(r); !st) return corrupt(st.message());
    uint32_t sources = 0;
    r.u32(sources);
    if (!r.ok()) return read_fault(r);
    if (sources != e->report_times_.size())
      return corrupt(fmt::format("{} oracle report times for {} sources", sources, e->report_times_.size()));
    for (Timestamp& t : e->report_times_) r.i64(t);
    if (!r.ok()) return read_fault(r);
  }
  // Every key binds one account, its owner; isolated accounts carry their owner's key.
  e->keys_.reserve(customers);
  for (uint64_t i = 0; i < customers; ++i) {
    const AccountId id = kFirstCustomer + static_cast<AccountId>(i);
    if (e->isolated_.contains(id)) continue;
    auto [it, fresh] = e->keys_.emplace(e->account_keys_[i], id);
    if (!fresh) return corrupt(fmt::format("accounts {} and {} share a key", it->second, id));
  }

  // Ledger: every cell; the invariant check below judges them.
  uint32_t ledger_accounts = 0;
  r.u32(ledger_accounts);
  if (!r.ok()) return read_fault(r);
  if (ledger_accounts != kFirstCustomer + customers)
    return corrupt(fmt::format("ledger has {} accounts, expected {} for {} customers", ledger_accounts,
                               kFirstCustomer + customers, customers));
  const size_t assets = e->ledger_.asset_count();
  if (uint64_t{ledger_accounts} * assets > r.remaining() / 16)
    return corrupt(fmt::format("ledger: {} x {} cells do not fit in the {} bytes left", ledger_accounts, assets, r.remaining()));
  e->ledger_.ensure_account(ledger_accounts - 1);
  for (AccountId a = 0; a < ledger_accounts; ++a) {
    for (AssetId s = 0; s < assets; ++s) {
      ledger::Balance b;
      r.i64(b.total);
      r.i64(b.held);
      if (auto st = e->ledger_.set_balance(a, s, b); !st) return corrupt("ledger: " + st.message());
    }
  }
  if (!r.ok()) return read_fault(r);
  e->ledger_.adopt_debts();

  // Books: validate each order, then rest it behind the ones before it.
  std::vector<int64_t> reserved(size_t{ledger_accounts} * assets, 0);  // guards the sums against overflow
  std::vector<OrderId> ids;
  size_t books_with_orders = 0;
  for (MarketId mid = 0; mid < e->markets_.size(); ++mid) {
    Market& m = e->markets_[mid];
    const uint64_t count = read_count(r, "orders", m.cfg.max_orders, kOrderRecordBytes);
    if (!r.ok()) return read_fault(r);
    m.book->reserve(count);
    books_with_orders += count > 0;
    {  // size the client id maps once: a first pass over the records (read_count checked they fit)
      ByteReader scan(bytes.substr(bytes.size() - r.remaining(), count * kOrderRecordBytes));
      size_t with_client_id = 0;
      for (uint64_t i = 0; i < count; ++i) {
        OrderRecord o;
        fields(scan, o);
        with_client_id += o.client_id != 0;
      }
      e->client_ids_.reserve(e->client_ids_.size() + with_client_id);
      e->order_client_.reserve(e->order_client_.size() + with_client_id);
    }
    if (ids.capacity() < ids.size() + count) ids.reserve(std::max(2 * ids.capacity(), ids.size() + count));
    for (uint64_t i = 0; i < count; ++i) {
      OrderRecord o;
      fields(r, o);
      if (!r.ok()) return read_fault(r);
      auto bad = [&](std::string why) {
        return corrupt(fmt::format("market {} ({}) order {}: {}", mid, m.cfg.symbol, o.id, why));
      };
      if (o.id == 0 || o.id >= e->next_order_id_) return bad(fmt::format("id outside 1..{}", e->next_order_id_ - 1));
      if (!is_customer(o.account) || o.account - kFirstCustomer >= customers)
        return bad(fmt::format("unknown account {}", o.account));
      if (o.price < 1 || o.price > m.scale.max_price_ticks)
        return bad(fmt::format("price {} ticks outside 1..{}", o.price, m.scale.max_price_ticks));
      if (o.remaining <= 0) return bad(fmt::format("remaining quantity {} lots is not positive", o.remaining));
      const int64_t hold = e->hold_for(m, o.side, o.price, o.remaining);
      if (hold < 0) return bad("notional out of range");
      int64_t& sum = reserved[static_cast<size_t>(o.account) * assets + e->hold_asset(m, o.side)];
      auto next_sum = checked_add(sum, hold);
      if (!next_sum) return bad(fmt::format("account {}'s open orders reserve more than can be held", o.account));
      sum = *next_sum;
      const book::Ticks opposite = m.book->best(book::opposite(o.side));
      if (opposite != 0 && (o.side == book::Side::Buy ? opposite <= o.price : opposite >= o.price))
        return bad(fmt::format("{} at {} ticks crosses the best {} at {} ticks",
                               o.side == book::Side::Buy ? "buy" : "sell", o.price,
                               o.side == book::Side::Buy ? "ask" : "bid", opposite));
      const book::NewOrder no{o.id, o.account, o.side, o.price, o.remaining, book::TimeInForce::GTC, o.stp};
      if (book::Reject rej = m.book->restore_order(no); rej != book::Reject::None)
        return bad(rej == book::Reject::DuplicateId ? "id rests twice" : "refused by the book");
      if (o.client_id != 0) {
        if (!e->client_ids_.emplace(client_key(o.account, o.client_id), o.id).second)
          return bad(fmt::format("client id {} already used by another open order of account {}", o.client_id, o.account));
        e->order_client_.emplace(o.id, o.client_id);
      }
      ids.push_back(o.id);
    }
  }
  if (books_with_orders > 1) {  // each book refuses its own duplicates; an id may not rest in two books
    std::sort(ids.begin(), ids.end());
    if (auto it = std::adjacent_find(ids.begin(), ids.end()); it != ids.end())
      return corrupt(fmt::format("order {} rests in two markets", *it));
  }

  // Deposits credited: strictly increasing, so each appears once and the bytes are canonical.
  const uint64_t deposits = read_count(r, "deposits", UINT64_MAX, 8, true);
  if (!r.ok()) return read_fault(r);
  uint64_t previous = 0;
  for (uint64_t i = 0; i < deposits; ++i) {
    uint64_t id = 0;
    r.u64(id);
    if (!r.ok()) return read_fault(r);
    if (i > 0 && id <= previous) return corrupt(fmt::format("deposit ids not strictly increasing at {} ({} after {})", i, id, previous));
    e->deposits_seen_.insert(id);
    previous = id;
  }

  // Projections: recent trades and stats per market.
  for (MarketId mid = 0; mid < e->markets_.size(); ++mid) {
    Market& m = e->markets_[mid];
    auto bad = [&](std::string why) { return corrupt(fmt::format("market {} ({}) {}", mid, m.cfg.symbol, why)); };
    const uint64_t count = read_count(r, "recent trades", kRecentTrades, kTradeRecordBytes);
    if (!r.ok()) return read_fault(r);
    SeqNo previous_seq = 0;
    for (uint64_t i = 0; i < count; ++i) {
      TradeRecord t;
      fields(r, t);
      if (!r.ok()) return read_fault(r);
      if (t.price <= 0 || t.quantity <= 0) return bad(fmt::format("trade {}: price and quantity must be positive", i));
      if (t.seq < previous_seq || t.seq > e->last_seq_ || t.timestamp < 0 || t.timestamp > e->last_timestamp_)
        return bad(fmt::format("trade {}: seq {} or timestamp {} out of order", i, t.seq, t.timestamp));
      if (t.taker_order_id == 0 || t.taker_order_id >= e->next_order_id_ || t.maker_order_id == 0 ||
          t.maker_order_id >= e->next_order_id_)
        return bad(fmt::format("trade {}: order ids outside 1..{}", i, e->next_order_id_ - 1));
      previous_seq = t.seq;
      m.trades.push_back(t);
    }
    fields(r, m.stats);
    if (!r.ok()) return read_fault(r);
    if (count != std::min<uint64_t>(m.stats.trades, kRecentTrades))
      return bad(fmt::format("keeps {} recent trades of {}", count, m.stats.trades));
    if (m.stats.base_volume < 0 || m.stats.quote_volume < 0 || m.stats.last_price < 0 ||
        (m.stats.trades == 0) != (m.stats.last_price == 0))
      return bad("stats out of range");
  }

  // Governance: pending proposals, each by a current operator and approved by distinct operators
  // fewer than the threshold (or it would have been applied), ids increasing up to the highest.
  r.u64(e->highest_proposal_id_);
  uint32_t pending = 0;
  r.u32(pending);
  if (!r.ok()) return read_fault(r);
  if (pending > kMaxPendingProposals) return corrupt(fmt::format("{} pending proposals", pending));
  for (uint32_t i = 0; i < pending; ++i) {
    uint64_t id = 0;
    std::string proposed;
    Proposal p;
    r.u64(id);
    r.str("proposed configuration", proposed, kMaxSnapshotConfigBytes);
    r.seq("approvals", p.approvals, kMaxRoleKeys, [](ByteReader& v, crypto::PublicKey& k) { v.key(k); });
    if (has_role_state) r.i64(p.enactable_at);
    if (!r.ok()) return read_fault(r);
    auto next = decode_config(proposed);
    if (!next) return corrupt(fmt::format("proposal {}: {}", id, next.status().message()));
    if (auto c = check_config_change(e->config_, next.value()); !c)
      return corrupt(fmt::format("proposal {}: {}", id, c.message()));
    if (id == 0 || id > e->highest_proposal_id_ || e->proposals_.contains(id))
      return corrupt(fmt::format("proposal id {} out of order", id));
    std::set<crypto::PublicKey> distinct(p.approvals.begin(), p.approvals.end());
    // A proposal at its threshold is one the timelock holds (enactable_at set), and only such one.
    const bool waiting = p.enactable_at != 0;
    if (p.approvals.empty() || distinct.size() != p.approvals.size() || p.enactable_at < 0 ||
        (p.approvals.size() >= e->config_.operators.threshold) != waiting ||
        (waiting && e->config_.governance.config_timelock_us == 0))
      return corrupt(fmt::format("proposal {}: approvals inconsistent with the operators' threshold", id));
    for (const auto& k : p.approvals)
      if (!e->config_.operators.contains(k)) return corrupt(fmt::format("proposal {}: approved by a non-operator", id));
    p.config_hash = crypto::sha256(proposed);
    p.config = std::make_shared<const ExchangeConfig>(std::move(next).value());
    e->proposals_.emplace(id, std::move(p));
  }

  e->margin_.resize(ledger_accounts);
  if (auto s = e->read_risk(r); !s) return corrupt(s.message());
  if (has_requests) {
    const Timestamp latest = e->last_timestamp_ + 1000 * (kMaxRequestLeadMs + kMaxRequestWindowMs);
    if (auto s = e->requests_.read(r, 0, latest); !s) return corrupt(s.message());
  }
  if (has_role_state) {
    if (auto s = e->pending_deposits_.read(r, e->config_.chain_watchers); !s) return corrupt(s.message());
    for (const auto& [id, p] : e->pending_deposits_.all()) {
      if (e->deposits_seen_.contains(id)) return corrupt(fmt::format("deposit {} is both credited and pending", id));
      const AccountId a = p.deposit.account;
      if (p.deposit.asset >= e->config_.assets.size() ||
          (a != kInsuranceAccount && (!is_customer(a) || a - kFirstCustomer >= e->account_keys_.size())))
        return corrupt(fmt::format("pending deposit {}: unknown account or asset", id));
    }
  }
  if (has_samples)
    if (auto s = e->read_risk_samples(r); !s) return corrupt(s.message());
  if (has_triggers) {
    if (auto s = e->triggers_.read(r); !s) return corrupt(s.message());
    for (const auto& [id, t] : e->triggers_.all()) {
      const PlaceOrder& p = t.order;
      if (id >= e->next_order_id_) return corrupt(fmt::format("trigger order {}: id not yet given", id));
      if (p.market >= e->markets_.size()) return corrupt(fmt::format("trigger order {}: unknown market", id));
      if (!is_customer(p.account) || p.account - kFirstCustomer >= e->account_keys_.size())
        return corrupt(fmt::format("trigger order {}: unknown account", id));
      if (e->markets_[p.market].book->find(id) != nullptr) return corrupt(fmt::format("trigger order {}: also in the book", id));
      if (p.client_id != 0 && e->client_ids_.contains((static_cast<uint64_t>(p.account) << 32) | p.client_id))
        return corrupt(fmt::format("trigger order {}: its client id is an open order's", id));
    }
  }
  if (has_claims) {
    if (auto s = e->claims_.read(r, e->config_.estates.size()); !s) return corrupt(s.message());
    for (size_t i = 0; i < e->config_.estates.size(); ++i) {
      for (const auto& [id, claim] : e->claims_.estate(i).claims)
        if (claim.holder != 0 && (claim.holder - kFirstCustomer >= e->account_keys_.size() || e->isolated_.contains(claim.holder)))
          return corrupt(fmt::format("claims: estate {} claim {}: linked to account {}, not a customer's own", i, id, claim.holder));
      for (const auto& [account, kyc] : e->claims_.estate(i).kyc)
        if (account - kFirstCustomer >= e->account_keys_.size()) return corrupt(fmt::format("claims: estate {}: KYC of unknown account {}", i, account));
    }
  }
  if (has_addresses) {
    if (auto s = e->deposit_addresses_.read(r); !s) return corrupt(s.message());
    for (const RecordDepositAddress& a : e->deposit_addresses_.all())
      if (a.asset >= e->config_.assets.size() || !is_customer(a.account) || a.account - kFirstCustomer >= e->account_keys_.size() ||
          e->isolated_.contains(a.account))
        return corrupt(fmt::format("deposit address {}: unknown account or asset", a.address));
  }
  if (has_withdrawals) {
    const Engine& engine = *e;
    const auto known = [&](AccountId a) {
      return is_customer(a) && a - kFirstCustomer < engine.account_keys_.size() && !engine.isolated_.contains(a);
    };
    if (auto s = e->withdrawals_.read(r, e->config_, known); !s) return corrupt(s.message());
    for (const auto& [id, p] : e->withdrawals_.pending_reversals())
      if (!e->deposits_seen_.contains(id)) return corrupt(fmt::format("pending reversal of deposit {}, never credited", id));
  }
  if (has_distributions) {
    if (auto s = e->distributions_.read(r, e->config_.estates.size(), e->config_.assets.size()); !s) return corrupt(s.message());
    const auto known = [&](AccountId a) { return is_customer(a) && a - kFirstCustomer < e->account_keys_.size(); };
    for (size_t i = 0; i < e->config_.estates.size(); ++i) {
      const EstateDistributions& d = e->distributions_.estate(i);
      for (const DistributionRound& round : d.rounds)
        if (!known(round.account) || round.end_account > e->ledger_.account_count() || round.declared_seq > e->last_seq_ ||
            std::find(e->config_.estates[i].payout_assets.begin(), e->config_.estates[i].payout_assets.end(), round.asset) ==
                e->config_.estates[i].payout_assets.end())
          return corrupt(fmt::format("distributions: estate {} round {}: unknown account, asset or sequence", i, round.id));
      for (const auto& [key, amount] : d.escrow)
        if (!known(escrow_account_of(key))) return corrupt(fmt::format("distributions: estate {}: escrow of unknown account", i));
      if (d.units_moved_at > e->last_seq_) return corrupt(fmt::format("distributions: estate {}: units moved after the last command", i));
    }
  } else {
    e->distributions_.resize(e->config_.estates.size());
  }
  if (has_liabilities) {
    if (auto s = e->published_liabilities_.read(r, e->config_); !s) return corrupt(s.message());
    if (const auto& p = e->published_liabilities_.newest(); p && p->checkpoint_seq >= e->last_seq_)
      return corrupt("the newest published liabilities root names a sequence not before the snapshot's");
  }
  if (has_custody) {
    if (auto s = e->custody_.read(r, e->config_); !s) return corrupt(s.message());
    for (const auto& [id, a] : e->custody_.alerts())
      if (a.raised_at > e->last_seq_) return corrupt(fmt::format("reconciliation alert {} raised after the last command", id));
  }
  if (!r.status(true)) return read_fault(r, true);
  e->rewatch_all();  // the liquidation watch is derived state: every account is judged again
  e->find_debtors();
  e->index_holders();
  if (auto s = e->check_invariants(); !s) return corrupt("invariants broken: " + s.message());
  e->log_changes(e->logging_changes_);  // restoring is no command: the change log starts empty
  return Result<std::unique_ptr<Engine>>(std::move(e));
}

}  // namespace glassbook::engine
