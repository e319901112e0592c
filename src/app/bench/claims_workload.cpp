// The distribution benchmark: one round over a million holders, in chunks, with trading between them.
#include "app/bench/claims_workload.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "app/bench/cpu_clock.h"
#include "engine/claims_registry.h"
#include "engine/engine.h"

namespace glassbook::app {

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
double cpu_ms() { return cpu_seconds(CLOCK_THREAD_CPUTIME_ID) * 1000; }

constexpr AssetId kUsdc = 2;
constexpr int64_t kTickUnits = 100'000;  // BTC_USDC's tick in USDC units (demo configuration)
constexpr int64_t kLotUnits = 1'000;     // its lot in sats

// Holders' keys need no signatures here (the engine checks only the agent's link attestation).
crypto::PublicKey key_of(uint64_t i) {
  crypto::PublicKey k{};
  for (int b = 0; b < 8; ++b) k[b] = static_cast<uint8_t>(i >> (8 * b));
  k[31] = 0xc1;
  return k;
}

class Driver {
 public:
  explicit Driver(engine::Engine& e) : e_(e) {}
  std::span<const engine::Event> apply(const crypto::PublicKey& signer, engine::CommandBody body) {
    engine::Command c;
    c.seq = ++seq_;
    c.timestamp = 1'767'225'600'000'000 + static_cast<Timestamp>(seq_);
    c.signer = signer;
    c.body = std::move(body);
    return e_.apply(c);
  }
  SeqNo seq() const { return seq_; }

 private:
  engine::Engine& e_;
  SeqNo seq_ = 0;
};

}  // namespace

int run_claims_bench(std::ostream& out, uint64_t holders) {
  const crypto::KeyPair watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("bench/claims/watcher"));
  const crypto::KeyPair agent = crypto::KeyPair::from_seed(crypto::seed_from_label("bench/claims/agent"));
  const crypto::KeyPair provider = crypto::KeyPair::from_seed(crypto::seed_from_label("bench/claims/kyc"));
  engine::ExchangeConfig config = engine::demo_config(watcher.public_key());
  const AssetId claim_asset = static_cast<AssetId>(config.assets.size());
  config.assets.push_back({"BENCHCLAIM", 2});
  engine::EstateConfig estate;
  estate.name = "Bench Estate";
  estate.claim_unit = "USD";
  estate.claim_asset = claim_asset;
  estate.payout_assets = {kUsdc};
  estate.claims_agent = agent.public_key();
  estate.kyc_providers = {provider.public_key()};
  estate.barred_jurisdictions = {"CN"};
  config.estates.push_back(estate);
  engine::Engine e(config);
  Driver d(e);

  // Setup: the link attestations are signed on two threads; the engine verifies each (about 50 µs).
  const auto setup = Clock::now();
  const crypto::Digest hash{};
  std::vector<crypto::Signature> signatures(holders);
  const AccountId first = kFirstCustomer;
  {
    auto sign = [&](uint64_t from, uint64_t to) {
      for (uint64_t i = from; i < to; ++i)
        signatures[i] = agent.sign(engine::claim_link_bytes(estate.name, i + 1, first + static_cast<AccountId>(i), key_of(i), hash));
    };
    std::thread other(sign, holders / 2, holders);
    sign(0, holders / 2);
    other.join();
  }
  out << fmt::format("signed {} link attestations in {:.0f} ms\n", holders, ms_since(setup)) << std::flush;
  for (uint64_t i = 0; i < holders; ++i) d.apply(key_of(i), engine::RegisterAccount{key_of(i)});
  const AccountId agent_account = first + static_cast<AccountId>(holders);
  d.apply(agent.public_key(), engine::RegisterAccount{agent.public_key()});
  const crypto::PublicKey buyer = key_of(holders + 1), seller = key_of(holders + 2);
  const AccountId buyer_account = agent_account + 1, seller_account = agent_account + 2;
  d.apply(buyer, engine::RegisterAccount{buyer});
  d.apply(seller, engine::RegisterAccount{seller});
  uint64_t deposit = 0;
  d.apply(watcher.public_key(), engine::Deposit{buyer_account, kUsdc, 1'000'000'000'000'000, ++deposit});
  d.apply(watcher.public_key(), engine::Deposit{seller_account, 0, 1'000'000'000'000, ++deposit});
  const Timestamp now = 1'767'225'600'000'000;
  for (uint64_t i = 0; i < holders; ++i) {
    const AccountId a = first + static_cast<AccountId>(i);
    const int64_t face = 100 + static_cast<int64_t>((i * 7919) % 10'000'000);  // $1 to $100,000
    d.apply(agent.public_key(), engine::AttestClaim{0, i + 1, 1, face, engine::ClaimStatus::Allowed, hash});
    d.apply(provider.public_key(), engine::AttestKyc{0, a, 2, i % 10 == 3 ? "CN" : "FR", now, now + 3'600'000'000'000});
    const auto ev = d.apply(key_of(i), engine::LinkClaim{a, 0, i + 1, hash, signatures[i]});
    if (ev.empty() || ev[0].kind == engine::EventKind::Rejected) {
      out << fmt::format("setup: the link of holder {} was refused: {}\n", i, ev.empty() ? "" : ev[0].message);
      return 1;
    }
    if (i % 100'000 == 99'999) out << fmt::format("  {} holders linked, {:.0f} s\n", i + 1, ms_since(setup) / 1000) << std::flush;
  }
  const int64_t units = e.claims().estate(0).outstanding;
  // A recovery of 37.1% in USDC (6 decimals) on cents of face: 3,710 USDC units a cent, over 1/1.
  // An odd denominator leaves a rounding remainder: 37,101/10 units a cent.
  const uint64_t num = 37'101, den = 10;
  const int64_t funding = static_cast<int64_t>(static_cast<unsigned __int128>(units) * num / den);
  d.apply(watcher.public_key(), engine::Deposit{agent_account, kUsdc, funding, ++deposit});
  out << fmt::format("setup: {} holders, {} units, in {:.1f} s\n", holders, units, ms_since(setup) / 1000) << std::flush;

  // The round: declaration, then chunks, with a crossing pair of orders between each two.
  std::vector<double> chunk_cpu;
  double total_cpu = 0;
  const auto wall = Clock::now();
  double t0 = cpu_ms();
  auto declared = d.apply(agent.public_key(), engine::DeclareDistribution{0, 1, agent_account, kUsdc, num, den, d.seq()});
  total_cpu += cpu_ms() - t0;
  if (declared.empty() || declared[0].kind != engine::EventKind::DistributionDeclared) {
    out << "the declaration was refused: " << (declared.empty() ? "" : declared[0].message) << "\n";
    return 1;
  }
  const double declare_ms = total_cpu;
  uint64_t trades = 0;
  for (;;) {
    t0 = cpu_ms();
    const auto ev = d.apply(agent.public_key(), engine::PayDistribution{0, 1});
    const double ms = cpu_ms() - t0;
    chunk_cpu.push_back(ms);
    total_cpu += ms;
    if (ev.empty() || ev[0].kind == engine::EventKind::Rejected) {
      out << "a chunk was refused: " << (ev.empty() ? "" : ev[0].message) << "\n";
      return 1;
    }
    if (ev.back().kind == engine::EventKind::DistributionCompleted) break;
    engine::PlaceOrder sell;
    sell.account = seller_account;
    sell.market = 0;
    sell.side = book::Side::Sell;
    sell.price = 600'000 * kTickUnits;
    sell.quantity = kLotUnits;
    d.apply(seller, sell);
    engine::PlaceOrder buy = sell;
    buy.account = buyer_account;
    buy.side = book::Side::Buy;
    for (const auto& x : d.apply(buyer, buy)) trades += x.kind == engine::EventKind::Trade;
  }
  const double wall_ms = ms_since(wall);
  const engine::DistributionRound& round = e.distributions().estate(0).rounds.at(0);
  const double longest = *std::max_element(chunk_cpu.begin(), chunk_cpu.end());
  std::vector<double> sorted = chunk_cpu;
  std::sort(sorted.begin(), sorted.end());
  out << fmt::format("round over {} holders: {:.1f} ms engine CPU in all (declaration {:.3f} ms, {} chunks of at most {}), {:.1f} ms wall "
                     "with {} trades between chunks\n",
                     round.holders, total_cpu, declare_ms, chunk_cpu.size(), engine::kDistributionChunk, wall_ms, trades);
  out << fmt::format("chunk CPU: median {:.3f} ms, longest {:.3f} ms\n", sorted[sorted.size() / 2], longest);
  out << fmt::format("paid {} to {} holders, escrowed {} for {}, remainder {}, funded {}\n", round.paid, round.holders_paid, round.escrowed,
                     round.holders_escrowed, round.remainder, round.funded);
  const bool exact = round.complete && round.paid + round.escrowed + round.remainder == round.funded && round.units_visited == units;
  out << (exact ? "reconciled: paid + escrowed + remainder = funded\n" : "NOT RECONCILED\n");
  return exact ? 0 : 1;
}

}  // namespace glassbook::app
