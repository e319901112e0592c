// IndexMap: open-addressing hash map from an integer key (order id, account id)
// to a uint32 index. Power-of-two table, linear probing, backward-shift delete
// (no tombstones), load factor <= 1/2; doubles when needed, so once the peak
// population has been seen no operation allocates. reserve() pre-sizes it.
#pragma once
#include "core/assert.h"
#include <cstddef>
#include <cstdint>
#include <vector>

namespace glassbook::book {

template <class Key>
class IndexMap {
 public:
  static constexpr uint32_t kEmpty = 0xFFFFFFFFu;

  explicit IndexMap(size_t initial_capacity = 1024) { rebuild(round_up(initial_capacity)); }

  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }

  // Makes room for n keys without further growth.
  void reserve(size_t n) {
    if (n * 2 > slots_.size()) rebuild(round_up(n * 2));
  }

  // The value for key, or kEmpty.
  uint32_t find(Key key) const {
    size_t i = home(key);
    for (;;) {
      const Slot& s = slots_[i];
      if (s.value == kEmpty) return kEmpty;
      if (s.key == key) return s.value;
      i = (i + 1) & mask_;
    }
  }

  // Precondition: key is absent and value != kEmpty.
  void insert(Key key, uint32_t value) {
    GB_ASSERT(value != kEmpty);
    if ((size_ + 1) * 2 > slots_.size()) rebuild(slots_.size() * 2);
    size_t i = home(key);
    while (slots_[i].value != kEmpty) {
      GB_ASSERT(slots_[i].key != key);
      i = (i + 1) & mask_;
    }
    slots_[i] = Slot{key, value};
    ++size_;
  }

  // Removes key; returns false when it was absent.
  bool erase(Key key) {
    size_t i = home(key);
    for (;;) {
      if (slots_[i].value == kEmpty) return false;
      if (slots_[i].key == key) break;
      i = (i + 1) & mask_;
    }
    // Backward shift: pull later members of the probe run into the hole when the
    // hole lies on their path from their home slot.
    size_t hole = i;
    size_t j = i;
    for (;;) {
      j = (j + 1) & mask_;
      if (slots_[j].value == kEmpty) break;
      size_t h = home(slots_[j].key);
      // Move j into hole unless h lies cyclically in (hole, j].
      bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
      if (!stays) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole].value = kEmpty;
    --size_;
    return true;
  }

  // Replaces the value of a present key.
  void update(Key key, uint32_t value) {
    size_t i = home(key);
    while (slots_[i].key != key || slots_[i].value == kEmpty) i = (i + 1) & mask_;
    slots_[i].value = value;
  }

 private:
  struct Slot {
    Key key;
    uint32_t value;
  };

  static size_t round_up(size_t n) {
    size_t c = 16;
    while (c < n) c *= 2;
    return c;
  }

  size_t home(Key key) const {
    // Fibonacci hashing: spreads sequential ids over the whole table.
    return static_cast<size_t>((static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  void rebuild(size_t capacity) {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(capacity, Slot{Key{}, kEmpty});
    mask_ = capacity - 1;
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(capacity));
    size_ = 0;
    for (const Slot& s : old) {
      if (s.value == kEmpty) continue;
      size_t i = home(s.key);
      while (slots_[i].value != kEmpty) i = (i + 1) & mask_;
      slots_[i] = s;
      ++size_;
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  unsigned shift_ = 64;
  size_t size_ = 0;
};

}  // namespace glassbook::book
