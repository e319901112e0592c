// The deposit ids the engine has credited, kept in fixed hash buckets so the state root rehashes only the buckets a deposit changed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace glassbook::engine {

// A set of u64 ids. The set only grows (a credited deposit stays credited), so without buckets a
// state root would sort and hash all of them every time: about 150 ms for the 2,000,000 ids of
// 1,000,000 accounts with two deposits each. Here each id lives in one of kBuckets sorted vectors
// chosen by a fixed mix of its bits (chain watchers choose ids: sequential or hash-like, they
// spread the same), and every insert marks its bucket for the commitment to rehash.
class DepositIds {
 public:
  static constexpr size_t kBuckets = 65536;

  bool contains(uint64_t id) const;
  // False when `id` is there already.
  bool insert(uint64_t id);
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Every id, increasing (the snapshot's order). O(n log n).
  std::vector<uint64_t> sorted() const;

  static size_t bucket_of(uint64_t id);
  // The ids of one bucket, increasing (empty when it holds none).
  const std::vector<uint64_t>& bucket(size_t b) const;
  // The buckets inserted into since the last call, each once; moves them to the end of `out`.
  void take_changed_buckets(std::vector<uint32_t>& out) const;
  // The buckets holding any id, increasing (for a commitment built from scratch).
  std::vector<uint32_t> nonempty_buckets() const;

 private:
  std::unique_ptr<std::vector<uint64_t>[]> buckets_;  // kBuckets of them once the first id arrives
  // Bookkeeping of the commitment, not state: taken by a const state root.
  mutable std::vector<uint8_t> changed_;  // by bucket, once allocated
  mutable std::vector<uint32_t> changed_list_;
  size_t size_ = 0;
};

}  // namespace glassbook::engine
