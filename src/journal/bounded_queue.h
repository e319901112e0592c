// A fixed-capacity FIFO ring over slots allocated once, up front; not synchronized (its owner locks).
#pragma once
#include "core/assert.h"
#include <cstddef>
#include <utility>
#include <vector>

namespace glassbook::journal {

// Holds at most capacity() items. try_push refuses (returns false, leaving `item` untouched) when
// full, so a producer learns about back-pressure instead of growing the queue. Items are moved in
// and out of slots that live as long as the queue: after construction neither push nor pop
// allocates (moving a std::string or std::function out of a slot leaves the slot empty).
//
// Invariant: 0 <= size_ <= slots_.size(); the items are slots_[head_], slots_[head_ + 1], ...
// (indices modulo capacity), oldest first.
template <class T>
class BoundedQueue {
 public:
  static constexpr size_t kMaxCapacity = size_t{1} << 24;

  explicit BoundedQueue(size_t capacity) : slots_(capacity) {
    GB_ASSERT(capacity > 0 && capacity <= kMaxCapacity);
  }
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  size_t capacity() const { return slots_.size(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == slots_.size(); }

  // Appends `item` at the back, or returns false (and does not touch `item`) when full.
  bool try_push(T& item) {
    if (full()) return false;
    size_t tail = head_ + size_;
    if (tail >= slots_.size()) tail -= slots_.size();
    slots_[tail] = std::move(item);
    ++size_;
    return true;
  }

  // Removes and returns the oldest item. Precondition: !empty().
  T pop() {
    GB_ASSERT(!empty());
    T out = std::move(slots_[head_]);
    if (++head_ == slots_.size()) head_ = 0;
    --size_;
    return out;
  }

 private:
  std::vector<T> slots_;
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace glassbook::journal
