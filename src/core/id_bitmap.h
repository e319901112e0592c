// IdBitmap: a set of small ids taken back in increasing order, which may grow above the cursor
// while it is being walked (a sweep that finds more work ahead of itself).
#pragma once
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace glassbook {

// One bit per id; set() is O(1), take_next() skips 64 ids per step and stops at the highest word
// ever set, so walking a sparse set of a million ids reads about 16,000 words.
class IdBitmap {
 public:
  void set(uint32_t id) {
    const size_t w = id / 64;
    if (w >= words_.size()) words_.resize(w + 1 + w / 2, 0);
    const uint64_t bit = uint64_t{1} << (id % 64);
    count_ += (words_[w] & bit) == 0 ? 1 : 0;
    words_[w] |= bit;
    if (w + 1 > end_) end_ = w + 1;
  }
  void reset(uint32_t id) {
    const size_t w = id / 64;
    if (w >= words_.size()) return;
    const uint64_t bit = uint64_t{1} << (id % 64);
    count_ -= (words_[w] & bit) != 0 ? 1 : 0;
    words_[w] &= ~bit;
  }
  // The smallest id >= from in the set, left in it; nullopt when there is none.
  std::optional<uint32_t> next(uint32_t from) const {
    for (size_t w = from / 64; w < end_; ++w) {
      const uint64_t bits = words_[w] & (w == from / 64 ? ~uint64_t{0} << (from % 64) : ~uint64_t{0});
      if (bits != 0) return static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(bits)));
    }
    return std::nullopt;
  }
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }
  void clear() {
    if (count_ == 0) return;
    std::fill(words_.begin(), words_.begin() + static_cast<std::ptrdiff_t>(end_), 0);
    count_ = 0;
    end_ = 0;
  }
  bool test(uint32_t id) const {
    const size_t w = id / 64;
    return w < words_.size() && (words_[w] >> (id % 64) & 1) != 0;
  }
  // The smallest id >= from in the set, removed from it; nullopt when there is none.
  std::optional<uint32_t> take_next(uint32_t from) {
    size_t w = from / 64;
    if (w >= end_) return std::nullopt;
    uint64_t bits = words_[w] & (~uint64_t{0} << (from % 64));
    while (bits == 0) {
      if (++w >= end_) {
        end_ = from / 64 + 1;  // every word above from's is empty now
        return std::nullopt;
      }
      bits = words_[w];
    }
    const uint32_t id = static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(bits)));
    words_[w] &= ~(uint64_t{1} << (id % 64));
    --count_;
    return id;
  }

 private:
  std::vector<uint64_t> words_;
  size_t end_ = 0;  // no word at or above this index has a bit set
  size_t count_ = 0;
};

}  // namespace glassbook
