// The state root's cached parts (format 2): bucket digests of accounts, order books and credited deposits.
#pragma once
#include <cstdint>
#include <mutex>
#include <vector>

#include "book/order_book.h"
#include "core/ids.h"
#include "engine/bucket_digests.h"

namespace glassbook::engine {

// Accounts per bucket. Why 8: a root after a batch of 1,000 records rehashes a bucket for every
// account the batch touched (about 1,100 in the benchmark), so a bucket must be small: 8 accounts
// are about 800 bytes with three assets, as much as the bucket's share of the levels above it
// (1,024 would be 100 KB, 70 µs each, 80 ms a root).
inline constexpr AccountId kAccountsPerBucket = 8;
// Price levels per book bucket (ticks): orders crowd near the touch, so a few buckets hold most.
inline constexpr unsigned kLevelBucketBits = 6;

inline uint64_t level_bucket(book::Side side, book::Ticks price) {
  return (static_cast<uint64_t>(side) << 32) | (static_cast<uint64_t>(price) >> kLevelBucketBits);
}

// Owned by the engine; `built` is false until the first root (and in a fresh engine, such as a
// restored one, whose first root is a full pass).
struct StateBuckets {
  BucketDigests accounts;            // key: account / kAccountsPerBucket
  std::vector<BucketDigests> books;  // by market; key: level_bucket()
  BucketDigests deposits;            // key: DepositIds::bucket_of()
  bool built = false;
  std::mutex mu;  // a const state root refreshes the cache; readers of one engine may call it together
  // Scratch for the marks taken from the ledger, the books and the deposit ids.
  std::vector<AccountId> accounts_changed;
  std::vector<book::OrderBook::LevelTouch> levels_changed;
  std::vector<uint32_t> deposits_changed;
};

}  // namespace glassbook::engine
