// `glassbook bench proof` (proof_workload.h).
#include "app/bench/proof_workload.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <chrono>
#include <ctime>
#include <random>

#include "app/bench/peak_memory.h"
#include "proofs/liabilities_tree.h"
#include "proofs/proof_json.h"
#include "proofs/verify.h"

namespace glassbook::app {

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
// The process's CPU time over all its threads: on a shared machine the wall time of a build also
// counts the other processes' turns.
double cpu_ms() { return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

proofs::LiabilityTable random_table(uint64_t count, unsigned assets, uint64_t seed) {
  std::mt19937_64 rng(seed);
  proofs::LiabilityTable t;
  t.snapshot_id = crypto::sha256(fmt::format("bench snapshot {}", seed));
  t.checkpoint_seq = seed;
  for (unsigned x = 0; x < assets; ++x) t.assets.push_back(fmt::format("A{}", x));
  t.accounts.resize(count);
  t.values.resize(count * assets);
  for (uint64_t i = 0; i < count; ++i) {
    t.accounts[i] = static_cast<AccountId>(kFirstCustomer + i);
    for (unsigned x = 0; x < assets; ++x) t.values[i * assets + x] = rng() % 5 == 0 ? 0 : rng() >> 14;
  }
  return t;
}

}  // namespace

int run_proof_bench(std::ostream& out, const ProofBenchOptions& o) {
  const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label("bench/proof"));
  const crypto::Seed seed = key.seed();
  const proofs::Digest secret = proofs::proof_secret(seed);
  int failures = 0;
  for (uint64_t count : o.accounts) {
    const auto table = random_table(count, o.assets, o.seed);
    fmt::print(out, "building the liabilities tree of {} accounts x {} assets on {} thread(s)...\n", count, o.assets, o.threads);
    out.flush();
    proofs::TreeOptions options;
    options.threads = o.threads;
    const auto t0 = Clock::now();
    const double cpu0 = cpu_ms();
    auto tree = proofs::LiabilitiesTree::build(table, secret, options);
    if (!tree) {
      fmt::print(out, "proof: build failed: {}\n", tree.status().to_string());
      return 1;
    }
    auto root = tree->root(table);
    proofs::sign_root(root, key);
    const double build_ms = ms_since(t0), build_cpu_ms = cpu_ms() - cpu0;

    std::mt19937_64 rng(o.seed + 1);
    double generate_ms = 0, json_ms = 0, parse_ms = 0, verify_ms = 0;
    size_t bytes = 0;
    for (unsigned i = 0; i < o.proofs; ++i) {
      const AccountId a = table.accounts[rng() % count];
      auto t = Clock::now();
      auto proof = tree->proof(a);
      generate_ms += ms_since(t);
      t = Clock::now();
      const std::string json = proofs::proof_to_json(*proof);
      json_ms += ms_since(t);
      bytes = json.size();
      proofs::InclusionProof parsed;
      t = Clock::now();
      const auto parse_status = proofs::proof_from_json(json, parsed);
      parse_ms += ms_since(t);
      t = Clock::now();
      const auto status = proofs::verify_inclusion(parsed, root, key.public_key());
      verify_ms += ms_since(t);
      if (!parse_status.ok() || !status.ok()) ++failures;
    }
    const double n = o.proofs;
    fmt::print(out, "proof: build {:.0f} ms at {} accounts x {} assets ({} threads, depth {}, {} leaves; CPU {:.0f} ms over all threads)\n",
               build_ms, count, o.assets, o.threads, tree->depth(), uint64_t{1} << tree->depth(), build_cpu_ms);
    fmt::print(out, "  one proof: {} bytes of JSON; generated in {:.1f} us, written in {:.1f} us, parsed in {:.1f} us, verified in {:.1f} us "
                    "(mean of {})\n",
               bytes, generate_ms * 1000 / n, json_ms * 1000 / n, parse_ms * 1000 / n, verify_ms * 1000 / n, o.proofs);
    fmt::print(out, "  peak memory {:.0f} MiB\n", peak_rss_mib());
  }
  fmt::print(out, "proofs refused: {}\n", failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace glassbook::app
