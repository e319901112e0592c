// Micro-benchmarks of the RFC 6962 Merkle log: leaf hashing, append, roots, inclusion and consistency proofs.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "crypto/merkle.h"

namespace {
using namespace glassbook::crypto;

std::vector<uint8_t> leaf_bytes(size_t size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint8_t> v(size);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

// A log of n leaves (built once per size and reused across benchmarks).
const MerkleLog& log_of_size(uint64_t n) {
  static std::map<uint64_t, MerkleLog> cache;  // node-based: references stay valid
  if (auto it = cache.find(n); it != cache.end()) return it->second;
  MerkleLog& log = cache[n];
  Digest h{};
  for (uint64_t i = 0; i < n; ++i) {
    h[0] = static_cast<uint8_t>(i);
    h[1] = static_cast<uint8_t>(i >> 8);
    h[2] = static_cast<uint8_t>(i >> 16);
    h[3] = static_cast<uint8_t>(i >> 24);
    log.append_leaf_hash(h);
  }
  return log;
}

// SHA-256(0x00 || leaf) for leaves of range(0) bytes.
void BM_LeafHash(benchmark::State& state) {
  const auto leaf = leaf_bytes(static_cast<size_t>(state.range(0)), 1);
  for (auto _ : state) benchmark::DoNotOptimize(leaf_hash(leaf));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LeafHash)->Arg(32)->Arg(200)->Arg(4096);

void BM_NodeHash(benchmark::State& state) {
  Digest a{}, b{};
  b[0] = 1;
  for (auto _ : state) {
    a = node_hash(a, b);
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NodeHash);

// Append of a 200-byte leaf (leaf hash plus amortised ~1 node hash); the log grows across iterations.
void BM_Append(benchmark::State& state) {
  const auto leaf = leaf_bytes(200, 2);
  MerkleLog log;
  for (auto _ : state) log.append(leaf);
  state.SetItemsProcessed(state.iterations());
  state.counters["log_size"] = static_cast<double>(log.size());
}
BENCHMARK(BM_Append);

// Append of a precomputed leaf hash (a batch's hash computed elsewhere): node hashing and storage only.
void BM_AppendLeafHash(benchmark::State& state) {
  MerkleLog log;
  Digest h{};
  uint64_t i = 0;
  for (auto _ : state) {
    h[0] = static_cast<uint8_t>(++i);
    log.append_leaf_hash(h);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AppendLeafHash);

// Root of the whole log; size 2^k - 1 is the worst case (k peaks to fold).
void BM_Root(benchmark::State& state) {
  const MerkleLog& log = log_of_size(static_cast<uint64_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(log.root());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Root)->Arg(1 << 10)->Arg((1 << 20) - 1);

void BM_RootAt(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  const MerkleLog& log = log_of_size(n);
  std::mt19937_64 rng(3);
  for (auto _ : state) benchmark::DoNotOptimize(log.root_at(1 + rng() % n));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RootAt)->Arg((1 << 20) - 1);

void BM_InclusionProof(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  const MerkleLog& log = log_of_size(n);
  std::mt19937_64 rng(4);
  for (auto _ : state) benchmark::DoNotOptimize(log.inclusion_proof(rng() % n, n));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InclusionProof)->Arg(1 << 10)->Arg((1 << 20) - 1);

void BM_VerifyInclusion(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  const MerkleLog& log = log_of_size(n);
  const Digest root = log.root();
  // Leaf n - 2 (its proof has the full length); its leaf hash is how log_of_size built it.
  const uint64_t i = n - 2;
  Digest leaf{};
  leaf[0] = static_cast<uint8_t>(i);
  leaf[1] = static_cast<uint8_t>(i >> 8);
  leaf[2] = static_cast<uint8_t>(i >> 16);
  leaf[3] = static_cast<uint8_t>(i >> 24);
  const auto proof = *log.inclusion_proof(i, n);
  if (!verify_inclusion(leaf, i, n, proof, root)) state.SkipWithError("proof does not verify");
  for (auto _ : state) benchmark::DoNotOptimize(verify_inclusion(leaf, i, n, proof, root));
  state.SetItemsProcessed(state.iterations());
  state.counters["proof_len"] = static_cast<double>(proof.size());
}
BENCHMARK(BM_VerifyInclusion)->Arg(1 << 10)->Arg((1 << 20) - 1);

void BM_ConsistencyProof(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  const MerkleLog& log = log_of_size(n);
  std::mt19937_64 rng(5);
  for (auto _ : state) benchmark::DoNotOptimize(log.consistency_proof(1 + rng() % (n - 1), n));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ConsistencyProof)->Arg(1 << 10)->Arg((1 << 20) - 1);

void BM_VerifyConsistency(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  const MerkleLog& log = log_of_size(n);
  const uint64_t m = n / 3;  // not a power of two: the proof carries the old root's pieces
  const Digest old_root = *log.root_at(m);
  const Digest new_root = log.root();
  const auto proof = *log.consistency_proof(m, n);
  if (!verify_consistency(m, n, old_root, new_root, proof)) state.SkipWithError("proof does not verify");
  for (auto _ : state) benchmark::DoNotOptimize(verify_consistency(m, n, old_root, new_root, proof));
  state.SetItemsProcessed(state.iterations());
  state.counters["proof_len"] = static_cast<double>(proof.size());
}
BENCHMARK(BM_VerifyConsistency)->Arg(1 << 10)->Arg((1 << 20) - 1);

}  // namespace
