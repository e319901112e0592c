// `glassbook bench markets` (markets_workload.h): setup, then the stream generated in chunks and
// applied to a fresh engine with only the application timed, then the figures.
#include "app/bench/markets_workload.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <variant>

#include "app/bench/apply_timer.h"
#include "app/bench/markets_exchange.h"
#include "app/bench/markets_stream.h"
#include "app/bench/peak_memory.h"
#include "engine/engine.h"

namespace glassbook::app {

namespace {

using Clock = std::chrono::steady_clock;
using engine::EventKind;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void print_activity(std::ostream& out, const MarketsExchange& x) {
  const size_t n = x.by_activity.size();
  uint64_t top = 0;
  for (size_t r = 0; r < std::max<size_t>(1, n / 5); ++r) top += x.markets[x.by_activity[r]].weight;
  const double total = static_cast<double>(x.total_weight);
  out << fmt::format("  activity: Pareto by rank (shape {:.2f}): busiest market {} {:.1f}% of the commands, busiest 20% of "
                     "markets {:.1f}%, quietest {} {:.2f}%\n",
                     kParetoShape, x.config.markets[x.by_activity[0]].symbol, 100.0 * x.markets[x.by_activity[0]].weight / total,
                     100.0 * top / total, x.config.markets[x.by_activity[n - 1]].symbol,
                     100.0 * x.markets[x.by_activity[n - 1]].weight / total);
}

void print_mix(std::ostream& out, const MarketsMix& m) {
  const double t = static_cast<double>(std::max<uint64_t>(1, m.total()));
  out << fmt::format("  stream: GTC {:.1f}%, IOC {:.1f}%, cancel {:.1f}%, move {:.1f}% ({} amends), oracle {:.3f}% ({} updates)\n",
                     100.0 * m.gtc / t, 100.0 * m.ioc / t, 100.0 * m.cancels / t, 100.0 * m.amends / t, m.amends,
                     100.0 * m.oracle / t, m.oracle);
}

std::string refusal_reasons(const ApplyTimer& timer) {
  std::string s;
  for (const auto& [error, count] : timer.refused_by_error()) s += fmt::format("{} {} {}", s.empty() ? ":" : ",", error_name(error), count);
  return s;
}

}  // namespace

int run_markets_workload(std::ostream& out, const MarketsWorkloadOptions& o) {
  const MarketsExchange x = make_markets_exchange({o.spot_markets, o.perp_markets}, MarketsStream::oracle_keys(),
                                                  MarketsStream::watcher_key());
  out << fmt::format("workload 3 (full engine, many markets): seed {}, cores {}, {} accounts, {} spot + {} perpetual markets "
                     "on {} base assets, {} commands\n",
                     o.seed, std::thread::hardware_concurrency(), o.accounts, o.spot_markets, o.perp_markets, x.bases, o.commands);
  print_activity(out, x);

  auto stream = std::make_unique<MarketsStream>(x, o);
  engine::Engine eng(x.config);
  const auto t_setup = Clock::now();
  uint64_t setup_refused = 0, setup_applied = 0;
  stream->setup([&](const engine::Command& c) {
    const auto ev = eng.apply(c);
    setup_refused += ev.size() == 1 && ev[0].kind == EventKind::Rejected;
    if (o.progress && ++setup_applied % 1'000'000 == 0) *o.progress << fmt::format("  setup: {} commands\n", setup_applied) << std::flush;
  });
  out << fmt::format("  setup (untimed): {} commands (registrations, deposits, an oracle round, {} resting orders) in {:.1f} s, "
                     "{} refused\n",
                     stream->setup_commands(), stream->resting_orders(), seconds_since(t_setup), setup_refused);
  out << fmt::format("  simulated time: {} commands a second, {:.1f} s in all; every oracle source quotes every base asset "
                     "each second; funding falls due in the middle\n",
                     o.command_rate, stream->duration_us() / 1e6);

  // Chunks of a tenth of the stream (at most 2,000,000 commands): generated untimed, applied timed.
  const uint64_t chunk = std::clamp<uint64_t>((o.commands + 9) / 10, 1, 2'000'000);
  std::vector<engine::Command> cmds;
  cmds.reserve(chunk + 1);
  ApplyTimer timer(o.commands / 16 + 2);
  double applying = 0, generating = 0, oracle_total = 0, oracle_max = 0;
  uint64_t index = 0, oracle_updates = 0;
  while (!stream->done()) {
    cmds.clear();
    const auto tg = Clock::now();
    stream->next(cmds, chunk);
    generating += seconds_since(tg);
    const auto ta = Clock::now();
    for (const engine::Command& c : cmds) {
      const bool sample = (index++ & 15) == 0;
      if (!engine::is_oracle(c.body)) {
        timer.apply(eng, c, sample);
        continue;
      }
      const auto t = Clock::now();
      timer.apply(eng, c, sample);
      const double s = seconds_since(t);
      oracle_total += s;
      oracle_max = std::max(oracle_max, s);
      ++oracle_updates;
    }
    applying += seconds_since(ta);
    if (o.progress)
      *o.progress << fmt::format("  {:3.0f}%: {} commands applied, {:.0f} commands/s so far\n", 100.0 * index / o.commands, index,
                                 index / applying)
                  << std::flush;
  }

  const uint64_t n = timer.commands();
  print_mix(out, stream->mix());
  out << fmt::format("  refused: {} ({:.3f}%){}\n", timer.refused(), 100.0 * timer.refused() / n, refusal_reasons(timer));
  out << fmt::format("  trades {}, {:.0f} trades/s; {:.1f}% of commands traded\n", timer.trades(), timer.trades() / applying,
                     100.0 * timer.trading() / n);
  out << fmt::format("  oracle updates {}: mean {:.0f} us, slowest {:.1f} ms; funding payments {}, liquidations {}\n",
                     oracle_updates, oracle_updates ? 1e6 * oracle_total / oracle_updates : 0.0, 1e3 * oracle_max,
                     timer.events(EventKind::FundingPaid), timer.events(EventKind::LiquidationStarted));
  out << fmt::format("  apply latency (1 in 16 sampled): {}\n", timer.latency_summary());
  out << fmt::format("  at the end: {} resting orders, {} accounts with positions; generating took {:.1f} s (untimed), "
                     "applying {:.1f} s\n",
                     stream->resting_orders(), eng.accounts_with_positions(), generating, applying);
  out << fmt::format("  peak memory {:.0f} MiB (the generator's engine included)\n", peak_rss_mib());

  const auto tr = Clock::now();
  const crypto::Digest root = eng.state_root();
  const double root_ms = 1e3 * seconds_since(tr);
  const bool same = root == stream->shadow().state_root();
  stream.reset();
  std::vector<engine::Command>().swap(cmds);
  out << fmt::format("  resident memory once the generator's engine is freed: {:.0f} MiB (the timed engine, and what the "
                     "allocator keeps)\n",
                     current_rss_mib());
  out << fmt::format("  state root {} ({})\n", crypto::to_hex(root),
                     same ? "equal to the generator's engine" : "DIFFERS from the generator's engine");
  const Status inv = eng.check_invariants();
  out << (inv ? std::string("  invariants: hold\n") : "  invariants: broken: " + inv.to_string() + "\n");
  out << fmt::format("state root: {:.0f} ms\n", root_ms);
  out << fmt::format("markets: {:.0f} commands/s\n", n / applying);
  return same && inv ? 0 : 1;
}

}  // namespace glassbook::app
