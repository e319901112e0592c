// Journal benchmark over workload 2's command stream (shared/bench-workload.md): a node appending
// with group commit, a long journal written directly and replayed, a signed one replayed with
// signature checks on all cores, and recovery from snapshot + tail.
#include "app/bench/journal_workload.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "app/bench/engine_workload.h"
#include "app/bench/state_root_workload.h"
#include "core/worker_pool.h"
#include "crypto/compact_range.h"
#include "engine/engine.h"
#include "journal/audit.h"
#include "journal/checkpoint_log.h"
#include "journal/genesis.h"
#include "journal/node.h"
#include "journal/node_state.h"
#include "journal/snapshot_store.h"
#include "journal/tile_store.h"
#include "journal/writer.h"

namespace glassbook::app {

namespace {

using Clock = std::chrono::steady_clock;
constexpr Timestamp kStart = 1'767'225'600'000'000;
constexpr const char* kOrigin = "bench.glassbook.local/journal";

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

crypto::KeyPair log_key() { return crypto::KeyPair::from_seed(crypto::seed_from_label("bench/log")); }

engine::ExchangeConfig bench_config() {
  engine::ExchangeConfig c = engine::demo_config(workload_watcher().public_key());
  c.log_key = log_key().public_key();
  return c;
}

journal::Record record_of(const engine::Command& c, SeqNo seq, const crypto::KeyPair* signer) {
  journal::Record r;
  r.seq = seq;
  r.timestamp = kStart + static_cast<Timestamp>(seq);
  r.kind = static_cast<uint8_t>(c.body.index());
  r.signed_bytes = engine::signing_bytes(c.body);
  r.signer = c.signer;
  if (signer) r.signature = signer->sign(r.signed_bytes);
  return r;
}

// Writes genesis + `cmds` into `dir` directly (no sequencer), applying them to an engine so that a
// checkpoint every `checkpoint_every` records and one snapshot at `snapshot_seq` carry true state.
// Signatures are real when `sign` (on all cores), zero otherwise.
Status write_journal(const std::string& dir, const std::vector<engine::Command>& cmds, bool sign,
                     uint64_t checkpoint_every, SeqNo snapshot_seq) {
  std::map<crypto::PublicKey, crypto::KeyPair> keys;
  if (sign) {
    for (uint32_t i = 0; i < EngineWorkloadOptions{}.accounts; ++i) {
      auto k = workload_key(i);
      keys.emplace(k.public_key(), k);
    }
    auto w = workload_watcher();
    keys.emplace(w.public_key(), w);
  }
  auto writer = journal::JournalWriter::open(dir);
  if (!writer) return writer.status();
  auto cplog = journal::CheckpointLogWriter::open(dir);
  if (!cplog) return cplog.status();
  const engine::ExchangeConfig config = bench_config();
  engine::Engine eng(config);
  crypto::CompactRange merkle;
  if (auto s = (*writer)->append(journal::make_genesis(config, log_key(), kStart)); !s) return s;

  WorkerPool pool;
  constexpr size_t kGroup = 4096;
  std::vector<journal::Record> group;
  for (size_t begin = 0; begin < cmds.size(); begin += kGroup) {
    const size_t end = std::min(cmds.size(), begin + kGroup);
    group.resize(end - begin);
    const auto build = [&](size_t i) {
      const engine::Command& c = cmds[begin + i];
      group[i] = record_of(c, begin + i + 1, sign ? &keys.at(c.signer) : nullptr);
      return true;
    };
    if (sign) pool.first_failure(group.size(), build);
    else for (size_t i = 0; i < group.size(); ++i) build(i);
    for (size_t i = 0; i < group.size(); ++i) {
      const SeqNo seq = begin + i + 1;
      engine::Command c = cmds[begin + i];
      c.seq = seq;
      c.timestamp = group[i].timestamp;
      eng.apply(c);
      if (auto s = (*writer)->append(std::move(group[i])); !s) return s;
      const bool checkpoint = seq % checkpoint_every == 0 || seq == cmds.size();
      if (checkpoint || seq == snapshot_seq || (*writer)->buffered_bytes() > (size_t{8} << 20)) {
        auto synced = (*writer)->sync();
        if (!synced) return synced.status();
        for (const auto& h : (*writer)->last_synced().hashes) merkle.append(h);
        if (checkpoint) {
          journal::Checkpoint cp{kOrigin, merkle.size(), merkle.root(), eng.state_root(), {}};
          auto note = journal::sign_checkpoint(cp, kOrigin, log_key());
          if (!note) return note.status();
          if (auto s = (*cplog)->append(note.value()); !s) return s;
        }
        if (seq == snapshot_seq) {
          journal::SnapshotMeta meta{seq, (*writer)->last_synced().hashes.back(), eng.state_root(), c.timestamp,
                                     journal::kNodeStateFormat};
          journal::NodeState state{eng.snapshot(), merkle};
          if (auto s = journal::write_snapshot(dir, meta, journal::encode_node_state(state)); !s) return s;
        }
      }
    }
  }
  auto synced = (*writer)->sync();
  return synced ? Status() : synced.status();
}

std::string new_dir(const std::string& base, const char* name) {
  const std::string d = base + "/" + name;
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace

int run_journal_bench(std::ostream& out, const JournalBenchOptions& o) {
  std::string base = o.dir;
  if (base.empty()) {
    char tmpl[] = "/tmp/glassbook-bench-journal-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return 1;
    base = tmpl;
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  out << fmt::format("journal benchmark: seed {}, cores {}, directory {}\n", o.seed, cores, base);
  int rc = 0;
  // 0. The state root at millions of accounts: first, while memory is fresh (10,000,000 accounts
  // take about 3 GB, freed before the journals below).
  for (uint64_t accounts : o.root_accounts)
    if (run_state_root_bench(out, accounts, o.seed, o.root_batches, accounts <= 1'000'000) != 0) rc = 1;
  if (o.state_root_only) {
    if (!o.keep) std::filesystem::remove_all(base);
    return rc;
  }

  // 1. Append through a node: sequencer, engine, group commit with fdatasync, Merkle log, checkpoints.
  {
    EngineWorkloadOptions wo;
    wo.seed = o.seed;
    wo.commands = o.append_records;
    const EngineStream stream = generate_engine_stream(wo, bench_config());
    journal::NodeOptions no;
    no.dir = new_dir(base, "append");
    no.genesis = bench_config();
    no.log_key = log_key();
    no.origin = kOrigin;
    no.checkpoint_every = 100'000;
    no.snapshot_every = 0;
    auto node = journal::Node::open(no);
    if (!node) {
      out << "append: cannot open a node: " << node.status().to_string() << "\n";
      return 1;
    }
    const size_t n = stream.commands.size();
    std::vector<Clock::time_point> sent(n);
    std::vector<uint32_t> waits(n);
    std::atomic<size_t> done{0};
    uint64_t refusals = 0;
    const auto t0 = Clock::now();
    for (size_t i = 0; i < n; ++i) {
      const engine::Command& c = stream.commands[i];
      journal::Submission s;
      s.body = c.body;
      s.signer = c.signer;
      s.signed_bytes = engine::signing_bytes(c.body);
      s.kind = static_cast<uint8_t>(c.body.index());
      s.lane = journal::lane_of(c.body);
      sent[i] = Clock::now();
      for (;;) {
        auto t = (*node)->submit(s, [&, i](SeqNo, Timestamp, std::span<const engine::Event>) {
          waits[i] = static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent[i]).count());
          done.fetch_add(1, std::memory_order_release);
        });
        if (t) break;
        ++refusals;  // Overloaded: the bounded queue is full; retry
        std::this_thread::yield();
      }
    }
    while (done.load(std::memory_order_acquire) < n) std::this_thread::sleep_for(std::chrono::microseconds(100));
    const double secs = since(t0);
    const auto stats = (*node)->stats();
    (*node)->stop();
    std::sort(waits.begin(), waits.end());
    auto pct = [&](double p) { return waits[std::min(n - 1, static_cast<size_t>(p * n))]; };
    out << fmt::format("  {} commands in {:.2f} s through one node: {} group commits (fdatasync each), {:.0f} records per commit on average, {} submissions refused as overloaded and retried\n",
                       n, secs, stats.sync_batches, static_cast<double>(stats.records_synced) / std::max<uint64_t>(1, stats.sync_batches), refusals);
    out << fmt::format("durability wait: p50 {} us, p99 {} us, max {} us\n", pct(0.50), pct(0.99), waits.back());
    out << fmt::format("append: {:.0f} records/s\n", n / secs);
  }

  // 1b. The Merkle tiles alone: leaf hashes appended to a tile store (what the journal thread does
  // after each group commit), a full tile written every 256; then what the store holds in memory.
  {
    auto store = journal::TileStore::open(new_dir(base, "tiles"), journal::file_storage());
    if (!store || !(*store)->finish_rebuild()) {
      out << "tiles: cannot open a tile store\n";
      return 1;
    }
    const uint64_t n = std::max<uint64_t>(o.append_records * 10, 256);
    std::vector<crypto::Digest> leaves(std::min<uint64_t>(n, 4096));
    for (size_t i = 0; i < leaves.size(); ++i) leaves[i] = crypto::sha256("leaf " + std::to_string(i));
    const auto t0 = Clock::now();
    for (uint64_t i = 0; i < n; ++i) {
      if (Status s = (*store)->append(leaves[i % leaves.size()]); !s) {
        out << "tiles: " << s.to_string() << "\n";
        return 1;
      }
    }
    const double secs = since(t0);
    const journal::TileFootprint f = (*store)->footprint();
    out << fmt::format("tiles: {:.0f} ns per record appended ({} records, {} full level-0 tiles written, not fsynced); "
                       "resident hashes {} ({} right edge over {} levels + {} in {} cached tiles)\n",
                       secs * 1e9 / static_cast<double>(n), n, n / 256, f.total(), f.edge_hashes, f.levels, f.cached_hashes, f.cached_tiles);
  }

  // 2. A long journal, replayed without signature checks and recovered from snapshot + tail.
  {
    EngineWorkloadOptions wo;
    wo.seed = o.seed;
    wo.commands = o.records;
    out << fmt::format("  writing a journal of {} records (workload 2, checkpoints every min(1,000,000, a quarter), a snapshot near the end)...", o.records) << std::flush;
    const auto tw = Clock::now();
    const EngineStream stream = generate_engine_stream(wo, bench_config());
    const std::string dir = new_dir(base, "long");
    const SeqNo snap = stream.commands.size() > 200'000 ? stream.commands.size() - 100'000 : stream.commands.size() / 2;
    const uint64_t every = std::min<uint64_t>(1'000'000, std::max<uint64_t>(1, o.records / 4));
    if (auto s = write_journal(dir, stream.commands, false, every, snap); !s) {
      out << "\nwriting failed: " << s.to_string() << "\n";
      return 1;
    }
    uint64_t bytes = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".log") bytes += e.file_size();
    out << fmt::format(" {:.1f} s, {:.2f} GB\n", since(tw), bytes / 1e9);

    journal::AuditOptions ao;
    ao.verify_signatures = false;
    auto r = journal::audit_journal(dir, ao);
    if (!r || !r->divergence.empty()) {
      out << "replay failed: " << (r ? r->divergence : r.status().to_string()) << "\n";
      rc = 1;
    } else {
      out << fmt::format("  replayed {} records in {:.2f} s from genesis; {} checkpoints verified (Merkle root, state root, signature)\n",
                         r->records, r->seconds, r->checkpoints_verified);
      out << fmt::format("replay: {:.0f} records/s\n", r->records / r->seconds);
    }

    journal::NodeOptions no;
    no.dir = dir;
    no.log_key = log_key();
    no.origin = kOrigin;
    no.snapshot_every = 0;
    auto node = journal::Node::open(no);
    if (!node) {
      out << "recovery failed: " << node.status().to_string() << "\n";
      rc = 1;
    } else {
      const auto& rec = (*node)->recovery();
      out << fmt::format("recovery: {} records in {:.2f} s (snapshot at seq {} + {} records replayed; every record read, checked and hashed into the Merkle log)\n",
                         rec.records, rec.seconds, rec.snapshot_seq.value_or(0), rec.replayed);
      (*node)->stop();
    }
  }

  // 3. A signed journal replayed with signature checks on all cores, against libsodium's own rate.
  {
    const auto keypair = workload_key(0);
    const std::string msg = "glassbook/command/v1 a command of typical size: fifty-odd bytes";
    const auto sig = keypair.sign(msg);
    const int kVerifies = 20'000;
    const auto tv = Clock::now();
    int ok = 0;
    for (int i = 0; i < kVerifies; ++i) ok += crypto::verify(keypair.public_key(), msg, sig);
    const double one_core = ok / since(tv);
    out << fmt::format("ed25519 verify (libsodium, one core): {:.0f}/s; target for replay+verify: 90% x {} cores x that = {:.0f} records/s\n",
                       one_core, cores, 0.9 * cores * one_core);

    EngineWorkloadOptions wo;
    wo.seed = o.seed;
    wo.commands = o.verify_records;
    const EngineStream stream = generate_engine_stream(wo, bench_config());
    const std::string dir = new_dir(base, "signed");
    if (auto s = write_journal(dir, stream.commands, true, 1'000'000, 0); !s) {
      out << "writing the signed journal failed: " << s.to_string() << "\n";
      return 1;
    }
    auto r = journal::audit_journal(dir);
    if (!r || !r->divergence.empty()) {
      out << "replay+verify failed: " << (r ? r->divergence : r.status().to_string()) << "\n";
      rc = 1;
    } else {
      out << fmt::format("  replayed {} signed records in {:.2f} s, {} signatures verified\n", r->records, r->seconds,
                         r->signatures_verified);
      out << fmt::format("replay+verify: {:.0f} records/s\n", r->records / r->seconds);
    }
  }
  if (!o.keep) std::filesystem::remove_all(base);
  return rc;
}

}  // namespace glassbook::app
