// The demo oracle feeder: rounds of signed source updates on a wall-clock pace, their refusals logged.
#include "app/demo_oracle.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "app/demo_perpetuals.h"
#include "journal/sequencer_submission.h"

namespace glassbook::app {
namespace {


// Logs the first few of a kind of failure, then every 1000th, so a long outage cannot flood the log.
bool worth_logging(uint64_t nth) { return nth <= 5 || nth % 1000 == 0; }

}  // namespace

struct DemoOracle::Shared {
  std::atomic<uint64_t> submitted{0}, applied{0}, refused{0};
};

DemoOracle::DemoOracle(journal::Node& node, const DemoKeys& keys, DemoOracleOptions o)
    : node_(node),
      keys_(keys.oracle_sources.begin(),
            keys.oracle_sources.begin() + std::min<size_t>(o.sources, keys.oracle_sources.size())),
      options_(o),
      walk_(demo_oracle_assets(), static_cast<int>(keys_.size()), o.interval_seconds, keys_.size() > kDemoOracleQuorum, o.seed),
      references_(walk_.assets().size()),
      shared_(std::make_shared<Shared>()) {
  if (keys_.empty()) return;
  fmt::print("oracle feeder: {} sources (quorum {}), a round every {:g} s, seed {}\n", keys_.size(), kDemoOracleQuorum,
             o.interval_seconds, o.seed);
  // The first round, waited for: the index exists before anyone trades a perpetual.
  auto pending = std::make_shared<std::atomic<int>>(0);
  submit_round(pending);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (pending->load() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (pending->load() > 0) fmt::print(stderr, "oracle: the first round was not durable within 10 s\n");
  std::fflush(stdout);
  thread_ = std::thread([this] { run(); });
}

DemoOracle::~DemoOracle() { stop(); }

void DemoOracle::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t DemoOracle::reference(AssetId asset) const {
  for (size_t i = 0; i < walk_.assets().size(); ++i)
    if (walk_.assets()[i].asset == asset) return references_[i].load(std::memory_order_relaxed);
  return 0;
}

DemoOracle::Counts DemoOracle::counts() const {
  return Counts{shared_->submitted.load(), shared_->applied.load(), shared_->refused.load()};
}

void DemoOracle::submit_round(const std::shared_ptr<std::atomic<int>>& pending) {
  const bool was_silent = walk_.silent_rounds() > 0;
  auto round = walk_.next_round();
  for (size_t i = 0; i < walk_.assets().size(); ++i) references_[i].store(walk_.reference(i), std::memory_order_relaxed);
  const bool silent = walk_.silent_rounds() > 0;
  if (silent != was_silent) {
    if (silent)
      fmt::print("oracle: source {} is late for about {:.0f} s: its last price goes stale after 10 s\n", walk_.late_source(),
                 walk_.silent_rounds() * options_.interval_seconds);
    else
      fmt::print("oracle: source {} speaks again\n", walk_.late_source());
    std::fflush(stdout);
  }
  // Each source signs its own time into its report (strictly later than its previous one): the
  // engine judges freshness from it, and the gateway refuses the unsigned-time OracleUpdate.
  const Timestamp wall_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
  if (last_signed_.size() < keys_.size()) last_signed_.resize(keys_.size(), 0);
  for (auto& [source, update] : round) {
    Timestamp& last = last_signed_[static_cast<size_t>(source)];
    last = std::max(wall_us, last + 1);
    auto sc = engine::sign_command(keys_[static_cast<size_t>(source)], 0, 0, engine::OracleReport{last, std::move(update.quotes)});
    if (pending) pending->fetch_add(1);
    auto shared = shared_;
    auto ticket = node_.submit(journal::submission_of(sc), [shared, pending, source](SeqNo seq, Timestamp, std::span<const engine::Event> events) {
      bool refused = false;
      for (const auto& e : events) {
        if (e.kind != engine::EventKind::Rejected) continue;
        refused = true;
        if (worth_logging(shared->refused.fetch_add(1) + 1))
          fmt::print(stderr, "oracle: source {}'s update (seq {}) refused: {}\n", source, seq, error_name(e.error));
      }
      if (!refused) shared->applied.fetch_add(1);
      if (pending) pending->fetch_sub(1);
    });
    if (!ticket) {
      if (pending) pending->fetch_sub(1);
      if (worth_logging(shared_->refused.fetch_add(1) + 1))
        fmt::print(stderr, "oracle: source {}'s update not accepted: {}\n", source, ticket.status().to_string());
      continue;
    }
    shared_->submitted.fetch_add(1);
  }
}

void DemoOracle::run() {
  const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(std::max(1e-3, options_.interval_seconds)));
  auto next = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  for (;;) {
    next += interval;
    if (wake_.wait_until(lock, next, [this] { return stop_; })) return;
    // A stall (a suspended process) is not caught up with a burst of rounds.
    next = std::max(next, std::chrono::steady_clock::now() - interval);
    lock.unlock();
    submit_round(nullptr);
    lock.lock();
  }
}

}  // namespace glassbook::app
