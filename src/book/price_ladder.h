// PriceLadder: the price levels of one side, a dense array indexed by ticks and
// allocated lazily in pages of 4096 levels (96 KiB), so a wide, mostly empty
// price range costs only its page table (8 B per 4096 ticks).
#pragma once
#include "core/assert.h"
#include <cstdint>
#include <memory>
#include <vector>

#include "book/order.h"
#include "book/types.h"

namespace glassbook::book {

// One price level: FIFO of resting orders (pool indices) with aggregates.
struct PriceLevel {
  uint32_t head;   // oldest order (first to match), valid when count > 0
  uint32_t tail;   // newest order
  uint32_t count;  // resting orders
  Lots qty;        // sum of their remaining quantities
};

class PriceLadder {
 public:
  static constexpr unsigned kPageBits = 12;
  static constexpr Ticks kPageSize = Ticks{1} << kPageBits;

  explicit PriceLadder(Ticks max_price)
      : max_price_(max_price), pages_(static_cast<size_t>((max_price >> kPageBits) + 1)) {}

  Ticks max_price() const { return max_price_; }

  // The level at price p, allocating its page on first use. 1 <= p <= max_price.
  PriceLevel& at(Ticks p) {
    GB_ASSERT(p >= 1 && p <= max_price_);
    PriceLevel* page = pages_[static_cast<size_t>(p >> kPageBits)].get();
    if (__builtin_expect(page == nullptr, 0)) page = allocate_page(p);
    return page[p & (kPageSize - 1)];
  }

  // The level at price p, or nullptr when its page was never used.
  const PriceLevel* find(Ticks p) const {
    if (p < 1 || p > max_price_) return nullptr;
    const PriceLevel* page = pages_[static_cast<size_t>(p >> kPageBits)].get();
    return page ? &page[p & (kPageSize - 1)] : nullptr;
  }

  size_t pages_allocated() const { return pages_allocated_; }

 private:
  PriceLevel* allocate_page(Ticks p) {
    auto page = std::make_unique<PriceLevel[]>(kPageSize);
    for (Ticks i = 0; i < kPageSize; ++i) page[i] = PriceLevel{kNil, kNil, 0, 0};
    PriceLevel* raw = page.get();
    pages_[static_cast<size_t>(p >> kPageBits)] = std::move(page);
    ++pages_allocated_;
    return raw;
  }

  Ticks max_price_;
  std::vector<std::unique_ptr<PriceLevel[]>> pages_;
  size_t pages_allocated_ = 0;
};

}  // namespace glassbook::book
