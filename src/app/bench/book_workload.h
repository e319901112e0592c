// Benchmark workload 1 (book only, docs in /work/shared/bench-workload.md): a
// deterministic message generator for five price paths and a runner that drives
// the book through its C interface and reports rate, trades and a state hash.
#pragma once
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <vector>

namespace glassbook::bench {

enum class BookPath : uint8_t { Normal, Swing25, Swing40, FlashCrash, DeepStatic };
inline constexpr BookPath kBookPaths[] = {BookPath::Normal, BookPath::Swing25, BookPath::Swing40,
                                          BookPath::FlashCrash, BookPath::DeepStatic};
// "normal", "swing25", "swing40", "flash_crash", "deep_static".
const char* book_path_name(BookPath path);

// One message to the book (32 bytes).
struct BookMsg {
  enum class Type : uint8_t { Add, Cancel, Modify };
  Type type;
  uint8_t side;  // GB_BUY / GB_SELL (Add)
  uint8_t ioc;   // Add: 1 = IOC, 0 = GTC
  uint64_t id;
  int64_t price;  // Add, Modify
  int64_t qty;    // Add, Modify
};

// Limits of the benchmark's book.
inline constexpr int64_t kBookBenchMaxPriceTicks = int64_t{1} << 20;
inline constexpr uint32_t kBookBenchMaxOrders = 1u << 18;

// `orders` new orders (15% IOC) interleaved with about 0.82 cancels and 0.17
// modifies per new order. Same (path, seed, orders) -> same messages.
std::vector<BookMsg> generate_book_workload(BookPath path, uint64_t seed, size_t orders);

struct BookPathResult {
  BookPath path;
  uint64_t messages;
  double seconds;
  double msgs_per_sec;
  uint64_t trades;
  uint64_t hash;  // 64-bit FNV-1a over the callback stream and the final best prices / order count
};

// Runs the messages through a fresh gb_book (C interface); only the loop is timed. With
// `depth_queries`, after each call the harness asks the book for the resting quantity at every
// price the call's events touched (gb_book_level_qty), as a gateway keeping depth would.
BookPathResult run_book_messages(BookPath path, const std::vector<BookMsg>& msgs, bool depth_queries = false);

// Generates and runs every path (each 3 times, reporting the median rate and
// checking the hashes agree), printing seed, core count, one
// "book[<path>]: N msgs/s (trades T, hash H)" line per path and
// "book worst: N msgs/s". Returns 0, or 1 when two runs of a path disagree.
int run_book_workload(std::ostream& out, uint64_t seed, size_t orders);

}  // namespace glassbook::bench
