// `glassbook replica` (replica_command.h): asks the primary for the records after its own, hands each
// answer to the Follower, and reports progress, the lag and, when the primary disagrees, where.
#include "app/replica_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

#include "app/genesis_command.h"
#include "app/http_client.h"
#include "app/stop_signal.h"
#include "crypto/sha256.h"
#include "journal/follower.h"
#include "journal/replication_batch.h"
#include "journal/sequencer.h"

namespace glassbook::app {

namespace {

// A record's sequencer timestamp (bytes 20..27, little-endian): the primary's clock when it sequenced it.
int64_t record_timestamp(const std::string& bytes) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[20 + i])) << (8 * i);
  return static_cast<int64_t>(v);
}

// Lag of each record from its sequencing on the primary to its fdatasync here, in µs. Bounded: the
// first million samples.
class LagStats {
 public:
  void add(int64_t micros) {
    if (samples_.size() < kMaxSamples) samples_.push_back(micros);
  }
  std::string summary() {
    if (samples_.empty()) return "no records received";
    std::sort(samples_.begin(), samples_.end());
    auto at = [&](double q) { return samples_[std::min(samples_.size() - 1, static_cast<size_t>(q * samples_.size()))] / 1000.0; };
    return fmt::format("{} records: p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms", samples_.size(), at(0.5), at(0.99),
                       samples_.back() / 1000.0);
  }

 private:
  static constexpr size_t kMaxSamples = 1'000'000;
  std::vector<int64_t> samples_;
};

}  // namespace

int run_replica(const ReplicaOptions& o) {
  block_stop_signals();
  std::error_code ec;
  std::filesystem::create_directories(o.data_dir, ec);
  if (ec) return fmt::print(stderr, "replica: cannot create {}: {}\n", o.data_dir, ec.message()), 1;
  journal::FollowerOptions fo;
  fo.dir = o.data_dir;
  if (!o.genesis.empty()) {
    auto genesis = read_genesis_file(o.genesis);
    if (!genesis) return fmt::print(stderr, "replica: {}: {}\n", o.genesis, genesis.status().message()), 1;
    fo.genesis = std::move(genesis).value();
  }
  auto opened = journal::Follower::open(fo);
  if (!opened) {
    fmt::print(stderr, "replica: cannot start from {}: {}\n", o.data_dir, opened.status().message());
    return opened.status().code() == Error::Io ? 1 : 2;
  }
  journal::Follower& follower = **opened;
  const auto& rec = follower.recovery();
  fmt::print("replica {}: {} records, {} checkpoints checked again; following {} from seq {}\n", o.data_dir, rec.records,
             rec.checkpoints, o.primary, follower.next_seq());
  if (!rec.truncated.empty()) fmt::print("replica journal: {}\n", rec.truncated);
  if (o.genesis.empty() && follower.next_seq() == 0)
    fmt::print("replica: no --genesis given: the primary's genesis is taken as it comes (it is signed by the log key it names)\n");
  std::fflush(stdout);

  std::string name = o.name;
  if (name.empty()) {
    name = std::filesystem::absolute(o.data_dir).lexically_normal().filename().string();
    if (name.empty()) name = std::filesystem::absolute(o.data_dir).lexically_normal().parent_path().filename().string();
    std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-'; }, '-');
    if (name.size() > 64) name.resize(64);
    if (name.empty()) name = "replica";
  }
  auto client = HttpClient::open(o.primary, std::chrono::seconds(10));
  if (!client) return fmt::print(stderr, "replica: {}\n", client.status().message()), 1;

  LagStats lag;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  double backoff = 0.1;
  bool unreachable = false;
  double next_progress = 5;
  int status = 0;
  for (;;) {
    if (o.seconds > 0 && elapsed() >= o.seconds) break;
    auto answer = (*client)->get(fmt::format("/api/v1/glassbook/records?from={}&checkpointed={}&replica={}", follower.next_seq(),
                                             follower.checkpointed_size(), name));
    if (!answer || answer->status != 200) {
      const std::string why = !answer ? answer.status().message() : fmt::format("HTTP {}: {}", answer->status, answer->body);
      if (!unreachable) fmt::print(stderr, "replica: the primary does not answer ({}); retrying\n", why);
      unreachable = true;
      if (wait_for_stop(backoff)) break;
      backoff = std::min(2.0, backoff * 2);
      continue;
    }
    if (unreachable) fmt::print(stderr, "replica: the primary answers again\n");
    unreachable = false;
    backoff = 0.1;
    auto batch = journal::decode_replication_batch(answer->body);
    if (!batch) {
      fmt::print(stderr, "replica: STOPPED at seq {}: {}\n", follower.next_seq(), batch.status().message());
      status = 2;
      break;
    }
    const uint64_t checkpointed = follower.checkpointed_size();
    if (Status s = follower.apply(*batch); !s) {
      fmt::print(stderr, "replica: STOPPED: {}\n", s.message());
      status = s.code() == Error::Io ? 1 : 2;
      break;
    }
    const int64_t now = journal::system_clock_micros();
    for (const std::string& r : batch->records) lag.add(now - record_timestamp(r));
    if (follower.checkpointed_size() != checkpointed && !o.quiet)
      fmt::print("replica: verified checkpoint of {} records (state root {})\n", follower.checkpointed_size(),
                 crypto::to_hex(follower.engine()->state_root()));
    if (elapsed() >= next_progress) {
      next_progress = elapsed() + 5;
      if (!o.quiet) fmt::print("replica: at seq {} of the primary's {}\n", static_cast<int64_t>(follower.next_seq()) - 1, batch->durable);
    }
    std::fflush(stdout);
    if (batch->records.empty() && wait_for_stop(o.poll_ms / 1000)) break;
    if (!batch->records.empty() && wait_for_stop(1e-6)) break;
  }
  fmt::print("replica: stopped at seq {}; newest verified checkpoint: {} records\n", static_cast<int64_t>(follower.next_seq()) - 1,
             follower.checkpointed_size());
  fmt::print("replica: lag from sequencing on the primary to durable here, {}\n", lag.summary());
  return status;
}

}  // namespace glassbook::app
