// The gateway benchmark: Ed25519 verify rate, closed-loop saturation (single and batch orders),
// open-loop latency at fixed rates, journal statistics and the sent/received balance.
#include "app/bench/api_workload.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <limits>
#include <thread>

#include "app/bench/api_breakdown.h"
#include "app/bench/api_requests.h"
#include "app/bench/cpu_clock.h"
#include "app/bench/http_load_client.h"
#include "app/bench/transport_floor.h"
#include "app/exchange_server.h"

namespace glassbook::app {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kWindowMs = 60'000;
constexpr size_t kBatchOrders = 50;
constexpr size_t kQueryConnections = 16;  // the query storm's connections
constexpr size_t kMaxPresignedBytes = size_t{256} << 20;  // memory bound of one phase's requests

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Signatures checked per second by one thread, over ~150-byte texts like the gateway's.
double verify_rate_of_thread(double seconds) {
  const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label("bench/api/verify"));
  std::vector<std::string> texts;
  std::vector<crypto::Signature> signatures;
  for (int i = 0; i < 64; ++i) {
    texts.push_back(fmt::format("instruction=orderExecute&clientId={}&orderType=Limit&price=100&quantity=0.01&side=Bid"
                                "&symbol=SOL_USDC&timeInForce=GTC&timestamp=1767225600000&window=60000",
                                1'000'000 + i));
    signatures.push_back(key.sign(texts.back()));
  }
  uint64_t checked = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    for (size_t i = 0; i < texts.size(); ++i) {
      if (!crypto::verify(key.public_key(), texts[i], signatures[i])) std::abort();
      ++checked;
    }
    elapsed = since(start);
  } while (elapsed < seconds);
  return static_cast<double>(checked) / elapsed;
}

// The verify rate per core with every core verifying at once, as the gateway's threads do: the
// sum of `cores` threads' rates over the same `seconds`, divided by the cores.
double verify_rate_per_core(unsigned cores, double seconds) {
  crypto::ensure_sodium();
  std::vector<double> rates(cores);
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < cores; ++i) threads.emplace_back([&rates, i, seconds] { rates[i] = verify_rate_of_thread(seconds); });
  for (auto& t : threads) t.join();
  double sum = 0;
  for (double r : rates) sum += r;
  return sum / cores;
}

struct Totals {
  uint64_t sent = 0, received = 0, lost = 0;
  void add(const LoadResult& r) {
    sent += r.sent;
    received += r.received;
    lost += r.lost;
  }
};

void print_errors(std::ostream& out, const LoadResult& r) {
  for (const auto& [status, count] : r.errors)
    out << fmt::format("  errors: {} responses with status {}, e.g. {}\n", count, status, r.error_body.at(status));
  if (r.lost > 0) out << fmt::format("  lost: {} requests (their connection closed)\n", r.lost);
}

double percentile_ms(const std::vector<int64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));  // nearest rank
  const size_t i = std::min(sorted.size() - 1, rank > 0 ? rank - 1 : 0);
  return static_cast<double>(sorted[i]) / 1e6;
}

// How many requests of `bytes_each` fit the phase's memory bound.
size_t capped(size_t wanted, size_t bytes_each) { return std::max<size_t>(2, std::min(wanted, kMaxPresignedBytes / bytes_each)) & ~size_t{1}; }

struct Bench {
  std::ostream& out;
  const ApiBenchOptions& o;
  HttpLoadClient& client;
  BenchTraders traders;
  std::string host;
  Totals totals;
  journal::Node& node;

  // Signed as if each request were signed as it is sent at `rate` requests/s (0: all at once).
  std::vector<std::string> presign(size_t requests, size_t orders_each, double rate) {
    const auto t = Clock::now();
    auto r = presign_order_requests(traders, requests, orders_each, wall_ms(), rate, kWindowMs, host);
    out << fmt::format("  (pre-signed {} requests of {} order{} in {:.2f} s)\n", requests, orders_each, orders_each > 1 ? "s" : "", since(t));
    return r;
  }

  // A closed-loop run, with the CPU the client thread and the whole process used during it.
  // With `breakdown`, also the time per order in each stage of the order path.
  LoadResult saturate(const std::vector<std::string>& requests, double seconds, bool breakdown = false) {
    const PipelineCounters counters0 = read_pipeline_counters(node.stats());
    const auto t0 = Clock::now();
    const double cpu0 = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID), client0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    LoadResult r = client.closed_loop(requests, seconds);
    const double client_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - client0;
    const double all_cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    const double elapsed = since(t0);
    const PipelineCounters counters1 = read_pipeline_counters(node.stats());
    totals.add(r);
    if (r.ran_out) out << "  (the pre-signed requests ran out before the time was up: the window ends with the last answer)\n";
    out << fmt::format("  cpu: server {:.2f} cores, load client {:.2f} cores, {:.1f} us of CPU per request in all; {} connections, "
                       "{:.2f} ms per round trip ({:.1f} s measured)\n",
                       (all_cpu - client_cpu) / r.seconds, client_cpu / r.seconds,
                       1e6 * all_cpu / static_cast<double>(std::max<uint64_t>(1, r.received)), o.connections,
                       1e3 * r.seconds * o.connections / static_cast<double>(std::max<uint64_t>(1, r.window_ok)), r.seconds);
    if (breakdown) print_breakdown(out, counters0, counters1, r.received, elapsed, all_cpu - client_cpu);
    return r;
  }

  // A short unmeasured closed-loop probe (the warm-up too) estimates the rate; the run gets twice
  // the requests that rate needs, and never more than `bound`.
  std::vector<std::string> sized_run(size_t orders_each, size_t bytes_each, size_t bound) {
    const LoadResult p = client.closed_loop(presign(capped(size_t{o.connections} * (orders_each > 1 ? 16 : 64), bytes_each), orders_each, 0), o.seconds);
    totals.add(p);
    const double rate = static_cast<double>(p.ok) / std::max(p.seconds, 1e-3);
    // Timestamps advance at twice the probe's rate: a run up to twice as fast as its probe still
    // sends no request ahead of its timestamp (the gateway refuses one 2 s ahead of its clock), and
    // a slower one sends them at most a phase behind, well inside their 60 s window.
    return presign(capped(std::min(bound, static_cast<size_t>(rate * o.seconds * 2) + o.connections * 2), bytes_each), orders_each,
                   2 * rate);
  }

  double singles(double verify_rate, unsigned cores) {
    // Each request needs one verification, so cores x verify rate bounds the rate.
    const auto requests = sized_run(1, 700, static_cast<size_t>(o.seconds * cores * verify_rate * 1.05));
    const LoadResult r = saturate(requests, o.seconds, true);
    const double rate = static_cast<double>(r.window_ok) / r.seconds;
    out << fmt::format("api: {:.0f} orders/s\n", rate);
    print_errors(out, r);
    const double target = 0.8 * cores * verify_rate;
    out << fmt::format("target: 0.8 x {} cores x {:.0f}/s = {:.0f} orders/s: {} ({:.0f}% of it)\n", cores, verify_rate, target,
                       rate >= target ? "met" : "NOT met", 100 * rate / target);
    transport_floor(requests, verify_rate, cores, target);
    return rate;
  }

  // The same requests answered by a server that does nothing with them: what the transport alone
  // costs, and so how fast one signature check plus the transport could go on these cores.
  void transport_floor(const std::vector<std::string>& requests, double verify_rate, unsigned cores, double target) {
    auto f = measure_transport_floor(requests, o.threads > 0 ? o.threads : cores, o.connections, o.seconds);
    if (!f) {
      out << fmt::format("  transport floor: {}\n", f.status().to_string());
      return;
    }
    const double ceiling = cores / (1 / verify_rate + f->cpu_per_request);
    out << fmt::format("api transport floor: {:.0f} requests/s answered at once, {:.1f} us of CPU per request (server and load client)\n",
                       static_cast<double>(f->load.window_ok) / f->load.seconds, 1e6 * f->cpu_per_request);
    out << fmt::format("api ceiling: {} cores / (1/{:.0f} s + {:.1f} us) = {:.0f} orders/s, {:.0f}% of the target: one check and the transport, nothing else\n",
                       cores, verify_rate, 1e6 * f->cpu_per_request, ceiling, 100 * ceiling / target);
  }

  void batches() {
    const LoadResult r = saturate(sized_run(kBatchOrders, 8'000, std::numeric_limits<size_t>::max()), o.seconds);
    out << fmt::format("api batch: {:.0f} orders/s ({:.0f} requests/s)\n", static_cast<double>(r.window_ok_orders) / r.seconds,
                       static_cast<double>(r.window_ok) / r.seconds);
    if (const uint64_t refused = r.ok * kBatchOrders - r.ok_orders; refused > 0)
      out << fmt::format("  orders refused inside 200 batches: {}\n", refused);
    print_errors(out, r);
  }

  void latency(double rate) {
    const auto requests = presign(capped(static_cast<size_t>(rate * o.seconds), 700), 1, rate);
    report_latency(fmt::format("latency at {:.0f} orders/s", rate), client.open_loop(requests, rate));
  }

  // Orders at `rate` as in latency(), while a second load client on a thread of its own keeps
  // `queries`' connections asking for the last 1,000 trades (closed loop): the reads of a crash, when
  // everyone refreshes. The answers to those orders wait for the view's one writer, the journal
  // thread, and these reads hold the same view.
  void latency_beside_queries(double rate, HttpLoadClient& queries) {
    const auto requests = presign(capped(static_cast<size_t>(rate * o.seconds), 700), 1, rate);
    const std::string get = fmt::format("GET /api/v1/trades?symbol=SOL_USDC&limit=1000 HTTP/1.1\r\nHost: {}\r\n\r\n", host);
    const std::vector<std::string> reads(static_cast<size_t>((o.seconds + 1) * 20'000), get);
    LoadResult q;
    std::thread storm([&] { q = queries.closed_loop(reads, o.seconds + 0.5); });
    LoadResult r = client.open_loop(requests, rate);
    storm.join();
    totals.add(q);
    report_latency(fmt::format("latency at {:.0f} orders/s beside {:.0f} trade queries/s", rate, static_cast<double>(q.window_ok) / q.seconds),
                   std::move(r));
    print_errors(out, q);
  }

  void report_latency(const std::string& label, LoadResult r) {
    totals.add(r);
    std::sort(r.latency_ns.begin(), r.latency_ns.end());
    const auto& l = r.latency_ns;
    out << fmt::format("{}: p50 {:.2f} ms, p90 {:.2f} ms, p99 {:.2f} ms, p99.9 {:.2f} ms, max {:.2f} ms ({} responses, {} with 200)\n",
                       label, percentile_ms(l, 0.5), percentile_ms(l, 0.9), percentile_ms(l, 0.99), percentile_ms(l, 0.999),
                       l.empty() ? 0.0 : static_cast<double>(l.back()) / 1e6, r.received, r.ok);
    print_errors(out, r);
  }
};

}  // namespace

int run_api_bench(std::ostream& out, const ApiBenchOptions& o) {
  std::signal(SIGPIPE, SIG_IGN);
  StageCosts::enable(o.breakdown);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const double verify_rate = verify_rate_per_core(cores, 1.0);
  out << fmt::format("ed25519 verify: {:.0f}/s per core, {} cores verifying at once\n", verify_rate, cores);

  std::string base = o.dir;
  if (base.empty()) {
    char tmpl[] = "/tmp/glassbook-bench-api-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return out << "bench api: cannot create a directory under /tmp\n", 1;
    base = tmpl;
  }
  const std::string journal_dir = base + "/journal";
  if (std::filesystem::exists(journal_dir)) return out << fmt::format("bench api: {} exists: pass a fresh --dir\n", journal_dir), 1;

  ExchangeServerOptions eo;
  eo.data_dir = journal_dir;
  eo.demo_accounts = std::max(2u, o.accounts);
  eo.server.threads = o.threads > 0 ? o.threads : cores;
  eo.server.max_connections_per_address = eo.server.max_connections;  // the load comes from one address by design
  eo.server.reserved_for_new_addresses = 0;
  eo.sequencer.group_commit.max_wait = std::chrono::microseconds(o.group_commit_wait_us);
  eo.gateway.per_key = api::RateLimit{1e9, 2e9};
  eo.gateway.per_ip = api::RateLimit{1e9, 2e9};
  auto started = ExchangeServer::start(eo);
  if (!started) return out << fmt::format("bench api: {}\n", started.status().to_string()), 1;
  std::unique_ptr<ExchangeServer> server = std::move(started).value();
  ExchangeServer& ex = *server;
  out << fmt::format("exchange: {} funded accounts, {} I/O threads, journal {}, {} s per phase, group commit wait up to {} us for {}\n",
                     ex.accounts().size(), eo.server.threads, journal_dir, o.seconds, o.group_commit_wait_us,
                     eo.sequencer.group_commit.target_records);

  const auto client_port = static_cast<uint16_t>(std::stoi(ex.url().substr(ex.url().rfind(':') + 1)));
  auto connected = HttpLoadClient::connect(eo.server.address, client_port, o.connections);
  if (!connected) return out << fmt::format("bench api: {}\n", connected.status().to_string()), 1;
  std::unique_ptr<HttpLoadClient> client = std::move(connected).value();
  Bench b{out, o, *client, {}, ex.url().substr(7), {}, ex.node()};
  const size_t pairs = ex.accounts().size() / 2;
  for (size_t i = 0; i < pairs; ++i) {
    b.traders.sellers.push_back(ex.accounts()[i].key);
    b.traders.buyers.push_back(ex.accounts()[pairs + i].key);
  }

  const double rate = b.singles(verify_rate, cores);
  b.batches();
  for (double share : {0.25, 0.5}) b.latency(std::max(1.0, share * rate));
  auto readers_connected = HttpLoadClient::connect(eo.server.address, client_port, kQueryConnections);
  if (!readers_connected) return out << fmt::format("bench api: {}\n", readers_connected.status().to_string()), 1;
  std::unique_ptr<HttpLoadClient> readers = std::move(readers_connected).value();
  b.latency_beside_queries(std::max(1.0, 0.5 * rate), *readers);
  readers.reset();

  const auto stats = ex.node().stats();
  out << fmt::format("journal: applied {} commands in {} engine batches (max {}), {} sync batches (max {} records), {} refused as overloaded\n",
                     stats.applied, stats.applied_batches, stats.max_applied_batch, stats.sync_batches, stats.max_sync_batch,
                     stats.refused_overloaded);
  const Totals& t = b.totals;
  const bool balanced = t.sent == t.received && t.lost == 0;
  out << fmt::format("responses: sent {}, received {}, lost {}: {}\n", t.sent, t.received, t.lost,
                     balanced ? "every request answered" : "SOME REQUESTS WERE NOT ANSWERED");
  client.reset();
  server.reset();
  if (!o.keep) std::filesystem::remove_all(o.dir.empty() ? base : journal_dir);
  return balanced ? 0 : 1;
}

}  // namespace glassbook::app
