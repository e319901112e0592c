// Workload 1: generation of the five price paths and the timed run through the
// book's C interface.
#include "app/bench/book_workload.h"

#include <algorithm>
#include <climits>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <thread>

#include "book/order_book.h"
#include "glassbook/book.h"

namespace glassbook::bench {
namespace {

// xoshiro256** seeded by splitmix64: fixed, portable sequence for a seed.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      s = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) (multiply-shift; the bias is negligible here).
  uint64_t below(uint64_t n) { return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64); }
  // True with probability num / 1000.
  bool chance(uint64_t per_mille) { return below(1000) < per_mille; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

constexpr double kMid = 10000.0;  // a tick is 1e-4 of the starting price

// Mid price (ticks) of the path at progress t in [0, 1].
int64_t mid_at(BookPath path, double t) {
  constexpr double kTwoPi = 6.283185307179586;
  double m = kMid;
  switch (path) {
    case BookPath::Normal: m = kMid * (1.0 + 0.002 * std::sin(kTwoPi * 5.0 * t)); break;
    case BookPath::Swing25: m = kMid * (1.0 + 0.25 * std::sin(kTwoPi * 2.0 * t)); break;
    case BookPath::Swing40: m = kMid * (1.0 + 0.40 * std::sin(kTwoPi * 2.0 * t)); break;
    case BookPath::FlashCrash:
      if (t < 0.40) m = kMid;
      else if (t < 0.45) m = kMid * (1.0 - 0.30 * (t - 0.40) / 0.05);  // fall of 30%
      else if (t < 0.60) m = kMid * (0.70 + 0.15 * (t - 0.45) / 0.15);  // recover half of it
      else m = kMid * 0.85;
      break;
    case BookPath::DeepStatic: m = kMid; break;
  }
  return static_cast<int64_t>(std::llround(m));
}

struct Live {
  uint64_t id;
  int64_t price;
  uint8_t side;
};

// Limit price of a GTC order (new or modified) around mid.
int64_t gtc_price(Rng& rng, BookPath path, int64_t mid, uint8_t side) {
  int64_t offset;
  if (rng.chance(20)) {
    offset = -static_cast<int64_t>(rng.below(4));  // aggressive: at or through mid
  } else if (path == BookPath::DeepStatic && rng.chance(800)) {
    offset = 20 + static_cast<int64_t>(rng.below(5000));  // far from the touch
  } else {
    offset = 1 + static_cast<int64_t>(rng.below(rng.chance(700) ? 10 : 60));
  }
  int64_t p = side == GB_BUY ? mid - offset : mid + offset;
  return std::clamp<int64_t>(p, 1, kBookBenchMaxPriceTicks);
}

}  // namespace

const char* book_path_name(BookPath path) {
  switch (path) {
    case BookPath::Normal: return "normal";
    case BookPath::Swing25: return "swing25";
    case BookPath::Swing40: return "swing40";
    case BookPath::FlashCrash: return "flash_crash";
    case BookPath::DeepStatic: return "deep_static";
  }
  return "?";
}

std::vector<BookMsg> generate_book_workload(BookPath path, uint64_t seed, size_t orders) {
  // Per new order: 0.82 cancels and 0.17 modifies, so 1.99 messages in all.
  constexpr uint64_t kAdd = 1000, kCancel = 820, kModify = 170;
  constexpr uint64_t kTotal = kAdd + kCancel + kModify;
  // Cancels and modifies start once this many orders rest (then about 0.03 of
  // the new orders stay on the book net of fills, so it grows slowly).
  const size_t book_target = path == BookPath::DeepStatic ? 40000 : 2000;
  constexpr int kThreatCandidates = 32;

  Rng rng(seed ^ (0x5851F42D4C957F2Dull * (static_cast<uint64_t>(path) + 1)));
  const double expected = static_cast<double>(orders) * kTotal / kAdd;
  std::vector<BookMsg> msgs;
  msgs.reserve(static_cast<size_t>(expected * 1.05) + 16);
  std::vector<Live> live;  // orders the generator believes rest (some were filled meanwhile)
  live.reserve(orders);
  uint64_t next_id = 1;
  size_t adds = 0;

  // A shadow book tells which orders still rest, so that cancels and modifies
  // mostly hit live orders; about 1 in 20 of those aimed at an order that has
  // meanwhile been filled is sent anyway (a cancel that lost the race).
  book::BookConfig config;
  config.max_price_ticks = kBookBenchMaxPriceTicks;
  config.max_orders = kBookBenchMaxOrders;
  config.anonymous = true;
  book::OrderBook shadow(config);
  std::vector<book::Event> events;

  // Index into `live` of the target of a cancel/modify, or live.size() for none.
  // While the mid moves, traders pull the quotes it is about to run over: the
  // target is the most threatened of a few random resting orders.
  auto pick = [&](int direction, int64_t mid) -> size_t {
    while (!live.empty()) {
      size_t k = rng.below(live.size());
      if (direction != 0) {
        auto threat = [&](const Live& l) {
          if (direction < 0) return l.side == GB_BUY ? l.price - mid : INT64_MIN;
          return l.side == GB_SELL ? mid - l.price : INT64_MIN;
        };
        for (int c = 1; c < kThreatCandidates; ++c) {
          size_t j = rng.below(live.size());
          if (threat(live[j]) > threat(live[k])) k = j;
        }
      }
      if (shadow.find(live[k].id) != nullptr || rng.chance(50)) return k;
      live[k] = live.back();
      live.pop_back();
    }
    return live.size();
  };

  while (adds < orders) {
    const double t = std::min(1.0, static_cast<double>(msgs.size()) / expected);
    const int64_t mid = mid_at(path, t);
    const int64_t ahead = mid_at(path, std::min(1.0, t + 0.001));
    const int direction = ahead > mid ? 1 : ahead < mid ? -1 : 0;
    const uint64_t r = rng.below(kTotal);
    const size_t k = r < kAdd || live.size() < book_target ? live.size() : pick(direction, mid);
    BookMsg m{};
    events.clear();
    if (k == live.size()) {
      m.type = BookMsg::Type::Add;
      m.id = next_id++;
      m.side = static_cast<uint8_t>(rng.below(2));
      m.ioc = rng.chance(150) ? 1 : 0;
      if (m.ioc) {
        int64_t through = static_cast<int64_t>(rng.below(11));
        m.price = std::clamp<int64_t>(m.side == GB_BUY ? mid + through : mid - through, 1, kBookBenchMaxPriceTicks);
        m.qty = 1 + static_cast<int64_t>(rng.below(40));
      } else {
        m.price = gtc_price(rng, path, mid, m.side);
        m.qty = 1 + static_cast<int64_t>(rng.below(100));
      }
      shadow.add(book::NewOrder{m.id, 0, static_cast<book::Side>(m.side), m.price, m.qty,
                                m.ioc ? book::TimeInForce::IOC : book::TimeInForce::GTC, book::Stp::CancelNewest},
                 events);
      if (shadow.find(m.id) != nullptr) live.push_back(Live{m.id, m.price, m.side});
      ++adds;
    } else if (r < kAdd + kCancel) {
      m.type = BookMsg::Type::Cancel;
      m.id = live[k].id;
      shadow.cancel(m.id, events);
      live[k] = live.back();
      live.pop_back();
    } else {
      m.type = BookMsg::Type::Modify;
      m.id = live[k].id;
      m.side = live[k].side;
      m.price = gtc_price(rng, path, mid, m.side);
      m.qty = 1 + static_cast<int64_t>(rng.below(100));
      live[k].price = m.price;
      shadow.modify(m.id, m.price, m.qty, events);
    }
    msgs.push_back(m);
  }
  return msgs;
}

namespace {

struct RunState {
  uint64_t hash = 0xCBF29CE484222325ull;  // FNV-1a offset basis
  uint64_t trades = 0;
  // Levels the events of one call touched (side, price), for the depth queries after it; a call
  // touching more than fit is counted once more per extra level by re-querying the last one.
  static constexpr size_t kMaxTouched = 64;
  struct Touched {
    int side;
    int64_t price;
  };
  Touched touched[kMaxTouched];
  size_t touched_count = 0;
  bool depth = false;

  void touch(int side, int64_t price) {
    touched[touched_count < kMaxTouched ? touched_count++ : kMaxTouched - 1] = Touched{side, price};
  }

  void mix(uint64_t x) {
    hash ^= x;
    hash *= 0x100000001B3ull;  // FNV prime
  }
};

void on_event(void* user, const gb_book_event* ev) {
  auto* s = static_cast<RunState*>(user);
  s->trades += ev->type == GB_EV_TRADE;
  s->mix(static_cast<uint64_t>(ev->type) | (static_cast<uint64_t>(ev->side) << 8) |
         (static_cast<uint64_t>(static_cast<uint32_t>(ev->code)) << 32));
  s->mix(ev->id);
  s->mix(ev->maker_id);
  s->mix(static_cast<uint64_t>(ev->price));
  s->mix(static_cast<uint64_t>(ev->qty));
  if (!s->depth) return;
  if (ev->type == GB_EV_TRADE) s->touch(ev->side == GB_BUY ? GB_SELL : GB_BUY, ev->price);  // the maker's level
  else s->touch(ev->side, ev->price);
  if (ev->type == GB_EV_MODIFY_ACK) s->touch(ev->side, ev->old_price);
}

// The depth a gateway would publish after a call: the quantity now at each level it touched.
void query_depth(gb_book* book, RunState& s) {
  for (size_t i = 0; i < s.touched_count; ++i) s.mix(static_cast<uint64_t>(gb_book_level_qty(book, s.touched[i].side, s.touched[i].price)));
  s.touched_count = 0;
}

}  // namespace

BookPathResult run_book_messages(BookPath path, const std::vector<BookMsg>& msgs, bool depth_queries) {
  RunState state;
  state.depth = depth_queries;
  gb_book* book = gb_book_create(kBookBenchMaxPriceTicks, kBookBenchMaxOrders, &on_event, &state);
  if (book == nullptr) return BookPathResult{path, 0, 0, 0, 0, 0};
  const auto start = std::chrono::steady_clock::now();
  for (const BookMsg& m : msgs) {
    switch (m.type) {
      case BookMsg::Type::Add: gb_book_add(book, m.id, m.side, m.price, m.qty, m.ioc); break;
      case BookMsg::Type::Cancel: gb_book_cancel(book, m.id); break;
      case BookMsg::Type::Modify: gb_book_modify(book, m.id, m.price, m.qty); break;
    }
    if (depth_queries) query_depth(book, state);
  }
  const auto stop = std::chrono::steady_clock::now();
  state.mix(static_cast<uint64_t>(gb_book_best_bid(book)));
  state.mix(static_cast<uint64_t>(gb_book_best_ask(book)));
  state.mix(gb_book_order_count(book));
  gb_book_destroy(book);
  const double seconds = std::chrono::duration<double>(stop - start).count();
  return BookPathResult{path, msgs.size(), seconds, seconds > 0 ? static_cast<double>(msgs.size()) / seconds : 0.0,
                        state.trades, state.hash};
}

int run_book_workload(std::ostream& out, uint64_t seed, size_t orders) {
  constexpr int kRuns = 3;
  out << "book workload 1: seed " << seed << ", cores " << std::thread::hardware_concurrency() << ", "
      << orders << " new orders per path, median of " << kRuns << " runs\n"
      << std::flush;
  double worst = -1, worst_depth = -1;
  int rc = 0;
  for (BookPath path : kBookPaths) {
    const std::vector<BookMsg> msgs = generate_book_workload(path, seed, orders);
    std::vector<BookPathResult> runs, depth_runs;
    for (int i = 0; i < kRuns; ++i) runs.push_back(run_book_messages(path, msgs));
    for (int i = 0; i < kRuns; ++i) depth_runs.push_back(run_book_messages(path, msgs, true));
    std::sort(depth_runs.begin(), depth_runs.end(),
              [](const BookPathResult& a, const BookPathResult& b) { return a.msgs_per_sec < b.msgs_per_sec; });
    const double depth_rate = depth_runs[kRuns / 2].msgs_per_sec;
    if (worst_depth < 0 || depth_rate < worst_depth) worst_depth = depth_rate;
    for (const BookPathResult& r : runs) {
      if (r.hash != runs[0].hash || r.trades != runs[0].trades) {
        out << "book[" << book_path_name(path) << "]: runs disagree (nondeterminism)\n";
        rc = 1;
      }
    }
    std::sort(runs.begin(), runs.end(),
              [](const BookPathResult& a, const BookPathResult& b) { return a.msgs_per_sec < b.msgs_per_sec; });
    const BookPathResult& median = runs[kRuns / 2];
    char hash[24];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(median.hash));
    out << "book[" << book_path_name(path) << "]: " << static_cast<uint64_t>(median.msgs_per_sec)
        << " msgs/s (trades " << median.trades << ", hash " << hash << ")  [" << median.messages << " msgs in "
        << median.seconds << " s]; with depth queries " << static_cast<uint64_t>(depth_rate) << " msgs/s\n"
        << std::flush;
    if (worst < 0 || median.msgs_per_sec < worst) worst = median.msgs_per_sec;
  }
  out << "book worst: " << static_cast<uint64_t>(worst < 0 ? 0 : worst) << " msgs/s\n"
      << "book worst with depth queries: " << static_cast<uint64_t>(worst_depth < 0 ? 0 : worst_depth) << " msgs/s\n"
      << std::flush;
  return rc;
}

}  // namespace glassbook::bench
