// The state root, format 2: accounts, books and credited deposits in buckets whose digests are cached and rehashed only where marked.
#include "core/byte_io.h"
#include "engine/config_codec.h"
#include "engine/engine.h"
#include "engine/state_buckets.h"

namespace glassbook::engine {

// Why: format 1 hashes every account, order and deposit again at every checkpoint (1.1 s at
// 1,000,000 accounts, every 1,000 records, on the engine thread). Here the writes mark what they
// change where they happen (the ledger's note(), the book's touch(), DepositIds::insert,
// position_slot), and a root rehashes those buckets, their groups and the groups' list.
crypto::Digest Engine::state_root_v2(StateBuckets& cache, bool drain) const {
  std::unique_lock<std::mutex> lock(cache.mu, std::defer_lock);
  if (drain) lock.lock();
  cache.books.resize(markets_.size());
  if (drain) {  // the engine's own cache: take every mark made since the last root
    cache.accounts_changed.clear();
    ledger_.take_state_changes(cache.accounts_changed);
    state_marks_.take(cache.accounts_changed);
    for (AccountId a : cache.accounts_changed) cache.accounts.mark(a / kAccountsPerBucket);
    for (MarketId m = 0; m < markets_.size(); ++m) {
      cache.levels_changed.clear();
      markets_[m].book->take_touched_levels(cache.levels_changed);
      for (const auto& t : cache.levels_changed) cache.books[m].mark(level_bucket(t.side, t.price));
    }
    cache.deposits_changed.clear();
    deposits_seen_.take_changed_buckets(cache.deposits_changed);
    for (uint32_t b : cache.deposits_changed) cache.deposits.mark(b);
  }
  if (!cache.built) {  // a first root (a new or restored engine): every bucket once
    for (uint64_t b = 0; b * kAccountsPerBucket < ledger_.account_count(); ++b) cache.accounts.mark(b);
    for (MarketId m = 0; m < markets_.size(); ++m)
      for (book::Side side : {book::Side::Buy, book::Side::Sell})
        markets_[m].book->for_each_order(side, [&](const book::Order& o) { cache.books[m].mark(level_bucket(side, o.price)); });
    for (uint32_t b : deposits_seen_.nonempty_buckets()) cache.deposits.mark(b);
    cache.built = true;
  }

  crypto::Sha256 h;
  h.update("glassbook/state/v2");
  const std::string config = encode_config(config_);
  h.update_u64(config.size());
  h.update(config);
  // The oracle sources' last report times, once any source has reported (as in format 1).
  if (std::any_of(report_times_.begin(), report_times_.end(), [](Timestamp t) { return t != 0; })) {
    h.update("reports");
    for (Timestamp t : report_times_) h.update_i64(t);
  }
  // Accounts: keys, balances, isolated links and positions, 8 accounts a bucket.
  h.update("accounts");
  h.update_u32(static_cast<uint32_t>(account_keys_.size()));
  h.update_u64(ledger_.account_count());
  const crypto::Digest accounts = cache.accounts.root([&](uint64_t b, crypto::Sha256& bh) { return hash_account_bucket(b, bh); });
  h.update(accounts.data(), accounts.size());
  // Books: per market its order count and the root of its level buckets (price-time order inside).
  h.update("books");
  h.update_u64(markets_.size());
  for (MarketId m = 0; m < markets_.size(); ++m) {
    h.update_u64(markets_[m].book->order_count());
    const crypto::Digest book =
        cache.books[m].root([&](uint64_t key, crypto::Sha256& bh) { return hash_level_bucket(m, key, bh); });
    h.update(book.data(), book.size());
  }
  h.update_u64(next_order_id_);
  // Credited deposit ids, each bucket's in increasing order.
  h.update("deposits");
  h.update_u64(deposits_seen_.size());
  const crypto::Digest deposits = cache.deposits.root([&](uint64_t b, crypto::Sha256& bh) {
    const auto& ids = deposits_seen_.bucket(b);
    for (uint64_t id : ids) bh.update_u64(id);
    return !ids.empty();
  });
  h.update(deposits.data(), deposits.size());
  hash_roles_and_risk(h, true);
  return h.finish();
}

// Per account, in id order: u32 id, its key (customers), i64 total and held per asset, u8 1 + u32
// owner + u16 market for an isolated account (else u8 0), u32 n and its n positions.
bool Engine::hash_account_bucket(uint64_t bucket, crypto::Sha256& h) const {
  const uint64_t first = bucket * kAccountsPerBucket;
  const uint64_t end = std::min<uint64_t>(first + kAccountsPerBucket, ledger_.account_count());
  if (first >= end) return false;
  thread_local std::string bytes;  // reused: a root rehashes about a thousand buckets
  bytes.clear();
  ByteWriter w(bytes);
  for (uint64_t i = first; i < end; ++i) {
    const auto a = static_cast<AccountId>(i);
    w.u32(a);
    if (is_customer(a) && a - kFirstCustomer < account_keys_.size()) w.key(account_keys_[a - kFirstCustomer]);
    for (AssetId s = 0; s < ledger_.asset_count(); ++s) {
      const auto& b = ledger_.balance(a, s);
      w.i64(b.total);
      w.i64(b.held);
    }
    const auto link = isolated_.empty() ? isolated_.end() : isolated_.find(a);
    bool linked = link != isolated_.end();
    w.boolean(linked);
    if (linked) {
      AccountId owner = link->second.owner;
      MarketId market = link->second.market;
      w.u32(owner);
      w.u16(market);
    }
    write_positions(w, a);
  }
  h.update(bytes);
  return true;
}

// The orders of 64 consecutive price levels of one side, level by level upward and each level in
// time priority: u64 id, u32 account, u8 self-trade mode, i64 price, i64 remaining, u32 client id.
bool Engine::hash_level_bucket(MarketId m, uint64_t key, crypto::Sha256& h) const {
  const auto side = static_cast<book::Side>(key >> 32);
  const auto first = static_cast<book::Ticks>((key & 0xFFFFFFFFu) << kLevelBucketBits);
  static_assert((book::Ticks{1} << kLevelBucketBits) <= book::OrderBook::kMaxLevelsAtOnce);
  // The bytes are gathered and hashed at once: one SHA-256 update per bucket, not six per order.
  thread_local std::string bytes;
  bytes.clear();
  ByteWriter w(bytes);
  markets_[m].book->for_each_order_in_levels(side, first, book::Ticks{1} << kLevelBucketBits, [&](const book::Order& o) {
    w.u64(o.id);
    w.u32(o.account);
    w.u8(static_cast<uint8_t>(o.stp));
    w.i64(o.price);
    w.i64(o.remaining);
    uint32_t client_id = 0;
    if (!order_client_.empty())
      if (auto it = order_client_.find(o.id); it != order_client_.end()) client_id = it->second;
    w.u32(client_id);
  });
  h.update(bytes);
  return !bytes.empty();
}

crypto::Digest Engine::state_root_from_scratch() const {
  StateBuckets fresh;
  return state_root_v2(fresh, false);
}

Status Engine::check_state_root() const {
  if (config_.state_root_version != kStateRootV2) return {};
  const crypto::Digest cached = state_root();
  const crypto::Digest scratch = state_root_from_scratch();
  if (cached != scratch)
    return Status(Error::InvalidArgument, "state root: the cached buckets (" + crypto::to_hex(cached) +
                                              ") differ from a computation from scratch (" + crypto::to_hex(scratch) +
                                              "): a change escaped its bucket's mark");
  return {};
}

}  // namespace glassbook::engine
