// LevelBitmap: hierarchical 64-ary bitmap of the non-empty price levels of one
// side. Finding the next non-empty level above or below a price takes a few word
// operations per level of the hierarchy (at most 5 for 2^26 ticks), however far
// away it is. The bottom level is allocated lazily in pages of 4096 bits.
#pragma once
#include "core/assert.h"
#include <cstdint>
#include <memory>
#include <vector>

namespace glassbook::book {

class LevelBitmap {
 public:
  static constexpr int64_t kNone = -1;

  // Bits 0..max_bit.
  explicit LevelBitmap(int64_t max_bit) : bits_(max_bit + 1) {
    uint64_t words = (static_cast<uint64_t>(bits_) + 63) / 64;
    l0_pages_.resize((words + kPageWords - 1) / kPageWords);
    while (words > 1) {
      words = (words + 63) / 64;
      upper_.emplace_back(words, 0);
    }
  }

  bool test(int64_t i) const {
    if (i < 0 || i >= bits_) return false;
    const uint64_t* w = l0_word_ptr(static_cast<uint64_t>(i) >> 6);
    return w && ((*w >> (i & 63)) & 1);
  }

  void set(int64_t i) {
    GB_ASSERT(i >= 0 && i < bits_);
    uint64_t w = static_cast<uint64_t>(i) >> 6;
    uint64_t& word = l0_word(w);
    bool was_empty = word == 0;
    word |= uint64_t{1} << (i & 63);
    if (!was_empty) return;
    for (auto& level : upper_) {
      uint64_t bit = w;
      w >>= 6;
      bool empty = level[w] == 0;
      level[w] |= uint64_t{1} << (bit & 63);
      if (!empty) return;
    }
  }

  void clear(int64_t i) {
    GB_ASSERT(i >= 0 && i < bits_);
    uint64_t w = static_cast<uint64_t>(i) >> 6;
    uint64_t& word = l0_word(w);
    word &= ~(uint64_t{1} << (i & 63));
    if (word != 0) return;
    for (auto& level : upper_) {
      uint64_t bit = w;
      w >>= 6;
      level[w] &= ~(uint64_t{1} << (bit & 63));
      if (level[w] != 0) return;
    }
  }

  // Lowest set bit >= i, or kNone.
  int64_t find_next(int64_t i) const {
    if (i < 0) i = 0;
    if (i >= bits_) return kNone;
    uint64_t pos = static_cast<uint64_t>(i);
    for (size_t level = 0; level <= upper_.size(); ++level) {
      uint64_t w = pos >> 6;
      if (w >= words_at(level)) return kNone;
      uint64_t bits = word_at(level, w) & (~uint64_t{0} << (pos & 63));
      if (bits) {
        pos = (w << 6) | static_cast<uint64_t>(__builtin_ctzll(bits));
        while (level-- > 0) pos = (pos << 6) | static_cast<uint64_t>(__builtin_ctzll(word_at(level, pos)));
        return static_cast<int64_t>(pos);
      }
      pos = w + 1;
    }
    return kNone;
  }

  // Highest set bit <= i, or kNone.
  int64_t find_prev(int64_t i) const {
    if (i < 0) return kNone;
    if (i >= bits_) i = bits_ - 1;
    uint64_t pos = static_cast<uint64_t>(i);
    for (size_t level = 0; level <= upper_.size(); ++level) {
      uint64_t w = pos >> 6;
      uint64_t bits = word_at(level, w) & (~uint64_t{0} >> (63 - (pos & 63)));
      if (bits) {
        pos = (w << 6) | static_cast<uint64_t>(63 - __builtin_clzll(bits));
        while (level-- > 0) pos = (pos << 6) | static_cast<uint64_t>(63 - __builtin_clzll(word_at(level, pos)));
        return static_cast<int64_t>(pos);
      }
      if (w == 0) return kNone;
      pos = w - 1;
    }
    return kNone;
  }

 private:
  static constexpr uint64_t kPageWords = 64;  // 4096 bits per bottom page

  uint64_t words_at(size_t level) const {
    return level == 0 ? (static_cast<uint64_t>(bits_) + 63) / 64 : upper_[level - 1].size();
  }

  uint64_t word_at(size_t level, uint64_t w) const {
    if (level == 0) {
      const uint64_t* p = l0_word_ptr(w);
      return p ? *p : 0;
    }
    return upper_[level - 1][w];
  }

  const uint64_t* l0_word_ptr(uint64_t w) const {
    const uint64_t* page = l0_pages_[w / kPageWords].get();
    return page ? &page[w % kPageWords] : nullptr;
  }

  uint64_t& l0_word(uint64_t w) {
    auto& page = l0_pages_[w / kPageWords];
    if (__builtin_expect(!page, 0)) page = std::make_unique<uint64_t[]>(kPageWords);  // zeroed
    return page[w % kPageWords];
  }

  int64_t bits_;
  std::vector<std::unique_ptr<uint64_t[]>> l0_pages_;
  std::vector<std::vector<uint64_t>> upper_;  // upper_[k]: bit j set iff word j of level k is non-zero
};

}  // namespace glassbook::book
