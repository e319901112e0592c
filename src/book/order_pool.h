// OrderPool: fixed-capacity storage of resting orders addressed by uint32 index;
// no allocation after construction, slots are touched only when first used.
#pragma once
#include "core/assert.h"
#include <cstdint>
#include <memory>

#include "book/order.h"

namespace glassbook::book {

class OrderPool {
 public:
  explicit OrderPool(uint32_t capacity)
      // Default-initialised (not zeroed): the OS commits pages on first use only.
      : slots_(new Order[capacity]), capacity_(capacity) {}

  OrderPool(const OrderPool&) = delete;
  OrderPool& operator=(const OrderPool&) = delete;
  OrderPool(OrderPool&&) noexcept = default;
  OrderPool& operator=(OrderPool&&) noexcept = default;

  bool full() const { return used_ == capacity_; }
  uint32_t used() const { return used_; }
  uint32_t capacity() const { return capacity_; }

  // Precondition: !full().
  uint32_t allocate() {
    GB_ASSERT(!full());
    ++used_;
    if (free_head_ != kNil) {  // LIFO reuse keeps recently freed slots hot in cache
      uint32_t i = free_head_;
      free_head_ = slots_[i].next;
      return i;
    }
    return high_water_++;
  }

  void release(uint32_t i) {
    GB_ASSERT(i < high_water_ && used_ > 0);
    --used_;
    slots_[i].next = free_head_;
    slots_[i].remaining = 0;
    free_head_ = i;
  }

  Order& operator[](uint32_t i) { return slots_[i]; }
  const Order& operator[](uint32_t i) const { return slots_[i]; }

 private:
  std::unique_ptr<Order[]> slots_;
  uint32_t capacity_;
  uint32_t used_ = 0;
  uint32_t high_water_ = 0;  // slots [0, high_water_) have been handed out at least once
  uint32_t free_head_ = kNil;
};

}  // namespace glassbook::book
