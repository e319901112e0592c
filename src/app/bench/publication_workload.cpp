// `glassbook bench publication` (publication_workload.h).
#include "app/bench/publication_workload.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "app/bench/apply_timer.h"
#include "app/bench/engine_workload.h"
#include "proofs/audit.h"

namespace glassbook::app {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
}  // namespace

int run_publication_bench(std::ostream& out, const PublicationBenchOptions& o) {
  EngineWorkloadOptions wo;
  wo.seed = o.seed;
  wo.commands = o.commands;
  wo.accounts = o.accounts;
  engine::ExchangeConfig config = engine::demo_config(workload_watcher().public_key());
  const crypto::KeyPair proof_key = crypto::KeyPair::from_seed(crypto::seed_from_label("bench/proof"));
  config.proof_key = proof_key.public_key();
  fmt::print(out, "generating the engine workload: {} accounts, {} timed commands...\n", o.accounts, o.commands);
  out.flush();
  const EngineStream stream = generate_engine_stream(wo, config);
  engine::Engine eng(config);
  for (size_t i = 0; i < stream.setup; ++i) eng.apply(stream.commands[i]);
  const size_t half = stream.setup + (stream.commands.size() - stream.setup) / 2;

  ApplyTimer alone((half - stream.setup) / 16 + 1);
  auto t0 = Clock::now();
  for (size_t i = stream.setup; i < half; ++i) alone.apply(eng, stream.commands[i], (i & 15) == 0);
  const double alone_ms = ms_since(t0);

  // The copy a node makes on its engine thread (Node::on_applied_batch): state root and snapshot bytes.
  t0 = Clock::now();
  const crypto::Digest root = eng.state_root();
  std::string copy = eng.snapshot();
  const double copy_ms = ms_since(t0);

  std::atomic<bool> done{false};
  std::atomic<uint64_t> builds{0};
  std::atomic<bool> failed{false};
  double build_ms_total = 0;
  std::string failure;
  std::thread builder([&] {
    while (!done.load()) {
      const auto b0 = Clock::now();
      auto restored = engine::Engine::restore(copy);
      if (!restored || (*restored)->state_root() != root) {
        failure = restored ? "the restored state root differs" : restored.status().to_string();
        failed = true;
        return;
      }
      proofs::TreeOptions to;
      to.threads = o.threads;
      auto built = proofs::build_liabilities(**restored, proof_key, to);
      if (!built) {
        failure = built.status().to_string();
        failed = true;
        return;
      }
      build_ms_total += ms_since(b0);
      ++builds;
    }
  });
  ApplyTimer during((stream.commands.size() - half) / 16 + 1);
  t0 = Clock::now();
  for (size_t i = half; i < stream.commands.size(); ++i) during.apply(eng, stream.commands[i], (i & 15) == 0);
  const double during_ms = ms_since(t0);
  done = true;
  builder.join();
  if (failed) return fmt::print(out, "publication: build failed: {}\n", failure), 1;

  fmt::print(out, "state copy on the engine thread (state root + snapshot of {} bytes): {:.1f} ms\n", copy.size(), copy_ms);
  fmt::print(out, "without a build: {} commands in {:.0f} ms; apply latency (1 in 16 sampled): {}\n", alone.commands(), alone_ms,
             alone.latency_summary());
  fmt::print(out, "during builds:   {} commands in {:.0f} ms; apply latency (1 in 16 sampled): {}\n", during.commands(), during_ms,
             during.latency_summary());
  fmt::print(out, "builds (restore + tree of {} accounts on {} thread(s)) completed meanwhile: {}, {:.0f} ms each\n", o.accounts,
             o.threads, builds.load(), builds ? build_ms_total / static_cast<double>(builds.load()) : 0.0);
  return 0;
}

}  // namespace glassbook::app
