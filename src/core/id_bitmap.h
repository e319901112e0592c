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

// One bit per id; set() is O(1), take_next() skips 64 ids per step from the lowest word that may be
// set and stops at the highest, so walking a sparse set of a million ids reads at most about 16,000
// words, and taking the few ids one command set reads only the words between them. (Scanning from
// word 0 each time cost 32% of `glassbook bench crash`: a command that touched account 900,000 read
// 14,000 empty words first.)
class IdBitmap {
 public:
  void set(uint32_t id) {
    const size_t w = id / 64;
    if (w >= words_.size()) words_.resize(w + 1 + w / 2, 0);
    if (count_ == 0 || w < begin_) begin_ = w;
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
    if (count_ == 0) return std::nullopt;
    for (size_t w = std::max<size_t>(from / 64, begin_); w < end_; ++w) {
      const uint64_t bits = words_[w] & (w == from / 64 ? ~uint64_t{0} << (from % 64) : ~uint64_t{0});
      if (bits != 0) return static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(bits)));
    }
    return std::nullopt;
  }
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }
  void clear() {
    if (count_ == 0) return;
    std::fill(words_.begin() + static_cast<std::ptrdiff_t>(begin_), words_.begin() + static_cast<std::ptrdiff_t>(end_), 0);
    count_ = 0;
    begin_ = 0;
    end_ = 0;
  }
  bool test(uint32_t id) const {
    const size_t w = id / 64;
    return w < words_.size() && (words_[w] >> (id % 64) & 1) != 0;
  }
  // The smallest id >= from in the set, removed from it; nullopt when there is none.
  std::optional<uint32_t> take_next(uint32_t from) {
    if (count_ == 0) return std::nullopt;
    // From at or below the lowest word, that word is read whole: the first bit found is the lowest.
    const bool from_bottom = from <= begin_ * 64;
    size_t w = std::max<size_t>(from / 64, begin_);
    if (w >= end_) return std::nullopt;
    uint64_t bits = words_[w] & (w == from / 64 ? ~uint64_t{0} << (from % 64) : ~uint64_t{0});
    while (bits == 0) {
      if (++w >= end_) {
        end_ = std::max<size_t>(from / 64, begin_) + 1;  // every word above the start's is empty now
        return std::nullopt;
      }
      bits = words_[w];
    }
    if (from_bottom) begin_ = w;
    const uint32_t id = static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(bits)));
    words_[w] &= ~(uint64_t{1} << (id % 64));
    --count_;
    return id;
  }

 private:
  std::vector<uint64_t> words_;
  size_t begin_ = 0;  // no word below this index has a bit set (while count_ > 0)
  size_t end_ = 0;    // no word at or above this index has a bit set
  size_t count_ = 0;
};

}  // namespace glassbook
