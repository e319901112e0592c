// DepositIds: credited deposit ids in fixed hash buckets, each sorted, with the buckets changed since the last look.
#include "engine/deposit_ids.h"

#include <algorithm>

namespace glassbook::engine {

size_t DepositIds::bucket_of(uint64_t id) {
  // splitmix64's finalizer: every input bit moves the top 16 bits, so sequential ids spread too.
  uint64_t z = id + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<size_t>(z >> 48);
}

bool DepositIds::contains(uint64_t id) const {
  if (!buckets_) return false;
  const auto& b = buckets_[bucket_of(id)];
  return std::binary_search(b.begin(), b.end(), id);
}

bool DepositIds::insert(uint64_t id) {
  if (!buckets_) {
    buckets_ = std::make_unique<std::vector<uint64_t>[]>(kBuckets);
    changed_.assign(kBuckets, 0);
  }
  const size_t i = bucket_of(id);
  auto& b = buckets_[i];
  auto at = std::lower_bound(b.begin(), b.end(), id);
  if (at != b.end() && *at == id) return false;
  b.insert(at, id);
  ++size_;
  if (changed_[i] == 0) {
    changed_[i] = 1;
    changed_list_.push_back(static_cast<uint32_t>(i));
  }
  return true;
}

std::vector<uint64_t> DepositIds::sorted() const {
  std::vector<uint64_t> all;
  all.reserve(size_);
  if (buckets_)
    for (size_t i = 0; i < kBuckets; ++i) all.insert(all.end(), buckets_[i].begin(), buckets_[i].end());
  std::sort(all.begin(), all.end());
  return all;
}

const std::vector<uint64_t>& DepositIds::bucket(size_t b) const {
  static const std::vector<uint64_t> kNone;
  return buckets_ && b < kBuckets ? buckets_[b] : kNone;
}

void DepositIds::take_changed_buckets(std::vector<uint32_t>& out) const {
  for (uint32_t b : changed_list_) changed_[b] = 0;
  out.insert(out.end(), changed_list_.begin(), changed_list_.end());
  changed_list_.clear();
}

std::vector<uint32_t> DepositIds::nonempty_buckets() const {
  std::vector<uint32_t> out;
  if (buckets_)
    for (size_t i = 0; i < kBuckets; ++i)
      if (!buckets_[i].empty()) out.push_back(static_cast<uint32_t>(i));
  return out;
}

}  // namespace glassbook::engine
